// The export runner: produces requested tenant exports one at a time per process (woken by a request, or polling),
// and deletes expired ones. Runs wherever the worker pool runs; any number share the jobs safely (claims, heartbeats).
import type { AppDeps } from '../services/session.ts'
import { topics } from '../events/topics.ts'
import { pollLoop } from './alarm.ts'
import { claimExport, deleteExpiredExports, runExport } from '../services/exports/job.ts'

export interface ExportRunner {
  /** Stops claiming and waits for the export in progress (a cut-short one would be taken over and restarted). */
  stop(): Promise<void>
}

/** Starts the export loop for worker `workerId`. */
export function startExportRunner(deps: AppDeps, workerId: string): ExportRunner {
  const log = deps.logger.child({ component: 'exports' })
  let lastExpiry = 0
  const loop = pollLoop(deps.pubsub, topics.exports, { pollMs: deps.config.worker.pollMs, log, what: 'export loop' }, async () => {
    if (Date.now() - lastExpiry > 60_000) {
      lastExpiry = Date.now()
      const deleted = await deleteExpiredExports(deps)
      if (deleted) log.info({ deleted }, 'deleted expired exports')
    }
    const job = await claimExport(deps, workerId)
    if (!job) return false
    const outcome = await runExport(deps, job, workerId)
    log.info({ exportId: job.id, tenantId: job.tenantId, outcome }, 'tenant export ended')
    return true
  })

  return { stop: () => loop.stop() }
}
