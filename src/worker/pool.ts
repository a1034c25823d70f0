// The worker: claims queued executions (woken by the queue topic, or polling), runs up to `slots` at once, and
// returns to the queue runs whose worker stopped heartbeating. Runs in the server process by default
// (WORKERS=n slots) or alone (`npm run worker`); any number of them share the queue safely. Each also runs the
// webhook dispatcher (./webhooks.ts), the MCP refresher (./mcp-refresher.ts) and the export runner (./exports.ts).
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import type { AppDeps } from '../services/session.ts'
import { topics } from '../events/topics.ts'
import { alarmOn } from './alarm.ts'
import { purgeDueTenants } from '../services/tenants.ts'
import { purgeAuditLog } from '../services/audit-log.ts'
import { claimNext, requeueStale } from '../services/runs/claims.ts'
import { runExecution } from './runner.ts'
import { startMcpRefresher } from './mcp-refresher.ts'
import { startWebhookDispatcher } from './webhooks.ts'
import { startExportRunner } from './exports.ts'

export interface WorkerPool {
  readonly id: string
  /** Executions being run right now. */
  readonly active: number
  /** Stops claiming; running executions get `graceMs` to finish, then are returned to the queue. */
  stop(graceMs: number): Promise<void>
}

/** Starts a worker with `slots` concurrent runs. */
export function startWorkerPool(deps: AppDeps, slots: number): WorkerPool {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  const log = deps.logger.child({ worker: id })
  const shutdown = new AbortController()
  const running = new Set<Promise<void>>()
  let stopping = false
  const alarm = alarmOn(deps.pubsub, topics.queue)

  const reclaim = async () => {
    for (const r of await requeueStale(deps, deps.config.worker.staleMs)) {
      log.warn({ executionId: r.id }, 'requeued an execution whose worker stopped heartbeating')
    }
  }

  const loop = async () => {
    let lastReclaim = 0
    let lastPurge = 0
    let lastTenantPurge = 0
    while (!stopping) {
      try {
        if (Date.now() - lastReclaim > deps.config.worker.staleMs / 3) {
          lastReclaim = Date.now()
          await reclaim()
        }
        // Audit retention: idempotent, so every worker may run it; hourly is plenty for a days-long period.
        if (Date.now() - lastPurge > 3_600_000) {
          lastPurge = Date.now()
          const purged = await purgeAuditLog(deps)
          if (purged) log.info({ purged }, 'purged expired audit entries')
        }
        // Deleted tenants whose grace period is over: a minute late at most.
        if (Date.now() - lastTenantPurge > 60_000) {
          lastTenantPurge = Date.now()
          await purgeDueTenants(deps)
        }
        if (running.size < slots) {
          const claimed = await claimNext(deps, id)
          if (claimed) {
            const run = runExecution(deps, claimed, shutdown.signal).finally(() => {
              running.delete(run)
              alarm.wake() // a slot is free
            })
            running.add(run)
            continue
          }
        }
      } catch (err) {
        if (!stopping) log.warn({ err: (err as Error).message }, 'worker loop error')
      }
      await alarm.sleep(deps.config.worker.pollMs)
    }
  }
  const looping = loop()
  // Webhook deliveries go out wherever runs are worked on.
  const webhooks = startWebhookDispatcher(deps)
  // MCP tool lists are kept current by the same processes.
  const mcp = startMcpRefresher(deps)
  const exports = startExportRunner(deps, id)

  return {
    id,
    get active() {
      return running.size
    },
    async stop(graceMs) {
      stopping = true
      alarm.close()
      alarm.wake()
      await looping
      const webhooksStopped = Promise.all([webhooks.stop(), mcp.stop()])
      const exportsStopped = exports.stop()
      const grace = new Promise<void>((r) => setTimeout(r, graceMs).unref())
      await Promise.race([Promise.all(running), grace])
      shutdown.abort()
      await Promise.all([...running, webhooksStopped, exportsStopped])
    },
  }
}
