// A burst of runs from a tenant whose plan is not cached yet: the admission counts each run inside a transaction, so
// nothing it needs may wait for a second pooled connection meanwhile. With a pool of two and ten concurrent runs,
// every transaction holding a connection while waiting for another would deadlock the pool (seen as runAgent
// answering nothing under `npm run bench -- S3` until the pool's timeout).
import { expect, it } from 'vitest'
import { startApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { signUp } from '../helpers/tenants.ts'

it('admits a burst of concurrent runs on a cold plan cache with a small pool', async () => {
  // Without request limits nothing loads the tenant's plan before the burst (as in the benchmark).
  const t = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '0', DB_POOL_SIZE: '2', RATE_LIMITS_ENABLED: 'false' })
  const owner = await signUp(t)
  const agentId = await seedAgent(t, owner, { maxConcurrentExecutions: 100 })
  const answers = await Promise.all(Array.from({ length: 10 }, (_, i) =>
    t.gql<{ runAgent: { execution: { status: string } } }>('mutation($i: RunAgentInput!) { runAgent(input: $i) { execution { status } } }', { i: { agentId, prompt: `burst ${i}` } }, owner.headers)))
  for (const a of answers) expect(a.body.errors, JSON.stringify(a.body.errors)).toBeUndefined()
  expect(answers.map((a) => a.body.data!.runAgent.execution.status)).toEqual(Array(10).fill('QUEUED'))
}, 60_000)
