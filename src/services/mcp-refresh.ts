// Keeping MCP tool lists current without anyone pressing refresh: servers whose cached list expired (toolsExpireAt)
// are claimed one process at a time and synced again; a list_changed notification or a call to a tool the server no
// longer has marks the list stale at once and wakes the refreshers (worker/mcp-refresher.ts).
import { systemTx } from '../db/scope.ts'
import { topics } from '../events/topics.ts'
import type { McpEndpoint } from '../tools/mcp-client.ts'
import { endpointOf } from './mcp-sync.ts'
import type { AppDeps } from './session.ts'

export interface StaleMcpServer {
  id: string
  tenantId: string
}

/**
 * Claims up to `limit` servers whose list is stale, pushing their expiry `leaseMs` ahead so no other process takes
 * them meanwhile (the sync then sets the real expiry).
 */
export async function claimStaleMcpServers(deps: AppDeps, limit: number, leaseMs: number): Promise<StaleMcpServer[]> {
  return systemTx(deps.db.prisma, { purpose: 'worker' }, (tx) => tx.$queryRaw<StaleMcpServer[]>`
    UPDATE mcp_servers SET tools_expire_at = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE id IN (
      -- No expiry yet: a server registered before expiries existed (one being registered has a minute to sync).
      SELECT id FROM mcp_servers WHERE tools_expire_at <= now() OR (tools_expire_at IS NULL AND created_at < now() - interval '1 minute')
      ORDER BY tools_expire_at NULLS FIRST FOR UPDATE SKIP LOCKED LIMIT ${limit}
    )
    RETURNING id, tenant_id AS "tenantId"`)
}

/** Marks a server's cached tool list stale now and wakes the refreshers. */
export async function markMcpServerStale(deps: AppDeps, tenantId: string, serverId: string): Promise<void> {
  await deps.db.forTenant(tenantId).client.mcpServer.updateMany({ where: { id: serverId }, data: { toolsExpireAt: new Date() } })
  await deps.pubsub.publish(topics.mcpStale, { serverId })
}

/** A call found the tool gone from its server: unavailable at once (the next runs skip the call), list re-synced. */
export async function markMcpToolGone(deps: AppDeps, tenantId: string, toolId: string, serverId: string): Promise<void> {
  await deps.db.forTenant(tenantId).client.tool.updateMany({ where: { id: toolId, mcpServerId: serverId }, data: { available: false } })
  await markMcpServerStale(deps, tenantId, serverId)
}

export interface WatchableMcpServer extends StaleMcpServer {
  /** Changes when the server's URL or headers change: a watch on the old endpoint must be replaced. */
  version: string
  endpoint: () => McpEndpoint
}

/** READY servers of every tenant (oldest first, up to `limit`): the ones whose list_changed is worth hearing. */
export async function watchableMcpServers(deps: AppDeps, limit: number): Promise<WatchableMcpServer[]> {
  const rows = await systemTx(deps.db.prisma, { purpose: 'worker' }, (tx) => tx.$queryRaw<{ id: string; tenantId: string; url: string; headersSealed: string | null }[]>`
    SELECT id, tenant_id AS "tenantId", url, headers_sealed AS "headersSealed" FROM mcp_servers
    WHERE status = 'READY' ORDER BY created_at, id LIMIT ${limit}`)
  return rows.map((r) => ({ id: r.id, tenantId: r.tenantId, version: `${r.url}\n${r.headersSealed ?? ''}`, endpoint: () => endpointOf(deps, r) }))
}
