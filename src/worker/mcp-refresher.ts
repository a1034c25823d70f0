// The MCP refresher: re-lists servers whose cached tool list went stale (its TTL ran out, a list_changed arrived, a
// call found a tool gone), and holds a watch session on each READY server that can send list_changed over Streamable
// HTTP. Runs wherever the worker pool runs; claims make each stale list synced by one process at a time.
import type { AppDeps } from '../services/session.ts'
import { topics } from '../events/topics.ts'
import { pollLoop } from './alarm.ts'
import { claimStaleMcpServers, markMcpServerStale, watchableMcpServers } from '../services/mcp-refresh.ts'
import { syncMcpServer } from '../services/mcp-sync.ts'
import { watchMcpServer, type McpWatch } from '../tools/mcp-watch.ts'

export interface McpRefresher {
  stop(): Promise<void>
}

const CLAIM_BATCH = 5
const MAX_WATCHES = 200
const RECONCILE_MS = 30_000

interface Watching {
  version: string
  watch?: McpWatch
  /** No list_changed over this transport: not tried again before this time. */
  retryAt: number
  failures: number
}

/** Starts the refresh loop and, when MCP_WATCH_LIST_CHANGED is on, the watch sessions. */
export function startMcpRefresher(deps: AppDeps): McpRefresher {
  const log = deps.logger.child({ component: 'mcp-refresher' })
  const cfg = deps.config
  const leaseMs = cfg.httpTools.timeoutMs + 30_000
  const watching = new Map<string, Watching>()
  const stale = (tenantId: string, id: string) => void markMcpServerStale(deps, tenantId, id).catch((err: unknown) => log.warn({ err: (err as Error).message, mcpServerId: id }, 'could not mark an MCP tool list stale'))

  const refreshDue = async () => {
    for (;;) {
      const due = await claimStaleMcpServers(deps, CLAIM_BATCH, leaseMs)
      for (const server of due) {
        const synced = await syncMcpServer(deps, server.tenantId, server.id).catch(() => undefined)
        log.info({ mcpServerId: server.id, status: synced?.status }, 'refreshed a stale MCP tool list')
      }
      if (due.length < CLAIM_BATCH || loop.stopping) return
    }
  }

  const reconcileWatches = async () => {
    const servers = await watchableMcpServers(deps, MAX_WATCHES)
    const wanted = new Set(servers.map((s) => s.id))
    for (const [id, w] of watching) {
      if (wanted.has(id)) continue
      watching.delete(id)
      await w.watch?.close()
    }
    for (const server of servers) {
      const current = watching.get(server.id)
      if (current && current.version === server.version && (current.watch || current.retryAt > Date.now())) continue
      await current?.watch?.close()
      const entry: Watching = { version: server.version, retryAt: 0, failures: current?.version === server.version ? current.failures : 0 }
      watching.set(server.id, entry)
      try {
        entry.watch = (await watchMcpServer(server.endpoint(), {
          policy: cfg.mcp, timeoutMs: cfg.httpTools.timeoutMs, maxResponseBytes: cfg.httpTools.maxResponseBytes,
          onChanged: () => stale(server.tenantId, server.id),
          onEnded: () => {
            // Notifications may have been missed while the stream was down: re-list, and watch again after a pause.
            entry.watch = undefined
            entry.retryAt = Date.now() + Math.min(60_000, 1_000 * 2 ** entry.failures++)
            stale(server.tenantId, server.id)
          },
        })) ?? undefined
        if (!entry.watch) entry.retryAt = Date.now() + cfg.mcp.toolsTtlSeconds * 1_000
        else entry.failures = 0
      } catch {
        entry.retryAt = Date.now() + Math.min(60_000, 1_000 * 2 ** entry.failures++)
      }
    }
  }

  let lastReconcile = 0
  const loop = pollLoop(deps.pubsub, topics.mcpStale, { pollMs: Math.max(cfg.worker.pollMs, 1_000), log, what: 'MCP refresh loop' }, async () => {
    await refreshDue()
    if (cfg.mcp.watchListChanged && Date.now() - lastReconcile > Math.min(RECONCILE_MS, cfg.worker.pollMs * 10)) {
      lastReconcile = Date.now()
      await reconcileWatches()
    }
  })
  return {
    async stop() {
      await loop.stop()
      await Promise.all([...watching.values()].map((w) => w.watch?.close()))
      watching.clear()
    },
  }
}
