// The claim carries what the worker needs of the run's tenant to start it: its redactPii setting is read by the
// claim statement itself (not by a query of its own per run start), as the setting stands when the run is claimed.
import { beforeAll, describe, expect, it } from 'vitest'
import { encodeGlobalId } from '../../src/global-ids.ts'
import { claimNext } from '../../src/services/runs/claims.ts'
import { runExecution } from '../../src/worker/runner.ts'
import { rawId } from '../catalog/support.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { seedAgent } from '../helpers/agents.ts'
import { execution, run } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'

let t: TestApp
let statements: string[] | undefined
beforeAll(async () => {
  // No worker: the test claims the runs itself; a database of its own, so the run it claims is the one it queued.
  t = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '0' }, { database: { onQuery: (sql) => statements?.push(sql) } })
})

const setRedaction = async (s: Session, on: boolean) => {
  const r = await t.gql<{ updateTenant: { tenant: { redactPii: boolean } } }>('mutation($on: Boolean) { updateTenant(input: { redactPii: $on }) { tenant { redactPii } } }', { on }, s.headers)
  expect(r.body.data!.updateTenant.tenant.redactPii).toBe(on)
}

/** A statement that reads the tenant's setting on its own (not as part of a claim, an event append or a write). */
const readsRedaction = (sql: string) => /^\s*SELECT\b[\s\S]*redact_pii/i.test(sql) && !/FOR UPDATE OF e SKIP LOCKED/.test(sql)

/** Queues a run of `s` and claims it, returning what the claim carries and the statements the claim sent. */
async function queueAndClaim(s: Session, agentId: string) {
  const e = await run(t, s, { agentId, prompt: 'claim me' })
  statements = []
  const claimed = await claimNext(t.app.deps, 'claim-settings-test')
  const sent = statements
  statements = undefined
  expect(claimed?.id).toBe(rawId(e.id))
  return { claimed: claimed!, sent }
}

describe('claim', () => {
  it('carries the tenant\'s redactPii setting as it stands when the run is claimed, read by the claim statement', async () => {
    const s = await signUp(t)
    const agentId = await seedAgent(t, s)
    expect((await queueAndClaim(s, agentId)).claimed.redactPii).toBe(false)
    // Toggled while a run waits in the queue: the claim reads the new setting.
    const e = await run(t, s, { agentId, prompt: 'queued before the toggle' })
    await setRedaction(s, true)
    const claimedAfterToggle = await claimNext(t.app.deps, 'claim-settings-test')
    expect(claimedAfterToggle).toMatchObject({ id: rawId(e.id), redactPii: true })
    const on = await queueAndClaim(s, agentId)
    expect(on.claimed.redactPii).toBe(true)
    // The setting comes with the candidate: no statement of the claim reads the tenant on its own.
    expect(on.sent.filter((sql) => /FOR UPDATE OF e SKIP LOCKED/.test(sql))[0]).toMatch(/t\.redact_pii/)
    expect(on.sent.filter(readsRedaction)).toEqual([])
    // Nor does the run's start: the worker takes the setting from the claim. The one read left is the run's end, whose
    // transaction redacts what it stores under the setting as it stands when it commits (src/db/pii.ts).
    statements = []
    await runExecution(t.app.deps, on.claimed, new AbortController().signal)
    const runSent = statements
    statements = undefined
    expect(runSent.length).toBeGreaterThan(0)
    expect(runSent.filter(readsRedaction)).toEqual(['SELECT redact_pii FROM tenants WHERE id = $1::uuid'])
    expect((await execution(t, s, encodeGlobalId('Execution', on.claimed.id))).status).toBe('SUCCEEDED')
    await setRedaction(s, false)
    expect((await queueAndClaim(s, agentId)).claimed.redactPii).toBe(false)
  })
})
