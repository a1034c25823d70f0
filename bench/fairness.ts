// Fairness across tenants: tenant B's run latency (runAgent with wait, request to answer) on an idle server, then
// while tenant A has BACKLOG slow runs queued; prints both medians and their ratio (target ≤ 1.5).
//   npm run bench:fairness        (BACKLOG=50 SAMPLES=7; WORKERS / WORKER_CONCURRENCY / TENANT_MAX_RUNNING_* apply)
import { performance } from 'node:perf_hooks'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { benchServices } from './support.ts'

const BACKLOG = Number(process.env.BACKLOG ?? 50)
const SAMPLES = Number(process.env.SAMPLES ?? 7)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const services = await benchServices()
const limits = { AUTH_RATE_LIMIT_PER_IP_PER_MINUTE: '100000', RATE_LIMIT_FREE_PER_MINUTE: '10000000', FIELD_RATE_LIMITS: 'Mutation.runAgent=1000000/1m', QUOTA_FREE_EXECUTIONS_PER_MONTH: '1000000' }
const config = loadConfig({ ...process.env, ...services.env, ...limits, PORT: '0', LOG_LEVEL: 'warn', SHUTDOWN_TIMEOUT_MS: '100', WORKER_POLL_MS: '200' })
const app = await buildApp(config)
const port = await app.listen()

async function gql<T>(query: string, variables: object, token?: string): Promise<T> {
  const r = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) }, body: JSON.stringify({ query, variables }) })
  const body = (await r.json()) as { data?: T; errors?: unknown }
  if (body.errors) throw new Error(JSON.stringify(body.errors))
  return body.data!
}

async function tenant(name: string) {
  const { signUp } = await gql<{ signUp: { accessToken: string } }>('mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }', { i: { tenantName: name, email: `${name}-${Date.now()}@example.test`, password: 'a long bench password' } })
  const { createAgent } = await gql<{ createAgent: { agent: { id: string } } }>('mutation($i: CreateAgentInput!) { createAgent(input: $i) { agent { id } } }', { i: { name, model: 'mock-1', systemPrompt: 'bench', maxConcurrentExecutions: 100, timeoutSeconds: 600 } }, signUp.accessToken)
  const runAgent = (prompt: string, wait: boolean) =>
    gql<{ runAgent: { execution: { status: string } } }>('mutation($i: RunAgentInput!) { runAgent(input: $i) { execution { status } } }', { i: { agentId: createAgent.agent.id, prompt, wait } }, signUp.accessToken)
  return { runAgent }
}

const [a, b] = await Promise.all([tenant('tenant-a'), tenant('tenant-b')])
const probe = async () => {
  const times: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now()
    const r = await b.runAgent(`a short question number ${i} about the weather`, true)
    if (r.runAgent.execution.status !== 'SUCCEEDED') throw new Error(`B's run ended ${r.runAgent.execution.status}`)
    times.push(performance.now() - start)
  }
  return times
}

await probe() // warm-up: plans, caches, JIT
const idle = await probe()
// Each of A's runs streams ~20 chunks 250 ms apart: about 5 s of waiting on the "model" per run.
for (let i = 0; i < BACKLOG; i++) await a.runAgent(`slow run ${i} [[mock:delay=250]] ${'tell me about the rivers of the world '.repeat(4)}`, false)
const loaded = await probe()
const slots = config.workers ?? config.worker.concurrency
console.log(`fairness (${services.label}; ${slots} worker slots; FREE tenant cap ${config.worker.tenantMaxRunning.FREE}; A's backlog ${BACKLOG} slow runs)`)
console.log(`tenant B, idle server:       median ${median(idle).toFixed(0)} ms  (${idle.map((x) => x.toFixed(0)).join(', ')})`)
console.log(`tenant B, A's backlog queued: median ${median(loaded).toFixed(0)} ms  (${loaded.map((x) => x.toFixed(0)).join(', ')})`)
console.log(`ratio: ${(median(loaded) / median(idle)).toFixed(2)} (target ≤ 1.5)`)
await app.stop()
await services.stop()
process.exit(0)
