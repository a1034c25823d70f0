// Syncing an MCP server's tool list into `tools` rows (kind MCP), and the worker's look-up of where to call one.
// The list is cached in those rows: a sync upserts what the server lists (filtered by allowedTools), marks what it
// no longer lists unavailable, records READY or ERROR with lastError, and sets when the list goes stale
// (`toolsExpireAt`: the server's ttlMs within bounds, else MCP_TOOLS_TTL_SECONDS). Failures never throw to the caller.
import type { Prisma } from '../generated/prisma/client.ts'
import { ToolCallError } from '../tools/errors.ts'
import { listMcpTools, type McpEndpoint, type McpToolInfo } from '../tools/mcp-client.ts'
import { validateInputSchema } from '../tools/schema.ts'
import { isUniqueViolation } from './db-errors.ts'
import type { AppDeps } from './session.ts'

/** The purpose sealed headers are bound to (associated data): they open only as this server's headers. */
export const headersPurpose = (tenantId: string, serverId: string) => `mcp-headers:${tenantId}:${serverId}`

type Sealed = { tenantId: string; id: string; url: string; headersSealed: string | null }

/** The URL and opened headers of a server row: for talking to that server only. */
export function endpointOf(deps: AppDeps, server: Sealed): McpEndpoint {
  const opened = server.headersSealed ? deps.secrets.open(server.headersSealed, headersPurpose(server.tenantId, server.id)) : '[]'
  if (opened === null) throw new Error(`the headers of MCP server ${server.id} do not open under this key`)
  const headers = JSON.parse(opened) as { name: string; value: string }[]
  return { url: server.url, headers: Object.fromEntries(headers.map((h) => [h.name, h.value])) }
}

/** The tool name agents and models see: `<server>__<tool>`, within the tenant's tool-name rules. */
export const mcpToolName = (server: string, tool: string) => `${server}__${tool}`.replace(/[^\p{L}\p{N} _.:-]/gu, '_').slice(0, 100)

const MAX_TTL_MS = 30 * 86_400_000

/** When a list fetched now goes stale: the server's hint (floored at the minimum) or the configured default. */
export function toolsExpiry(cfg: AppDeps['config']['mcp'], ttlMs: number | undefined, now = Date.now()): Date {
  const ms = ttlMs === undefined ? cfg.toolsTtlSeconds * 1_000 : Math.min(MAX_TTL_MS, Math.max(cfg.toolsMinTtlSeconds * 1_000, ttlMs))
  return new Date(now + ms)
}

/** Fetches the server's tools and stores them; returns the server with its new status. */
export async function syncMcpServer(deps: AppDeps, tenantId: string, id: string) {
  const db = deps.db.forTenant(tenantId)
  const server = await db.client.mcpServer.findUniqueOrThrow({ where: { id } })
  const cfg = deps.config
  let listed: McpToolInfo[]
  let ttlMs: number | undefined
  try {
    ({ tools: listed, ttlMs } = await listMcpTools(endpointOf(deps, server), {
      policy: cfg.mcp, signal: new AbortController().signal, timeoutMs: cfg.httpTools.timeoutMs, maxResponseBytes: cfg.httpTools.maxResponseBytes,
    }))
  } catch (e) {
    const message = e instanceof ToolCallError ? e.message : 'The MCP server could not be listed.'
    // Tried again after the minimum TTL: a server that was down comes back without anyone refreshing it.
    return db.client.mcpServer.update({ where: { id }, data: { status: 'ERROR', lastError: message, toolsExpireAt: toolsExpiry(cfg.mcp, 0) } })
  }
  const wanted = listed.filter((t) => server.allowAllTools || server.allowedTools.includes(t.name))
  const invalid = wanted.filter((t) => !t.name || validateInputSchema(t.inputSchema ?? { type: 'object' }).length > 0)
  const usable = wanted.filter((t) => !invalid.includes(t))
  const notes = invalid.length ? `Skipped ${invalid.length} tool(s) without a name or with an invalid input schema: ${invalid.slice(0, 10).map((t) => t.name || '(unnamed)').join(', ')}.` : null
  try {
    return await db.tx(async (tx) => {
      // One sync per server at a time: a concurrent refresh waits here and then sees this one's rows.
      await tx.$queryRaw`SELECT id FROM mcp_servers WHERE id = ${id}::uuid AND tenant_id = app_tenant_id() FOR UPDATE`
      for (const t of usable) {
        const data = {
          name: mcpToolName(server.name, t.name), description: t.description.slice(0, 2_000), kind: 'MCP' as const,
          inputSchema: (t.inputSchema ?? { type: 'object' }) as Prisma.InputJsonObject, available: true, requiresApproval: server.requiresApproval,
        }
        await tx.tool.upsert({
          where: { mcpServerId_remoteName: { mcpServerId: id, remoteName: t.name } },
          create: { ...data, tenantId: server.tenantId, mcpServerId: id, remoteName: t.name },
          update: { ...data, version: { increment: 1 } },
        })
      }
      await tx.tool.updateMany({ where: { mcpServerId: id, remoteName: { notIn: usable.map((t) => t.name) }, available: true }, data: { available: false } })
      return tx.mcpServer.update({ where: { id }, data: { status: 'READY', lastSyncedAt: new Date(), lastError: notes, toolsExpireAt: toolsExpiry(cfg.mcp, ttlMs) } })
    })
  } catch (e) {
    if (!isUniqueViolation(e)) throw e
    const lastError = 'A tool of this server has the same name as another tool of the tenant; rename one of them.'
    return db.client.mcpServer.update({ where: { id }, data: { status: 'ERROR', lastError, toolsExpireAt: toolsExpiry(cfg.mcp, 0) } })
  }
}

/** Where the worker calls an MCP tool: its server's URL and headers; TOOL_UNAVAILABLE if it is gone or unlisted. */
export async function mcpEndpointFor(deps: AppDeps, tenantId: string, toolId: string): Promise<McpEndpoint & { remoteName: string; serverId: string }> {
  const tool = await deps.db.forTenant(tenantId).client.tool.findUnique({ where: { id: toolId }, include: { mcpServer: true } })
  if (!tool?.mcpServer || !tool.remoteName) throw new ToolCallError('TOOL_UNAVAILABLE', 'This MCP tool no longer exists.')
  if (!tool.available) throw new ToolCallError('TOOL_UNAVAILABLE', `The MCP server no longer lists the tool ${tool.remoteName}.`)
  return { ...endpointOf(deps, tool.mcpServer), remoteName: tool.remoteName, serverId: tool.mcpServer.id }
}
