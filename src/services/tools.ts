// Tools: what agents may call. A tool is BUILTIN (a handler the server ships) or HTTP (an https endpoint the worker
// POSTs to). Names are unique per tenant, updates are optimistic (`version`), and a tool that agents use is deleted
// only with `force`, which detaches it from them.
import { AppError, notFound } from '../errors.ts'
import type { Session } from './session.ts'
import type { Tx } from '../db/scope.ts'
import type { Prisma, Tool, ToolKind } from '../generated/prisma/client.ts'
import { builtinHandlers, builtinNames, isBuiltinHandler } from '../tools/builtin.ts'
import { validateToolUrl } from '../tools/http-tool.ts'
import { validateInputSchema } from '../tools/schema.ts'
import { normalizeHeaders, validateHeaders, type HttpHeader } from '../tools/http-headers.ts'
import { publicToolUrl, sealHeaders } from './tool-secrets.ts'
import { diff, redactUrl, sameJson } from './audit-diff.ts'
import { auditChange } from './audit.ts'
import { isUniqueViolation } from './db-errors.ts'
import { containing, filterText, sameText } from './filters.ts'
import { page, type PageRequest } from './paging.ts'
import { staleVersion, versionChangedConcurrently, type Versioned } from './versions.ts'
import { descriptionRule, nameRule, Problems, text } from './validation.ts'

export interface ToolInput {
  name?: string | null
  description?: string | null
  kind?: ToolKind | null
  handler?: string | null
  url?: string | null
  /** HTTP: replaces the tool's headers (write-only); absent keeps them, an empty list removes them. */
  headers?: HttpHeader[] | null
  inputSchema?: unknown
  /** Each call interrupts the run for a person's approval before the tool runs. */
  requiresApproval?: boolean | null
}

export interface ToolFilter {
  agentName?: string | null
  search?: string | null
}

/** Plugin-prisma's selection for the rows (relations the client asked for, loaded with them). */
export type ToolQuery = { include?: Prisma.ToolInclude } | { select?: Prisma.ToolSelect }

const nameTaken = () => new AppError('CONFLICT', 'A tool with this name already exists.', { fields: [{ path: 'name', message: 'is already used by another tool' }] })

/** What an audit entry shows of a tool (the URL without credentials or query string, header values as changed or not). */
const view = (t: Pick<Tool, 'name' | 'description' | 'kind' | 'handler' | 'url' | 'headerNames' | 'headersSealed' | 'inputSchema'>) =>
  ({ name: t.name, description: t.description, kind: t.kind, handler: t.handler, url: t.url, headerNames: t.headerNames, headerSecrets: t.headersSealed, inputSchema: t.inputSchema })
const changes = (before: Tool | null, after: Tool | null) =>
  diff(before && view(before), after && view(after), { redact: { url: redactUrl } }) as Prisma.InputJsonObject

/** The validated columns of a tool, from the complete input (create) or the input merged over the tool (update). */
function toolData(s: Session, input: Required<Omit<ToolInput, 'headers' | 'requiresApproval'>> & Pick<ToolInput, 'headers' | 'requiresApproval'>) {
  const p = new Problems()
  const name = text(p, 'name', input.name, nameRule)
  const description = text(p, 'description', input.description ?? '', descriptionRule)
  const kind = input.kind
  let handler: string | null = null
  let url: string | null = null
  const absent = (field: string, value: unknown) => value != null && p.add(field, `must be absent for ${kind} tools`)
  if (kind === 'BUILTIN') {
    absent('url', input.url)
    if (input.handler == null) p.add('handler', 'is required for BUILTIN tools')
    else handler = text(p, 'handler', input.handler, { max: 64, singleLine: true })
    if (handler && !isBuiltinHandler(handler)) p.add('handler', `must be one of ${builtinNames().join(', ')}`)
    absent('headers', input.headers?.length ? input.headers : null)
  } else if (kind === 'HTTP') {
    absent('handler', input.handler)
    if (input.headers) p.addAll(validateHeaders(input.headers))
    if (input.url == null) p.add('url', 'is required for HTTP tools')
    else {
      url = typeof input.url === 'string' ? input.url.trim() : ''
      p.addAll(validateToolUrl(url, s.deps.config.httpTools))
    }
  } else {
    p.add('kind', 'must be BUILTIN or HTTP')
  }
  // Without a schema of its own, a built-in tool describes its arguments with its handler's.
  const inputSchema = input.inputSchema ?? (handler && builtinHandlers.get(handler)?.inputSchema) ?? { type: 'object', properties: {} }
  p.addAll(validateInputSchema(inputSchema))
  p.check()
  // Headers are sealed only when given: an update without them keeps the stored ones (see updateTool).
  const headers = input.headers ? sealHeaders(s.deps.secrets, kind === 'HTTP' ? normalizeHeaders(input.headers) : []) : {}
  return {
    name, description, kind: kind!, handler, url, ...headers, inputSchema: structuredClone(inputSchema) as Prisma.InputJsonObject,
    ...(input.requiresApproval != null && { requiresApproval: input.requiresApproval }),
  }
}

/** Runs a write, turning a duplicate name into CONFLICT on `name` (the transaction has rolled back by then). */
async function uniqueName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken()
    throw e
  }
}

/** Tools of the caller's tenant, newest first, optionally only those an agent uses and/or matching a search. */
export function listTools(s: Session, req: PageRequest, filter: ToolFilter = {}, query: ToolQuery = {}) {
  const p = new Problems()
  const agentName = filterText(p, 'filter.agentName', filter.agentName)
  const search = filterText(p, 'filter.search', filter.search)
  p.check()
  const where: Prisma.ToolWhereInput = {
    AND: [
      agentName ? { agentTools: { some: { agent: { name: sameText(agentName) } } } } : {},
      search ? { OR: [{ name: containing(search) }, { description: containing(search) }] } : {},
    ],
  }
  return page(req, 'id', (args) => s.db.client.tool.findMany({ ...query, ...args, where: { AND: [args.where, where] } }), () => s.db.client.tool.count({ where }))
}

/** One tool of the caller's tenant; NOT_FOUND otherwise. */
export async function getTool(s: Session, id: string, query: ToolQuery = {}) {
  const tool = await s.db.client.tool.findUnique({ ...query, where: { id } })
  if (!tool) throw notFound('Tool')
  return tool
}

/** Registers a tool after validating its kind-specific fields and its input schema. */
export async function createTool(s: Session, input: ToolInput & { name: string; kind: ToolKind }) {
  const data = toolData(s, { description: '', handler: null, url: null, headers: null, inputSchema: null, ...input })
  return uniqueName(() =>
    s.db.tx(async (tx) => {
      const tool = await tx.tool.create({ data: { ...data, tenantId: s.principal.tenantId } })
      await auditChange(tx, s, { action: 'tool.create', resourceType: 'Tool', resourceId: tool.id, changes: changes(null, tool), metadata: { version: tool.version } })
      return tool
    }),
  )
}

/** Changes a tool; fails with CONFLICT when `expectedVersion` is stale or another update wins the race. */
export async function updateTool(s: Session, input: ToolInput & Versioned & { id: string }) {
  return uniqueName(() =>
    s.db.tx(async (tx) => {
      const before = await tx.tool.findUnique({ where: { id: input.id } })
      if (!before) throw notFound('Tool')
      if (input.expectedVersion != null && input.expectedVersion !== before.version) throw staleVersion('tool', before.version)
      const kind = input.kind ?? before.kind
      // Switching kind drops the other kind's field unless the input sets it (which validation then refuses).
      const keep = <T>(given: T | undefined, current: T) => (given !== undefined ? given : kind === before.kind ? current : null)
      const handler = keep(input.handler, before.handler)
      // A schema that was the old handler's default follows the handler; a schema of the tenant's own stays.
      const defaulted = before.handler && sameJson(before.inputSchema, builtinHandlers.get(before.handler)?.inputSchema)
      const data = toolData(s, {
        name: input.name ?? before.name,
        description: input.description ?? before.description,
        kind,
        handler,
        // A client that sends back the URL it read (query values redacted) means "unchanged", not "[REDACTED]".
        url: input.url != null && before.url && input.url === publicToolUrl(before.url) ? before.url : keep(input.url, before.url),
        // Switching to BUILTIN drops the headers; otherwise absent headers stay as stored.
        headers: input.headers ?? (kind !== before.kind ? [] : null),
        inputSchema: input.inputSchema ?? (defaulted && handler !== before.handler ? null : before.inputSchema),
        requiresApproval: input.requiresApproval,
      })
      const after = await conditionalUpdate(tx, before, data)
      await auditChange(tx, s, { action: 'tool.update', resourceType: 'Tool', resourceId: after.id, changes: changes(before, after), metadata: { version: after.version } })
      return after
    }),
  )
}

/** One UPDATE … WHERE version = read version: of two concurrent updates, the second matches no row and fails. */
async function conditionalUpdate(tx: Tx, before: Tool, data: Prisma.ToolUpdateManyMutationInput) {
  const [after] = await tx.tool.updateManyAndReturn({ where: { id: before.id, version: before.version }, data: { ...data, version: { increment: 1 } } })
  if (!after) throw versionChangedConcurrently('tool')
  return after
}

/** Deletes a tool. One that agents use fails with TOOL_IN_USE (naming them) unless `force` detaches it from them. */
export async function deleteTool(s: Session, input: { id: string; force?: boolean | null }) {
  return s.db.tx(async (tx) => {
    // Lock the tool first: an agent attaching it concurrently either commits before (and is seen below) or fails
    // its foreign key after the delete; the tool is never detached silently.
    await tx.$queryRaw`SELECT id FROM tools WHERE id = ${input.id}::uuid AND tenant_id = app_tenant_id() FOR UPDATE`
    const tool = await tx.tool.findUnique({ where: { id: input.id }, include: { agentTools: { select: { agent: { select: { id: true, name: true } } }, orderBy: { agentId: 'desc' } } } })
    if (!tool) throw notFound('Tool')
    const agents = tool.agentTools.map((at) => at.agent)
    if (agents.length && !input.force) {
      throw new AppError('TOOL_IN_USE', `The tool is used by ${agents.length} agent${agents.length === 1 ? '' : 's'}; remove it from them or delete with force: true.`, { agents })
    }
    // Detaching changes those agents' configuration: their version moves too.
    if (agents.length) await tx.agent.updateMany({ where: { id: { in: agents.map((a) => a.id) } }, data: { version: { increment: 1 } } })
    await tx.tool.delete({ where: { id: tool.id } })
    await auditChange(tx, s, {
      action: 'tool.delete', resourceType: 'Tool', resourceId: tool.id, changes: changes(tool, null),
      metadata: { version: tool.version, ...(agents.length && { detachedFrom: agents }) },
    })
    return tool.id
  })
}
