// A worker process killed (SIGKILL) while its delivery is in flight: the attempt was counted but never recorded, so
// once its lease runs out the next worker sends the same event again, under the same webhook-id.
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv, services, testEnv } from '../helpers/env.ts'
import { startWorker, type Proc } from '../helpers/processes.ts'
import { signUp } from '../helpers/tenants.ts'
import { createEchoTool, createWebhook, deliveries, eventually, startReceiver, webhookEnv, type Receiver } from './support.ts'

describe.skipIf(!services.postgresAdminUrl)('a worker killed mid-delivery', () => {
  let t: TestApp
  let receiver: Receiver
  let env: Record<string, string | undefined>
  const procs: Proc[] = []
  beforeAll(async () => {
    // Worker processes need a database they can share with this test: PostgreSQL, whatever the suite runs on.
    env = { ...testEnv({ ...(await isolatedDatabaseEnv({ postgres: true })), ...webhookEnv, WEBHOOK_TIMEOUT_MS: '1000' }), LOG_LEVEL: 'info' }
    t = await startApp({ ...env, LOG_LEVEL: 'silent', WORKERS: '0' })
    receiver = await startReceiver()
  })
  afterAll(() => {
    for (const p of procs) p.kill('SIGKILL')
  })

  it('re-delivers after restart with the same webhook-id', async () => {
    const s = await signUp(t)
    receiver.on('/crash', (n) => (n === 1 ? 'hang' : 200))
    const { webhook, secret } = await createWebhook(t, s, { url: receiver.url('/crash'), events: ['tool.create'] })
    await createEchoTool(t, s, 'crash-echo')

    const first = await startWorker({ ...env, WORKERS: '1' })
    procs.push(first)
    await eventually(async () => expect(receiver.at('/crash')).toHaveLength(1))
    first.kill('SIGKILL')
    await first.exit
    // Sent, never recorded: still due, with the attempt counted.
    expect((await deliveries(t, s, webhook.id))[0]).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: null })

    const heir = await startWorker({ ...env, WORKERS: '1' })
    procs.push(heir)
    const [d] = await eventually(async () => {
      const list = await deliveries(t, s, webhook.id)
      expect(list[0]).toMatchObject({ status: 'SUCCEEDED', attempts: 2, lastStatusCode: 200 })
      return list
    }, 20_000)
    const sent = receiver.at('/crash')
    expect(sent).toHaveLength(2)
    expect(sent.map((r) => r.headers['webhook-id'])).toEqual([d!.eventId, d!.eventId])
    expect(sent[0]!.body).toBe(sent[1]!.body)
    for (const r of sent) expect(new Webhook(secret).verify(r.body, r.headers)).toMatchObject({ type: 'tool.create' })
    heir.kill('SIGTERM')
    expect(await heir.exit).toBe(0)
  }, 60_000)
})
