import { encodeGlobalId } from '../../global-ids.ts'
import { sessionOf } from '../../context.ts'
import { AppError } from '../../errors.ts'
import type { Tool } from '../../generated/prisma/client.ts'
import { createTool, deleteTool, getTool, listTools, updateTool, type ToolQuery } from '../../services/tools.ts'
import { publicToolUrl } from '../../services/tool-secrets.ts'
import { builder } from '../builder.ts'
import { tenantRowScopes } from '../type-scopes.ts'
import { connectionNames, nodeQuery, pageConnection } from '../connection.ts'
import { decodeId } from '../ids.ts'

export const ToolKindEnum = builder.enumType('ToolKind', {
  values: { BUILTIN: { description: 'A handler shipped with the server, named by `handler`.' }, HTTP: { description: 'An https endpoint (`url`) the worker POSTs the arguments to.' },
    MCP: { description: 'A tool of a registered MCP server (`mcpServer`), synced from its tool list.' },
  } as const,
})

export const ToolRef = builder.prismaNode('Tool', {
  id: { field: 'id' },
  // Select mode: a read loads the columns its selection needs (plus these, for the id and the tenant check), never
  // the large ones nobody asked for.
  select: { id: true, tenantId: true },
  authScopes: tenantRowScopes('TOOLS_READ'),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique in the tenant.' }),
    description: t.exposeString('description'),
    kind: t.expose('kind', { type: ToolKindEnum }),
    handler: t.exposeString('handler', { nullable: true, description: 'BUILTIN: the built-in handler (echo, calculator, current_time).' }),
    url: t.string({
      nullable: true,
      description: 'HTTP: the endpoint called by the worker, with every query value and the fragment shown as `[REDACTED]` (to every reader). Sending it back unchanged in updateTool keeps the stored URL.',
      select: { url: true },
      resolve: (tool) => publicToolUrl(tool.url),
    }),
    headerNames: t.exposeStringList('headerNames', { description: 'HTTP: names of the headers sent with every call. Their values are write-only.' }),
    inputSchema: t.expose('inputSchema', { type: 'JSON', description: 'JSON Schema of the arguments object.' }),
    mcpServer: t.relation('mcpServer', { nullable: true, description: 'MCP: the server this tool comes from.' }),
    available: t.exposeBoolean('available', { description: 'MCP: false once the server no longer lists the tool; calls then fail with TOOL_UNAVAILABLE.' }),
    requiresApproval: t.exposeBoolean('requiresApproval', { description: "Calls interrupt the run for approval (MCP: the server's requiresApproval)." }),
    version: t.exposeInt('version', { description: 'Increases with every update; pass it as expectedVersion to detect concurrent changes.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

const ToolFilter = builder.inputType('ToolFilter', {
  fields: (t) => ({
    agentName: t.string({ description: 'Only tools used by the agent with this name (case-insensitive).' }),
    search: t.string({ description: 'Case-insensitive substring of the name or description.' }),
  }),
})

builder.queryFields((t) => ({
  tools: t.connection(
    {
      type: ToolRef,
      description: "The tenant's tools, newest first.",
      authScopes: { scope: 'TOOLS_READ' },
      args: { filter: t.arg({ type: ToolFilter }) },
      resolve: (_root, args, ctx, info) =>
        pageConnection(ctx, 'tools', args, (s, req) => listTools(s, req, args.filter ?? {}, nodeQuery(ctx, info) as ToolQuery)),
    },
    ...connectionNames('Tool'),
  ),
  tool: t.prismaField({
    type: 'Tool',
    nullable: true,
    authScopes: { scope: 'TOOLS_READ' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) => getTool(sessionOf(ctx), decodeId(String(id), 'Tool'), query),
  }),
}))

const toolFields = {
  description: 'Up to 2,000 characters.',
  handler: 'BUILTIN only: echo, calculator or current_time.',
  url: 'HTTP only: an https URL (private and loopback addresses are refused unless the server allows them).',
  headers: 'HTTP only: at most 20 headers sent with every call; their values are write-only.',
  inputSchema: "JSON Schema (an object schema) of the arguments; defaults to the handler's schema for BUILTIN tools.",
}

const HttpHeaderInput = builder.inputType('HttpHeaderInput', {
  description: 'A header sent with every call of an HTTP tool (e.g. `Authorization`). The value is write-only: stored encrypted, never returned.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'An HTTP header name; transport headers (Host, Content-Type, Content-Length, Connection, Proxy-*, …) are refused.' }),
    value: t.string({ required: true, description: 'Up to 4,096 printable characters.' }),
  }),
})

const CreateToolInput = builder.inputType('CreateToolInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'At most 100 characters: letters, digits, spaces and _ - . :' }),
    description: t.string({ required: true, description: toolFields.description }),
    kind: t.field({ type: ToolKindEnum, required: true }),
    handler: t.string({ description: toolFields.handler }),
    url: t.string({ description: toolFields.url }),
    headers: t.field({ type: [HttpHeaderInput], description: toolFields.headers }),
    inputSchema: t.field({ type: 'JSON', description: toolFields.inputSchema }),
    requiresApproval: t.boolean({ description: 'Each call interrupts the run (reason tool_approval) until resumeExecution answers it (default false).' }),
  }),
})
const UpdateToolInput = builder.inputType('UpdateToolInput', {
  description: 'Absent fields keep their value. Changing `kind` drops the field of the previous kind.',
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedVersion: t.int({ description: 'Fail with CONFLICT unless the tool is still at this version.' }),
    name: t.string(),
    description: t.string({ description: toolFields.description }),
    kind: t.field({ type: ToolKindEnum }),
    handler: t.string({ description: toolFields.handler }),
    url: t.string({ description: toolFields.url }),
    headers: t.field({ type: [HttpHeaderInput], description: `${toolFields.headers} Absent keeps them; an empty list removes them.` }),
    inputSchema: t.field({ type: 'JSON', description: toolFields.inputSchema }),
    requiresApproval: t.boolean({ description: 'Each call interrupts the run (reason tool_approval) until resumeExecution answers it (default false).' }),
  }),
})
const DeleteToolInput = builder.inputType('DeleteToolInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    force: t.boolean({ description: 'Delete even if agents use the tool, removing it from them (otherwise TOOL_IN_USE).' }),
  }),
})

const ToolPayload = (name: string) =>
  builder.objectRef<{ tool: Tool }>(name).implement({ fields: (t) => ({ tool: t.field({ type: ToolRef, resolve: (p) => p.tool }) }) })
const DeleteToolPayload = builder.objectRef<{ deletedId: string }>('DeleteToolPayload').implement({
  fields: (t) => ({ deletedId: t.exposeID('deletedId') }),
})

/** TOOL_IN_USE names the agents by database id; clients know them by global id. */
function withGlobalAgentIds(e: unknown): never {
  if (e instanceof AppError && e.code === 'TOOL_IN_USE') {
    const agents = (e.details.agents as { id: string; name: string }[]).map((a) => ({ id: encodeGlobalId('Agent', a.id), name: a.name }))
    throw new AppError(e.code, e.message, { ...e.details, agents })
  }
  throw e
}

builder.mutationFields((t) => ({
  createTool: t.field({
    type: ToolPayload('CreateToolPayload'),
    auditAction: 'tool.create',
    authScopes: { scope: 'TOOLS_WRITE' },
    args: { input: t.arg({ type: CreateToolInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ tool: await createTool(sessionOf(ctx), input) }),
  }),
  updateTool: t.field({
    type: ToolPayload('UpdateToolPayload'),
    auditAction: 'tool.update',
    authScopes: { scope: 'TOOLS_WRITE' },
    args: { input: t.arg({ type: UpdateToolInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ tool: await updateTool(sessionOf(ctx), { ...input, id: decodeId(String(input.id), 'Tool') }) }),
  }),
  deleteTool: t.field({
    type: DeleteToolPayload,
    auditAction: 'tool.delete',
    authScopes: { scope: 'TOOLS_WRITE' },
    args: { input: t.arg({ type: DeleteToolInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const id = await deleteTool(sessionOf(ctx), { id: decodeId(String(input.id), 'Tool'), force: input.force }).catch(withGlobalAgentIds)
      return { deletedId: encodeGlobalId('Tool', id) }
    },
  }),
}))
