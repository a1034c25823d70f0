// Agents: a model, a prompt, settings and an ordered set of the tenant's tools. Names are unique per tenant, updates
// are optimistic (`version`). Deleting an agent leaves its past executions readable (they keep a snapshot).
import { AppError, notFound } from '../errors.ts'
import type { Session } from './session.ts'
import type { Tx } from '../db/scope.ts'
import type { Agent, Prisma } from '../generated/prisma/client.ts'
import { agentData, assertModelAllowed, type AgentInput } from './agent-input.ts'
import { diff } from './audit-diff.ts'
import { auditChange } from './audit.ts'
import { isForeignKeyViolation, isUniqueViolation } from './db-errors.ts'
import { containing, filterText, sameText } from './filters.ts'
import { page, type PageRequest } from './paging.ts'
import { staleVersion, versionChangedConcurrently, type Versioned } from './versions.ts'
import { Problems } from './validation.ts'

export interface AgentFilter {
  toolName?: string | null
  search?: string | null
}

/** Plugin-prisma's selection for the rows (relations the client asked for, loaded with them). */
export type AgentQuery = { include?: Prisma.AgentInclude } | { select?: Prisma.AgentSelect }

/** What an audit entry shows of an agent: its configuration, tools by id in order. */
const view = (a: Agent, toolIds: string[]) => ({
  name: a.name, role: a.role, description: a.description, systemPrompt: a.systemPrompt, model: a.model,
  temperature: a.temperature, maxTokens: a.maxTokens, timeoutSeconds: a.timeoutSeconds,
  maxConcurrentExecutions: a.maxConcurrentExecutions, maxToolCalls: a.maxToolCalls, toolIds,
})

/** Runs a write, turning a duplicate name into CONFLICT on `name` and a tool deleted meanwhile into NOT_FOUND. */
async function agentWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('CONFLICT', 'An agent with this name already exists.', { fields: [{ path: 'name', message: 'is already used by another agent' }] })
    if (isForeignKeyViolation(e)) throw notFound('Tool')
    throw e
  }
}

/** One NOT_FOUND for the whole list when any id is not a tool of the tenant: it never says which ids exist. */
async function assertToolsExist(tx: Tx, toolIds: string[]) {
  if (!toolIds.length) return
  const found = await tx.tool.count({ where: { id: { in: toolIds } } })
  if (found !== toolIds.length) throw notFound('Tool')
}

async function replaceTools(tx: Tx, s: Session, agentId: string, toolIds: string[], replace: boolean) {
  if (replace) await tx.agentTool.deleteMany({ where: { agentId } })
  if (toolIds.length) {
    await tx.agentTool.createMany({ data: toolIds.map((toolId, position) => ({ tenantId: s.principal.tenantId, agentId, toolId, position })) })
  }
}

/** Agents of the caller's tenant, newest first, optionally only those using a tool and/or matching a search. */
export function listAgents(s: Session, req: PageRequest, filter: AgentFilter = {}, query: AgentQuery = {}) {
  const p = new Problems()
  const toolName = filterText(p, 'filter.toolName', filter.toolName)
  const search = filterText(p, 'filter.search', filter.search)
  p.check()
  const where: Prisma.AgentWhereInput = {
    AND: [
      toolName ? { agentTools: { some: { tool: { name: sameText(toolName) } } } } : {},
      search ? { OR: [{ name: containing(search) }, { role: containing(search) }, { description: containing(search) }] } : {},
    ],
  }
  return page(req, 'id', (args) => s.db.client.agent.findMany({ ...query, ...args, where: { AND: [args.where, where] } }), () => s.db.client.agent.count({ where }))
}

/** One agent of the caller's tenant; NOT_FOUND otherwise. */
export async function getAgent(s: Session, id: string, query: AgentQuery = {}) {
  const agent = await s.db.client.agent.findUnique({ ...query, where: { id } })
  if (!agent) throw notFound('Agent')
  return agent
}

/** Configures an agent: validates every field, resolves its tools (all of the tenant, or NOT_FOUND), checks the model. */
export async function createAgent(s: Session, input: AgentInput & { name: string; model: string }) {
  const toolIds = input.toolIds ?? []
  const data = agentData(s, { role: '', description: '', systemPrompt: '', temperature: null, maxTokens: null, timeoutSeconds: null, maxConcurrentExecutions: null, maxToolCalls: null, ...input }, toolIds)
  return agentWrite(() =>
    s.db.tx(async (tx) => {
      await assertToolsExist(tx, toolIds)
      assertModelAllowed(s, data.model)
      const agent = await tx.agent.create({ data: { ...data, tenantId: s.principal.tenantId } })
      await replaceTools(tx, s, agent.id, toolIds, false)
      await auditChange(tx, s, { action: 'agent.create', resourceType: 'Agent', resourceId: agent.id, changes: diff(null, view(agent, toolIds)) as Prisma.InputJsonObject, metadata: { version: agent.version } })
      return agent
    }),
  )
}

/** Changes an agent (`toolIds`, when given, replaces its tools in that order); CONFLICT on a stale or lost version. */
export async function updateAgent(s: Session, input: AgentInput & Versioned & { id: string }) {
  return agentWrite(() =>
    s.db.tx(async (tx) => {
      const before = await tx.agent.findUnique({ where: { id: input.id }, include: { agentTools: { select: { toolId: true }, orderBy: { position: 'asc' } } } })
      if (!before) throw notFound('Agent')
      if (input.expectedVersion != null && input.expectedVersion !== before.version) throw staleVersion('agent', before.version)
      const beforeTools = before.agentTools.map((at) => at.toolId)
      const toolIds = input.toolIds ?? null
      // null clears the optional settings (temperature, maxTokens); elsewhere absent and null both mean "unchanged".
      const clearable = <K extends 'temperature' | 'maxTokens'>(k: K) => (input[k] !== undefined ? input[k] : before[k])
      const data = agentData(s, {
        name: input.name ?? before.name, role: input.role ?? before.role, description: input.description ?? before.description,
        systemPrompt: input.systemPrompt ?? before.systemPrompt, model: input.model ?? before.model,
        temperature: clearable('temperature'), maxTokens: clearable('maxTokens'),
        timeoutSeconds: input.timeoutSeconds ?? before.timeoutSeconds, maxConcurrentExecutions: input.maxConcurrentExecutions ?? before.maxConcurrentExecutions,
        maxToolCalls: input.maxToolCalls ?? before.maxToolCalls,
      }, toolIds)
      if (toolIds) await assertToolsExist(tx, toolIds)
      // An agent whose model left the allowlist can still be edited; setting a model checks it.
      if (input.model != null) assertModelAllowed(s, data.model)
      const [after] = await tx.agent.updateManyAndReturn({ where: { id: before.id, version: before.version }, data: { ...data, version: { increment: 1 } } })
      if (!after) throw versionChangedConcurrently('agent')
      if (toolIds) await replaceTools(tx, s, after.id, toolIds, true)
      await auditChange(tx, s, { action: 'agent.update', resourceType: 'Agent', resourceId: after.id, changes: diff(view(before, beforeTools), view(after, toolIds ?? beforeTools)) as Prisma.InputJsonObject, metadata: { version: after.version } })
      return after
    }),
  )
}

/** Deletes an agent; its executions stay readable (agent snapshot) with no agent attached. */
export async function deleteAgent(s: Session, input: { id: string }) {
  return s.db.tx(async (tx) => {
    const agent = await tx.agent.findUnique({ where: { id: input.id }, include: { agentTools: { select: { toolId: true }, orderBy: { position: 'asc' } } } })
    if (!agent) throw notFound('Agent')
    await tx.agent.delete({ where: { id: agent.id } })
    await auditChange(tx, s, { action: 'agent.delete', resourceType: 'Agent', resourceId: agent.id, changes: diff(view(agent, agent.agentTools.map((at) => at.toolId)), null) as Prisma.InputJsonObject, metadata: { version: agent.version } })
    return agent.id
  })
}
