// MCP servers: a tenant registers a Streamable HTTP endpoint (with secret headers); its tools are synced into
// `tools` rows of kind MCP that agents attach like any tool. Header values are sealed at rest and never leave this
// module's sibling mcp-sync.ts, and only towards that server.
import { AppError, notFound } from '../errors.ts'
import type { Prisma, McpServer } from '../generated/prisma/client.ts'
import { validateToolUrl } from '../tools/http-tool.ts'
import { REDACTED } from './audit-diff.ts'
import { auditChange } from './audit.ts'
import { isUniqueViolation } from './db-errors.ts'
import { headersPurpose, syncMcpServer } from './mcp-sync.ts'
import { page, type PageRequest } from './paging.ts'
import type { Session } from './session.ts'
import { nameRule, Problems, text } from './validation.ts'

export interface McpServerInput {
  name: string
  url: string
  headers?: { name: string; value: string }[] | null
  allowedTools?: string[] | null
  requiresApproval?: boolean | null
}

export type McpServerQuery = { include?: Prisma.McpServerInclude }

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/
// Headers the transport sets itself; letting a tenant set them would break the protocol or the SSRF boundary.
const reservedHeaders = new Set(['host', 'content-length', 'content-type', 'accept', 'connection', 'transfer-encoding', 'mcp-session-id', 'mcp-protocol-version', 'accept-encoding'])

function validate(s: Session, input: McpServerInput) {
  const p = new Problems()
  const name = text(p, 'name', input.name, nameRule)
  const url = typeof input.url === 'string' ? input.url.trim() : ''
  p.addAll(validateToolUrl(url, s.deps.config.mcp))
  const headers = input.headers ?? []
  if (headers.length > 20) p.add('headers', 'must have at most 20 entries')
  const seen = new Set<string>()
  headers.forEach((h, i) => {
    const lower = h.name.toLowerCase()
    if (!headerName.test(h.name)) p.add(`headers.${i}.name`, 'must be an HTTP header name')
    else if (reservedHeaders.has(lower)) p.add(`headers.${i}.name`, 'is set by the MCP transport and cannot be overridden')
    else if (seen.has(lower)) p.add(`headers.${i}.name`, 'is given twice')
    seen.add(lower)
    // Only the position is named: the value is a secret and must not echo back in an error.
    if (h.value.length > 8_192 || /[\r\n\0]/.test(h.value)) p.add(`headers.${i}.value`, 'must be at most 8,192 characters without line breaks')
  })
  const allowed = input.allowedTools
  if (allowed && allowed.length > 500) p.add('allowedTools', 'must have at most 500 entries')
  allowed?.forEach((t, i) => t.length > 200 && p.add(`allowedTools.${i}`, 'must be at most 200 characters'))
  p.check()
  return { name, url, headers, allowedTools: allowed ?? null, requiresApproval: input.requiresApproval ?? false }
}

/** What an audit entry shows of a server: header names with their values redacted. */
const view = (m: McpServer) => ({
  name: m.name, url: m.url, headers: Object.fromEntries(m.headerNames.map((n) => [n, REDACTED])),
  allowedTools: m.allowAllTools ? null : m.allowedTools, requiresApproval: m.requiresApproval,
})

/** MCP servers of the caller's tenant, newest first. */
export function listMcpServers(s: Session, req: PageRequest, query: McpServerQuery = {}) {
  return page(req, 'id', (args) => s.db.client.mcpServer.findMany({ ...query, ...args }), () => s.db.client.mcpServer.count())
}

/** One MCP server of the caller's tenant; NOT_FOUND otherwise. */
export async function getMcpServer(s: Session, id: string, query: McpServerQuery = {}) {
  const server = await s.db.client.mcpServer.findUnique({ ...query, where: { id } })
  if (!server) throw notFound('McpServer')
  return server
}

/** Registers an MCP server (headers sealed) and syncs its tools at once; an unreachable server ends in ERROR. */
export async function createMcpServer(s: Session, input: McpServerInput) {
  const v = validate(s, input)
  const tenantId = s.principal.tenantId
  let server: McpServer
  try {
    server = await s.db.tx(async (tx) => {
      const created = await tx.mcpServer.create({
        data: { tenantId, name: v.name, url: v.url, headerNames: v.headers.map((h) => h.name), allowAllTools: v.allowedTools === null, allowedTools: v.allowedTools ?? [], requiresApproval: v.requiresApproval },
      })
      const sealed = v.headers.length ? s.deps.secrets.seal(JSON.stringify(v.headers), headersPurpose(tenantId, created.id)) : null
      const withHeaders = await tx.mcpServer.update({ where: { id: created.id }, data: { headersSealed: sealed } })
      await auditChange(tx, s, { action: 'mcp_server.create', resourceType: 'McpServer', resourceId: created.id, changes: { after: view(withHeaders) } as Prisma.InputJsonObject })
      return withHeaders
    })
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('CONFLICT', 'An MCP server with this name already exists.', { fields: [{ path: 'name', message: 'is already used by another MCP server' }] })
    throw e
  }
  return syncMcpServer(s.deps, tenantId, server.id)
}

/** Lists the server's tools again now (the cache is otherwise what the last sync stored). */
export async function refreshMcpServer(s: Session, input: { id: string }) {
  await getMcpServer(s, input.id)
  const server = await syncMcpServer(s.deps, s.principal.tenantId, input.id)
  await s.db.tx((tx) => auditChange(tx, s, { action: 'mcp_server.refresh', resourceType: 'McpServer', resourceId: server.id, metadata: { status: server.status } }))
  return server
}

/** Deletes a server and its tools (agents using them lose them). */
export async function deleteMcpServer(s: Session, input: { id: string }) {
  return s.db.tx(async (tx) => {
    const server = await tx.mcpServer.findUnique({ where: { id: input.id }, include: { tools: { select: { agentTools: { select: { agentId: true } } } } } })
    if (!server) throw notFound('McpServer')
    const agentIds = [...new Set(server.tools.flatMap((t) => t.agentTools.map((a) => a.agentId)))]
    if (agentIds.length) await tx.agent.updateMany({ where: { id: { in: agentIds } }, data: { version: { increment: 1 } } })
    await tx.mcpServer.delete({ where: { id: server.id } })
    await auditChange(tx, s, { action: 'mcp_server.delete', resourceType: 'McpServer', resourceId: server.id, changes: { before: view(server) } as Prisma.InputJsonObject })
    return server.id
  })
}
