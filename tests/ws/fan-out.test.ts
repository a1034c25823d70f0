// Fan-out: subscribers that follow one run with the same selection share each event's execution (counted by
// graphql_subscription_event_results_total), yet every one of them still gets the whole log in order, replay then
// live, with its own cursors; a different selection, other variables or another tenant never share a result.
import { beforeAll, describe, expect, it } from 'vitest'
import { ev, toWire } from '../../src/events/agui.ts'
import { claimNext } from '../../src/services/runs/claims.ts'
import { endRun } from '../../src/services/runs/terminal.ts'
import { appendAsWriter } from '../../src/services/runs/writer.ts'
import { rawId } from '../catalog/support.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { seedAgent } from '../helpers/agents.ts'
import { run } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { connectWs, eventually } from '../helpers/ws.ts'

let t: TestApp
beforeAll(async () => {
  // No worker: the test writes the run's events itself, as the run's claimed writer; a database of its own, so the
  // run it claims is the one it queued.
  t = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '0' }, { listen: true })
})

const selection = 'subscription($id: ID!, $after: String) { executionEvents(executionId: $id, after: $after) { seq cursor type } }'
const wider = 'subscription($id: ID!) { executionEvents(executionId: $id) { seq cursor type event } }'
type Event = { executionEvents: { seq: number; cursor: string; type: string } }

/** A queued run of `s`, claimed by the test, with the first two events already in its log (to replay). */
async function claimedRun(s: Session) {
  const e = await run(t, s, { agentId: await seedAgent(t, s), prompt: 'fan out' })
  const claimed = await claimNext(t.app.deps, 'fan-out-test')
  expect(claimed?.id).toBe(rawId(e.id))
  const writer = { tenantId: rawId(s.tenantId), executionId: claimed!.id, claim: claimed!.claim }
  await appendAsWriter(t.app.deps, writer, [toWire(ev.runStarted('t', 'r')), toWire(ev.textStart('m'))])
  return { id: e.id, writer }
}

async function finish(writer: Awaited<ReturnType<typeof claimedRun>>['writer'], words: number) {
  for (let i = 0; i < words; i++) await appendAsWriter(t.app.deps, writer, [toWire(ev.textContent('m', `w${i} `))])
  await endRun(t.app.deps, writer, [toWire(ev.textEnd('m')), toWire(ev.runFinished('t', 'r', { promptTokens: 0, completionTokens: 0 }, 'mock-1', 'success'))], { status: 'SUCCEEDED' })
}

const counted = async () => {
  const values = (await t.app.deps.metrics.subscriptionEventResults.get()).values
  const of = (source: string) => values.find((v) => v.labels.source === source)?.value ?? 0
  return { executed: of('executed'), shared: of('shared') }
}

describe('subscription fan-out', () => {
  it('executes each event once per distinct selection and gives every subscriber the whole log in order', async () => {
    const owner = await signUp(t)
    const { id, writer } = await claimedRun(owner)
    const socket = connectWs(t.port!, { authorization: owner.headers.authorization })
    const before = await counted()
    const same = Array.from({ length: 6 }, () => socket.start<Event>(selection, { id }))
    const other = socket.start<{ executionEvents: { seq: number; event: unknown } }>(wider, { id })
    await eventually(() => {
      for (const op of [...same, other]) expect(op.results).toHaveLength(2) // replayed
    })
    const words = 5
    await finish(writer, words)
    await Promise.all([...same, other].map((op) => op.done))
    const total = 2 + words + 2
    const first = same[0]!.results
    expect(first.map((r) => r.data!.executionEvents.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    expect(new Set(first.map((r) => r.data!.executionEvents.cursor)).size).toBe(total)
    for (const op of same) expect(op.results).toEqual(first)
    expect(other.results.map((r) => r.data!.executionEvents.seq)).toEqual(first.map((r) => r.data!.executionEvents.seq))
    const after = await counted()
    // Two selections, each event executed once for each; the five other identical subscribers shared the result.
    expect(after.executed - before.executed).toBe(2 * total)
    expect(after.shared - before.shared).toBe(5 * total)
  })

  it('a subscriber resuming from a cursor gets the rest of the log and shares nothing with those without one', async () => {
    const owner = await signUp(t)
    const { id, writer } = await claimedRun(owner)
    const socket = connectWs(t.port!, { authorization: owner.headers.authorization })
    const full = socket.start<Event>(selection, { id })
    await eventually(() => expect(full.results).toHaveLength(2))
    const resumed = socket.start<Event>(selection, { id, after: full.results[0]!.data!.executionEvents.cursor })
    await eventually(() => expect(resumed.results).toHaveLength(1))
    const before = await counted()
    await finish(writer, 3)
    await Promise.all([full.done, resumed.done])
    expect(resumed.results.map((r) => r.data!.executionEvents.seq)).toEqual([2, 3, 4, 5, 6, 7])
    expect(resumed.results).toEqual(full.results.slice(1))
    const after = await counted()
    expect(after.shared - before.shared).toBe(0)
    expect(after.executed - before.executed).toBe(2 * 5)
  })

  it('two tenants with the same selection never share a result', async () => {
    const [a, b] = [await signUp(t), await signUp(t)]
    const runs = [await claimedRun(a), await claimedRun(b)]
    const sockets = [a, b].map((s) => connectWs(t.port!, { authorization: s.headers.authorization }))
    const ops = runs.map((r, i) => sockets[i]!.start<Event>(selection, { id: r.id }))
    await eventually(() => ops.forEach((op) => expect(op.results).toHaveLength(2)))
    const before = await counted()
    await Promise.all(runs.map((r) => finish(r.writer, 2)))
    await Promise.all(ops.map((op) => op.done))
    const after = await counted()
    expect(after.shared - before.shared).toBe(0)
    expect(after.executed - before.executed).toBe(2 * 4)
    // Cursors are each tenant's own: one tenant's cursor is refused on the other's run.
    const foreign = await sockets[1]!.start(selection, { id: runs[1]!.id, after: ops[0]!.results[0]!.data!.executionEvents.cursor }).done.catch((e: unknown) => e)
    expect(JSON.stringify(foreign)).toMatch(/VALIDATION_FAILED/)
  })
})
