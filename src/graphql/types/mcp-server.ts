import { encodeGlobalId } from '../../global-ids.ts'
import { sessionOf } from '../../context.ts'
import type { McpServer } from '../../generated/prisma/client.ts'
import { createMcpServer, deleteMcpServer, listMcpServers, refreshMcpServer, type McpServerQuery } from '../../services/mcp-servers.ts'
import { builder } from '../builder.ts'
import { tenantRowScopes } from '../type-scopes.ts'
import { connectionNames, nodeQuery, pageConnection } from '../connection.ts'
import { decodeId } from '../ids.ts'

const McpServerStatusEnum = builder.enumType('McpServerStatus', {
  values: {
    SYNCING: { description: 'Registered; its tool list is being fetched.' },
    READY: { description: 'The last sync succeeded; its tools are current as of lastSyncedAt.' },
    ERROR: { description: 'The last sync failed (lastError says why); tools from earlier syncs stay as they were.' },
  } as const,
})

export const McpServerRef = builder.prismaNode('McpServer', {
  id: { field: 'id' },
  authScopes: tenantRowScopes('TOOLS_READ'),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique in the tenant; prefixes its tools’ names (`<name>__<tool>`).' }),
    url: t.exposeString('url', { description: 'The Streamable HTTP endpoint.' }),
    headerNames: t.exposeStringList('headerNames', { description: 'Names of the headers sent to the server; their values are write-only.' }),
    allowedTools: t.stringList({ nullable: true, description: 'Only these tools are synced; null: all the server lists.', resolve: (m) => (m.allowAllTools ? null : m.allowedTools) }),
    requiresApproval: t.exposeBoolean('requiresApproval', { description: 'Calls of its tools interrupt the run for approval.' }),
    status: t.expose('status', { type: McpServerStatusEnum }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    toolsExpireAt: t.expose('toolsExpireAt', {
      type: 'DateTime', nullable: true,
      description: "When the cached tool list goes stale and is listed again (the server's ttlMs, else MCP_TOOLS_TTL_SECONDS; sooner on list_changed).",
    }),
    tools: t.relation('tools', { description: 'Its tools (kind MCP), unavailable ones included.', query: { orderBy: { name: 'asc' } } }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
})

builder.queryFields((t) => ({
  mcpServers: t.connection(
    {
      type: McpServerRef,
      description: "The tenant's MCP servers, newest first.",
      authScopes: { scope: 'TOOLS_READ' },
      resolve: (_root, args, ctx, info) => pageConnection(ctx, 'mcpServers', args, (s, req) => listMcpServers(s, req, nodeQuery(ctx, info) as McpServerQuery)),
    },
    ...connectionNames('McpServer'),
  ),
}))

const HeaderInput = builder.inputType('HeaderInput', {
  fields: (t) => ({ name: t.string({ required: true }), value: t.string({ required: true, description: 'Write-only: stored encrypted, never returned or logged.' }) }),
})
const CreateMcpServerInput = builder.inputType('CreateMcpServerInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    url: t.string({ required: true, description: 'https (http and private addresses only where the server allows them).' }),
    headers: t.field({ type: [HeaderInput], description: 'Sent with every request to the server (e.g. Authorization).' }),
    allowedTools: t.stringList({ description: 'Sync only these tools (by their name on the server); absent or null: all.' }),
    requiresApproval: t.boolean({ description: 'Calls of its tools interrupt the run for approval (default false).' }),
  }),
})
const IdInput = (name: string) => builder.inputType(name, { fields: (t) => ({ id: t.id({ required: true }) }) })
const RefreshMcpServerInput = IdInput('RefreshMcpServerInput')
const DeleteMcpServerInput = IdInput('DeleteMcpServerInput')

const McpServerPayload = (name: string) =>
  builder.objectRef<{ mcpServer: McpServer }>(name).implement({ fields: (t) => ({ mcpServer: t.field({ type: McpServerRef, resolve: (p) => p.mcpServer }) }) })
const DeleteMcpServerPayload = builder.objectRef<{ deletedId: string }>('DeleteMcpServerPayload').implement({
  fields: (t) => ({ deletedId: t.exposeID('deletedId') }),
})

builder.mutationFields((t) => ({
  createMcpServer: t.field({
    type: McpServerPayload('CreateMcpServerPayload'),
    auditAction: 'mcp_server.create',
    authScopes: { scope: 'TOOLS_WRITE' },
    args: { input: t.arg({ type: CreateMcpServerInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ mcpServer: await createMcpServer(sessionOf(ctx), input) }),
  }),
  refreshMcpServer: t.field({
    type: McpServerPayload('RefreshMcpServerPayload'),
    auditAction: 'mcp_server.refresh',
    authScopes: { scope: 'TOOLS_WRITE' },
    args: { input: t.arg({ type: RefreshMcpServerInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ mcpServer: await refreshMcpServer(sessionOf(ctx), { id: decodeId(String(input.id), 'McpServer') }) }),
  }),
  deleteMcpServer: t.field({
    type: DeleteMcpServerPayload,
    auditAction: 'mcp_server.delete',
    authScopes: { scope: 'TOOLS_WRITE' },
    args: { input: t.arg({ type: DeleteMcpServerInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ deletedId: encodeGlobalId('McpServer', await deleteMcpServer(sessionOf(ctx), { id: decodeId(String(input.id), 'McpServer') })) }),
  }),
}))
