// `npm run worker`: a worker process without the HTTP server, for scaling runs out. SIGTERM stops claiming, lets
// running executions finish (SHUTDOWN_TIMEOUT_MS), returns the rest to the queue and exits 0. With METRICS_PORT it
// serves /metrics and /health/live, /health/ready (the database answers, the process is not stopping) there.
import { loadConfigOrExit } from '../config.ts'
import { buildDeps } from '../deps.ts'
import { createMetricsEndpoint } from '../http/metrics-endpoint.ts'
import { startWorkerPool } from './pool.ts'

const config = loadConfigOrExit()
if (!config.database.url) {
  console.error('npm run worker needs DATABASE_URL: the embedded database belongs to the server process (its in-process worker runs there)')
  process.exit(1)
}

const { deps, close } = await buildDeps(config)
const slots = Math.max(1, config.workers || config.worker.concurrency)
const pool = startWorkerPool(deps, slots)
let stopping = false
const endpoint = createMetricsEndpoint(deps, () => (stopping ? Promise.resolve(false) : deps.db.ping().then(() => true)))
const metricsPort = await endpoint.listen()
deps.logger.info({ worker: pool.id, slots, metricsPort }, 'worker started')

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    deps.logger.info({ signal }, 'worker stopping')
    // Runs get the budget less a reserve for handing the unfinished ones back and closing connections.
    void pool.stop(config.shutdownTimeoutMs - Math.min(3_000, Math.floor(config.shutdownTimeoutMs * 0.3))).then(() => endpoint.close()).then(close).then(() => process.exit(0), (err: unknown) => {
      deps.logger.error({ err }, 'worker shutdown failed')
      process.exit(1)
    })
  })
}
