// Scheduling across tenants: a tenant's running runs are capped by its plan across all slots, and another tenant's
// run starts while the first tenant still has a backlog (claims go to the tenant with the fewest running runs).
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { run, until } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'

let t: TestApp
let a: Session
let b: Session
beforeAll(async () => {
  t = await startApp({ WORKERS: '4', WORKER_POLL_MS: '100', TENANT_MAX_RUNNING_FREE: '2' })
  ;[a, b] = await Promise.all([signUp(t), signUp(t)])
})

const running = async (s: Session) => {
  const r = await t.gql<{ executions: { totalCount: number } }>('query { executions(first: 1, filter: { status: RUNNING }) { totalCount } }', {}, s.headers)
  return r.body.data!.executions.totalCount
}

describe('fair scheduling', () => {
  it("caps a tenant's running runs by plan, and another tenant's run does not wait behind its backlog", async () => {
    const agentA = await seedAgent(t, a)
    const slow = `a slow story [[mock:delay=100]] ${'about hills and valleys '.repeat(6)}`
    const backlog = await Promise.all(Array.from({ length: 6 }, () => run(t, a, { agentId: agentA, prompt: slow })))
    let peak = 0
    const watching = (async () => {
      for (let i = 0; i < 40; i++) {
        peak = Math.max(peak, await running(a))
        await new Promise((r) => setTimeout(r, 50))
      }
    })()
    const quick = await run(t, b, { agentId: await seedAgent(t, b), prompt: 'a quick question', wait: true })
    expect(quick.status).toBe('SUCCEEDED')
    // B finished while A still had runs waiting in the queue.
    const statuses = await Promise.all(backlog.map(async (r) => (await until(t, a, r.id, ['QUEUED', 'RUNNING', 'SUCCEEDED'], 1)).status))
    expect(statuses).toContain('QUEUED')
    await watching
    expect(peak).toBe(2)
    for (const r of backlog) expect((await until(t, a, r.id, ['SUCCEEDED', 'FAILED'], 60_000)).status).toBe('SUCCEEDED')
  }, 90_000)
})
