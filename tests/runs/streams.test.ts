// Subscriptions over graphql-ws: every subscriber gets every event of a run exactly once, in order, whether it comes
// before, during or after the run, and however often it is cut off and resumes by cursor.
import net from 'node:net'
import { randomBytes, randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { beforeAll, describe, expect, it } from 'vitest'
import { AgentPlatformAgent } from '../../clients/agui-agent.ts'
import { createResumableClient, subscribeResumable } from '../../clients/ws.ts'
import { ExecutionEventsDocument } from '../../clients/generated/graphql.ts'
import { startWorkerPool } from '../../src/worker/pool.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { raw, seedAgent } from '../helpers/agents.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { eventLog, expectGapless, run, until, verify, type LoggedEvent } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { connectWs, eventually } from '../helpers/ws.ts'

const EVENTS = 'subscription($id: ID!, $after: String) { executionEvents(executionId: $id, after: $after) { cursor seq type event } }'
type Streamed = { executionEvents: LoggedEvent }

let t: TestApp
let s: Session
beforeAll(async () => {
  t = await startApp({}, { listen: true })
  s = await signUp(t)
})

const auth = () => ({ authorization: `Bearer ${s.accessToken}` })
const seqs = (events: { seq: number }[]) => events.map((e) => e.seq)

describe('executionEvents', () => {
  it('delivers the whole log to subscribers that arrive before, during and after the run', async () => {
    const own = await startApp({ WORKERS: '0', ...(await isolatedDatabaseEnv()) }, { listen: true })
    const owner = await signUp(own)
    const agentId = await seedAgent(own, owner, { tools: ['echo'] })
    const r = await run(own, owner, { agentId, prompt: 'please echo hello there [[mock:delay=20]] and tell me more about it' })
    const ws = connectWs(own.port!, { authorization: `Bearer ${owner.accessToken}` })
    const before = ws.start<Streamed>(EVENTS, { id: r.id })
    const workers = startWorkerPool(own.app.deps, 1)
    await eventually(() => expect(before.results.length).toBeGreaterThan(5))
    const during = ws.start<Streamed>(EVENTS, { id: r.id })
    await Promise.all([before.done, during.done])
    const after = await ws.collect<Streamed>(EVENTS, { id: r.id })
    await workers.stop(1_000)
    const log = await eventLog(own, owner, r.id)
    expectGapless(log)
    for (const received of [before.results, during.results, after]) {
      const events = received.map((x) => x.data!.executionEvents)
      expect(seqs(events)).toEqual(seqs(log))
      expect(events.map((e) => e.event)).toEqual(log.map((e) => e.event))
      await verify(events.map((e) => e.event))
    }
    await ws.client.dispose()
  })

  it('resumes strictly after a cursor: a stream cut at random points is whole, once, in order', async () => {
    const r = await run(t, s, { agentId: await seedAgent(t, s, { tools: ['calculator'] }), prompt: 'use calculator to compute (7 + 5) * 3', wait: true })
    const log = await eventLog(t, s, r.id)
    for (let trial = 0; trial < 5; trial++) {
      const received: LoggedEvent[] = []
      let after: string | null = null
      while (received.at(-1)?.type !== 'RUN_FINISHED') {
        const ws = connectWs(t.port!, auth())
        const take = 1 + Math.floor(Math.random() * 6)
        const part: ReturnType<typeof ws.start<Streamed>> = ws.start<Streamed>(EVENTS, { id: r.id, after })
        await eventually(() => expect(part.results.length >= take || part.results.at(-1)?.data?.executionEvents.type === 'RUN_FINISHED').toBe(true))
        part.stop()
        await ws.client.dispose()
        const events: LoggedEvent[] = part.results.slice(0, take).map((x) => x.data!.executionEvents)
        received.push(...events)
        after = events.at(-1)!.cursor
      }
      expect(seqs(received)).toEqual(seqs(log))
      await verify(received.map((e) => e.event))
    }
  })

  it('the resumable client helper survives a dropped connection without loss or repetition', async () => {
    const r = await run(t, s, { agentId: await seedAgent(t, s), prompt: 'stream slowly [[mock:delay=30]] with quite a few words in the answer please' })
    const sockets: WebSocket[] = []
    class Tracked extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args)
        sockets.push(this)
      }
    }
    const client = createResumableClient({ url: `ws://127.0.0.1:${t.port}/graphql`, webSocketImpl: Tracked, connectionParams: auth })
    const received: { seq: number }[] = []
    await new Promise<void>((resolve, reject) => {
      subscribeResumable({
        client, query: ExecutionEventsDocument, variables: { executionId: r.id, after: null }, backoff: () => 20,
        cursorOf: (d) => d.executionEvents.cursor,
        onNext: (d) => {
          received.push(d.executionEvents)
          if (received.length === 4 || received.length === 9) sockets.at(-1)!.terminate() // the network drops
        },
        onComplete: resolve, onError: reject,
      })
    })
    expect(sockets.length).toBeGreaterThanOrEqual(3)
    expect(seqs(received)).toEqual(seqs(await eventLog(t, s, r.id)))
    await client.dispose()
  })

  it('rejects a tampered cursor and another execution’s cursor', async () => {
    const agentId = await seedAgent(t, s)
    const [a, b] = [await run(t, s, { agentId, prompt: 'a', wait: true }), await run(t, s, { agentId, prompt: 'b', wait: true })]
    const cursor = (await eventLog(t, s, a.id))[2]!.cursor
    const ws = connectWs(t.port!, auth())
    for (const after of [`${cursor}x`, cursor.replace(/^ZXZl/, 'ZXZm'), 'garbage', '']) {
      const err = await ws.collect(EVENTS, { id: a.id, after }).catch((e: unknown) => e)
      expect(JSON.stringify(err)).toContain('VALIDATION_FAILED')
    }
    const foreign = await ws.collect<Streamed>(EVENTS, { id: b.id, after: cursor }).catch((e: unknown) => e)
    expect(JSON.stringify(foreign)).toContain('VALIDATION_FAILED')
    await ws.client.dispose()
  })
})

describe('executionProgress and tenantEvents', () => {
  it('streams progress to completion', async () => {
    const r = await run(t, s, { agentId: await seedAgent(t, s, { tools: ['calculator'] }), prompt: 'use calculator to compute 9 * 9 [[mock:delay=20]]' })
    const ws = connectWs(t.port!, auth())
    const updates = (await ws.collect<{ executionProgress: { status: string; percent: number; tokens: number; step: string } }>(
      'subscription($id: ID!) { executionProgress(executionId: $id) { status step percent tokens updatedAt } }', { id: r.id })).map((u) => u.data!.executionProgress)
    expect(updates.at(-1)).toMatchObject({ status: 'SUCCEEDED', percent: 100 })
    expect(updates.at(-1)!.tokens).toBeGreaterThan(0)
    expect(updates.some((u) => u.step.startsWith('tool'))).toBe(true)
    await ws.client.dispose()
  })

  it('streams the tenant’s domain events, filtered by type and resumable by cursor', async () => {
    const owner = await signUp(t)
    const ws = connectWs(t.port!, { authorization: `Bearer ${owner.accessToken}` })
    type TenantEvent = { tenantEvents: { cursor: string; type: string; resourceId: string; data: { status?: string } } }
    // Without `after` a subscription starts from now: a thread it sees being created proves it is listening.
    const live = ws.start<TenantEvent>('subscription { tenantEvents(types: ["execution.*", "thread.*", "tool.*", "agent.*"]) { cursor type resourceType resourceId data } }')
    await eventually(async () => {
      await t.gql('mutation { createThread(input: { title: "sentinel" }) { thread { id } } }', undefined, owner.headers)
      expect(live.results.length).toBeGreaterThan(0)
    })
    const seen = live.results.length
    const agentId = await seedAgent(t, owner, { tools: ['echo'] })
    const r = await run(t, owner, { agentId, prompt: 'hello', wait: true })
    const types = () => live.results.slice(seen).map((x) => x.data!.tenantEvents).filter((e) => e.type !== 'thread.create')
    await eventually(() => expect(types().map((e) => (e.type === 'execution.status' ? e.data.status : e.type))).toEqual(['tool.create', 'agent.create', 'QUEUED', 'RUNNING', 'SUCCEEDED']))
    expect(types().filter((e) => e.type === 'execution.status').every((e) => e.resourceId === r.id)).toBe(true)
    live.stop()
    const first = types().find((e) => e.type === 'execution.status')!
    const resumed = ws.start<TenantEvent>('subscription($after: String) { tenantEvents(types: ["execution.status"], after: $after) { cursor type resourceId data } }', { after: first.cursor })
    await eventually(() => expect(resumed.results.map((x) => x.data!.tenantEvents.data.status)).toEqual(['RUNNING', 'SUCCEEDED']))
    resumed.stop()
    await ws.client.dispose()
  })
})

describe('AG-UI client adapter', () => {
  it('runs through AbstractAgent; its messages equal the stored thread, run after run', async () => {
    const agentId = await seedAgent(t, s, { tools: ['calculator'] })
    const ws = createResumableClient({ url: `ws://127.0.0.1:${t.port}/graphql`, webSocketImpl: WebSocket, connectionParams: auth })
    const agent = new AgentPlatformAgent({ url: `http://127.0.0.1:${t.port}/graphql`, ws, token: s.accessToken, platformAgentId: agentId })
    for (const prompt of ['use calculator to compute 6 * 7', 'and now tell me a story']) {
      agent.addMessage({ id: randomUUID(), role: 'user', content: prompt })
      const result = await agent.runAgent()
      expect(result.newMessages.length).toBeGreaterThan(0)
      const threadId = raw(agent.threadId)
      const latest = await t.app.deps.db.forTenant(raw(s.tenantId)).client.execution.findFirstOrThrow({ where: { threadId }, orderBy: { id: 'desc' } })
      expect(latest.status).toBe('SUCCEEDED')
      expect(agent.messages).toEqual(latest.messages)
    }
    expect(agent.messages.filter((m) => m.role === 'user')).toHaveLength(2)
    await ws.dispose()
  })
})

describe('back-pressure', () => {
  it('disconnects a consumer that stops reading, without delaying another subscriber', async () => {
    const app = await startApp({ WS_STALL_BYTES: '65536', WS_STALL_MS: '300', PROMPT_MAX_CHARS: '200000', QUERY_MAX_STRING_LENGTH: '200000' }, { listen: true })
    const owner = await signUp(app)
    const agentId = await seedAgent(app, owner)
    // A run whose log replays ~100 KB (its MESSAGES_SNAPSHOT carries the prompt): 200 replays outgrow every buffer.
    const done = await run(app, owner, { agentId, prompt: 'lorem ipsum '.repeat(8_500), wait: true })

    // A raw graphql-ws client that subscribes hundreds of times (replays) and then never reads again.
    const stalled = net.connect(app.port!, '127.0.0.1')
    stalled.on('error', () => {}) // the server resets it; that is the point
    await new Promise((r) => stalled.once('connect', r))
    const key = randomBytes(16).toString('base64')
    stalled.write(`GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`)
    const frame = (text: string) => {
      const payload = Buffer.from(text)
      const mask = Buffer.from([1, 2, 3, 4])
      const len = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 255])
      return Buffer.concat([len, mask, payload.map((b, i) => b ^ mask[i % 4]!)])
    }
    stalled.write(frame(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${owner.accessToken}` } })))
    await new Promise((r) => setTimeout(r, 200))
    stalled.pause() // stop reading: everything the server sends piles up
    for (let i = 0; i < 200; i++) stalled.write(frame(JSON.stringify({ id: `s${i}`, type: 'subscribe', payload: { query: EVENTS, variables: { id: done.id } } })))

    // Meanwhile a healthy subscriber follows a live run to the end.
    const healthy = connectWs(app.port!, { authorization: `Bearer ${owner.accessToken}` })
    const live = await run(app, owner, { agentId, prompt: 'a live run [[mock:delay=10]] with a few more words' })
    const got = await healthy.collect<Streamed>(EVENTS, { id: live.id })
    expect(seqs(got.map((x) => x.data!.executionEvents))).toEqual(seqs(await eventLog(app, owner, live.id)))

    const closed = new Promise<void>((r) => stalled.once('close', () => r()))
    await eventually(async () => {
      const sockets = await new Promise<number>((r) => app.app.server.getConnections((_e: unknown, n: number) => r(n)))
      expect(sockets).toBeLessThanOrEqual(1) // the stalled socket is gone; the healthy one may remain
    }, 10_000)
    stalled.resume()
    await closed
    expect((await until(app, owner, live.id, ['SUCCEEDED'])).status).toBe('SUCCEEDED')
    await healthy.client.dispose()
  }, 30_000)
})
