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
import { claimableAmong, claimNext, requeueStale } from '../services/runs/claims.ts'
import { runExecution } from './runner.ts'
import { startMcpRefresher } from './mcp-refresher.ts'
import { startWebhookDispatcher } from './webhooks.ts'
import { startExportRunner } from './exports.ts'

export interface WorkerPool {
  readonly id: string
  /** Executions being run right now. */
  readonly active: number
  /**
   * Stops claiming; running executions get `graceMs` to finish, then are returned to the queue. With
   * `serveWaitsUntil` (aborted when the server answers its last requests), the runs this process's requests wait on
   * (`deps.waiters`) are still claimed within the grace, and run until that signal rather than the grace's end.
   */
  stop(graceMs: number, opts?: { serveWaitsUntil?: AbortSignal }): Promise<void>
}

/** While draining, how often a waited run that could not be claimed yet (caps, thread order) is tried again. */
const drainPollMs = 200

/** Starts a worker with `slots` concurrent runs. */
export function startWorkerPool(deps: AppDeps, slots: number): WorkerPool {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  const log = deps.logger.child({ worker: id })
  // Each run's own stop: a shutdown hands back first the runs nobody here waits on, then the rest.
  const running = new Map<string, { done: Promise<void>; stop: AbortController; forWait: boolean }>()
  let stopping = false
  let draining = false
  const alarm = alarmOn(deps.pubsub, topics.queue)
  const unhold = deps.waiters.onHold(() => draining && alarm.wake())

  const reclaim = async () => {
    for (const r of await requeueStale(deps, deps.config.worker.staleMs)) {
      log.warn({ executionId: r.id }, 'requeued an execution whose worker stopped heartbeating')
    }
  }

  /**
   * Draining with every slot taken while runs a request here waits on sit in the queue: hands back the newest run
   * nobody here waits on (another process continues it from its log), one per such waited run, to free its slot.
   */
  const makeRoom = async () => {
    const waited = new Set(deps.waiters.ids())
    const needed = await claimableAmong(deps, [...waited].filter((e) => !running.has(e)))
    const freeing = [...running.values()].filter((r) => r.stop.signal.aborted).length
    const spare = [...running].filter(([e, r]) => !waited.has(e) && !r.forWait && !r.stop.signal.aborted).reverse()
    for (const [executionId, r] of spare.slice(0, Math.max(0, needed.length - freeing))) {
      log.info({ executionId }, 'draining: handed back a run to make room for one a request here waits on')
      r.stop.abort()
    }
  }

  const start = async () => {
    // Draining: only the runs a request of this process waits on, which no other process can answer.
    const only = draining ? deps.waiters.ids().filter((e) => !running.has(e)) : undefined
    if (only?.length === 0) return false
    if (running.size >= slots) {
      if (draining) await makeRoom()
      return false
    }
    const claimed = await claimNext(deps, id, { only })
    if (!claimed) return false
    if (draining) log.info({ executionId: claimed.id }, 'draining: claimed a run a request here waits on')
    const stop = new AbortController()
    const done = runExecution(deps, claimed, stop.signal).finally(() => {
      running.delete(claimed.id)
      alarm.wake() // a slot is free
    })
    running.set(claimed.id, { done, stop, forWait: draining })
    return true
  }

  const loop = async () => {
    let lastReclaim = 0
    let lastPurge = 0
    let lastTenantPurge = 0
    while (!stopping) {
      try {
        if (!draining && Date.now() - lastReclaim > deps.config.worker.staleMs / 3) {
          lastReclaim = Date.now()
          await reclaim()
        }
        // Audit retention: idempotent, so every worker may run it; hourly is plenty for a days-long period.
        if (!draining && Date.now() - lastPurge > 3_600_000) {
          lastPurge = Date.now()
          const purged = await purgeAuditLog(deps)
          if (purged) log.info({ purged }, 'purged expired audit entries')
        }
        // Deleted tenants whose grace period is over: a minute late at most.
        if (!draining && Date.now() - lastTenantPurge > 60_000) {
          lastTenantPurge = Date.now()
          await purgeDueTenants(deps)
        }
        if (await start()) continue
      } catch (err) {
        if (!stopping) log.warn({ err: (err as Error).message }, 'worker loop error')
      }
      await alarm.sleep(draining ? Math.min(drainPollMs, deps.config.worker.pollMs) : deps.config.worker.pollMs)
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
    async stop(graceMs, opts = {}) {
      const othersStopped = Promise.all([webhooks.stop(), mcp.stop(), exports.stop()])
      const until = opts.serveWaitsUntil?.aborted ? undefined : opts.serveWaitsUntil
      const graceOver = new Promise<void>((r) => setTimeout(r, graceMs).unref())
      const runsDone = () => Promise.all([...running.values()].map((r) => r.done))
      if (until) {
        draining = true
        alarm.wake()
        await Promise.race([graceOver, aborted(until)])
      }
      stopping = true
      unhold()
      alarm.close()
      alarm.wake()
      await looping
      await Promise.race([runsDone(), graceOver])
      const waited = new Set(until && !until.aborted ? deps.waiters.ids() : [])
      for (const [execution, r] of running) if (!waited.has(execution) && !(until && r.forWait)) r.stop.abort()
      if (until && running.size) await Promise.race([runsDone(), aborted(until)])
      for (const r of running.values()) r.stop.abort()
      await Promise.all([runsDone(), othersStopped])
    },
  }
}

const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })))
