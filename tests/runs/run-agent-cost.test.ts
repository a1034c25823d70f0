// What one runAgent (async) costs the database, counted statement by statement as catalog reads are
// (tests/catalog/n-plus-one.test.ts): one transaction (read the agent with its tools and the tenant's plan and
// redaction setting; count the run against the quota and insert its thread, audit entry and execution in one
// statement; append the tenant's event), its settings sent along with its BEGIN (not in the count), no read whose
// answer is already known; continuing a thread reads it instead of inserting it. docs/performance.md records the
// counts before and after.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { run } from '../helpers/runs.ts'
import { codeOf, signUp, type Session } from '../helpers/tenants.ts'

let t: TestApp
let statements: string[] | undefined
beforeAll(async () => {
  // No worker: its polling would be counted too. Plans and principals stay cached between warm-up and measurement.
  t = await startApp({ WORKERS: '0', PLAN_CACHE_SECONDS: '3600', PRINCIPAL_CACHE_SECONDS: '300' }, { database: { onQuery: (sql) => statements?.push(sql) } })
})

const runAgent = (s: Session, input: Record<string, unknown>) =>
  t.gql<{ runAgent: { execution: { id: string; thread: { id: string } } } }>('mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id thread { id } } } }', { input }, s.headers)

/** The statements one runAgent sends (after an unmeasured one: the credential is then served from its cache). */
async function statementsOf(s: Session, input: Record<string, unknown>) {
  await run(t, s, { ...input, prompt: 'warm up' })
  statements = []
  // The selection bench/run.ts (S3) measures: fields of the created row only.
  const r = await t.gql('mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id status } } }', { input }, s.headers)
  const sent = statements
  statements = undefined
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  if (process.env.PRINT_STATEMENTS) console.log(sent.map((sql) => sql.replace(/\s+/g, ' ').slice(0, 160)).join('\n'))
  return sent
}

const commits = (sent: string[]) => sent.filter((sql) => /^\s*COMMIT/i.test(sql)).length
const redactionReads = (sent: string[]) => sent.filter((sql) => /^\s*SELECT\b[\s\S]*redact_pii/i.test(sql))

describe('runAgent statement count', () => {
  it('a run on a new thread: one transaction, four statements, the redaction setting read with the agent', async () => {
    const s = await signUp(t)
    const agentId = await seedAgent(t, s)
    const sent = await statementsOf(s, { agentId, prompt: 'count me' })
    expect(commits(sent)).toBe(1)
    expect(sent.filter((sql) => /set_config/.test(sql))).toEqual([])
    // The agent; the run's count against the quota, its thread, its audit entry and the run in one statement; the
    // tenant's event; COMMIT.
    expect(sent).toHaveLength(4)
    expect(sent[1]).toMatch(/^\s*WITH counted AS \(\s*INSERT INTO tenant_usage[\s\S]*INSERT INTO threads[\s\S]*INSERT INTO audit_log[\s\S]*INSERT INTO executions/)
    const reads = redactionReads(sent)
    expect(reads).toHaveLength(1)
    expect(reads[0]).toMatch(/"agents"/)
    // The quota's count is sent with the inserts, so its row is locked for the end of the transaction only, and before
    // the tenant's event (the lock order endRun takes: usage, then runs, then the event log).
    expect(sent.slice(-3).map((sql) => sql.trim().slice(0, 60))).toEqual([
      expect.stringMatching(/^WITH counted AS \(\s*INSERT INTO tenant_usage/), expect.stringMatching(/^WITH next AS \(UPDATE tenants/), 'COMMIT',
    ])
    expect(sent.filter((sql) => /tenant_usage|subject_usage/.test(sql))).toHaveLength(1)
  })

  it('a run continuing a thread costs one read more: the thread is checked inside the run\'s transaction', async () => {
    const s = await signUp(t)
    const agentId = await seedAgent(t, s)
    const first = await runAgent(s, { agentId, prompt: 'first' })
    const threadId = first.body.data!.runAgent.execution.thread.id
    const sent = await statementsOf(s, { agentId, prompt: 'second', threadId })
    expect(commits(sent)).toBe(1)
    expect(sent).toHaveLength(5)
    expect(sent[1]).toMatch(/^SELECT id FROM threads/)
  })

  it('INTERRUPT and ROLLBACK count the run before they lock the thread\'s runs, in endRun\'s lock order', async () => {
    const s = await signUp(t)
    const agentId = await seedAgent(t, s)
    const first = await runAgent(s, { agentId, prompt: 'first' })
    const threadId = first.body.data!.runAgent.execution.thread.id
    for (const multitaskStrategy of ['INTERRUPT', 'ROLLBACK']) {
      const sent = await statementsOf(s, { agentId, prompt: multitaskStrategy, threadId, multitaskStrategy })
      expect(commits(sent)).toBe(1)
      const at = (re: RegExp) => sent.findIndex((sql) => re.test(sql))
      // The queued run it cancels: its row, then the tenant's event log; both after the usage row.
      expect(at(/UPDATE executions SET/)).toBeGreaterThan(0)
      expect(at(/INSERT INTO tenant_usage/), multitaskStrategy).toBeLessThan(at(/FOR UPDATE/))
      expect(sent.filter((sql) => /tenant_usage/.test(sql))).toHaveLength(1)
    }
  })

  it('an unknown, foreign or malformed thread is NOT_FOUND, and counts nothing', async () => {
    const s = await signUp(t)
    const other = await signUp(t)
    const agentId = await seedAgent(t, s)
    const foreign = (await runAgent(other, { agentId: await seedAgent(t, other), prompt: 'theirs' })).body.data!.runAgent.execution.thread.id
    const tenantId = Buffer.from(s.tenantId, 'base64').toString().split(':')[1]!
    const usage = async () => (await t.app.deps.db.forTenant(tenantId).client.tenantUsage.findMany()).reduce((n, r) => n + r.executions, 0)
    const before = await usage()
    const missing = Buffer.from('Thread:00000000-0000-4000-8000-000000000000').toString('base64')
    for (const strategy of ['ENQUEUE', 'REJECT']) {
      for (const threadId of [foreign, missing]) {
        expect(codeOf(await runAgent(s, { agentId, prompt: 'where?', threadId, multitaskStrategy: strategy })), `${strategy} ${threadId}`).toBe('NOT_FOUND')
      }
    }
    expect(codeOf(await runAgent(s, { agentId, prompt: 'where?', threadId: Buffer.from('Thread:nope').toString('base64') }))).toBe('NOT_FOUND')
    expect(await usage()).toBe(before)
  })
})
