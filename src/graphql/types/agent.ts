import { encodeGlobalId } from '../../global-ids.ts'
import { sessionOf } from '../../context.ts'
import type { Agent } from '../../generated/prisma/client.ts'
import { AGENT_DEFAULTS, AGENT_LIMITS } from '../../services/agent-input.ts'
import { createAgent, deleteAgent, getAgent, listAgents, updateAgent, type AgentQuery } from '../../services/agents.ts'
import { builder } from '../builder.ts'
import { tenantRowScopes } from '../type-scopes.ts'
import { connectionNames, nodeQuery, pageConnection } from '../connection.ts'
import { decodeId } from '../ids.ts'
import { ToolRef } from './tool.ts'

export const AgentRef = builder.prismaNode('Agent', {
  id: { field: 'id' },
  // Select mode: a read loads the columns its selection needs (plus these, for the id and the tenant check), never
  // the large ones nobody asked for.
  select: { id: true, tenantId: true },
  authScopes: tenantRowScopes('AGENTS_READ'),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique in the tenant.' }),
    role: t.exposeString('role'),
    description: t.exposeString('description'),
    systemPrompt: t.exposeString('systemPrompt'),
    model: t.exposeString('model'),
    temperature: t.exposeFloat('temperature', { nullable: true, description: "Null: the model's default." }),
    maxTokens: t.exposeInt('maxTokens', { nullable: true, description: "Null: the model's default." }),
    timeoutSeconds: t.exposeInt('timeoutSeconds', { description: 'Longest time a run may spend running, over all its attempts, before it is TIMED_OUT (time in the queue does not count).' }),
    maxConcurrentExecutions: t.exposeInt('maxConcurrentExecutions', { description: 'Runs of this agent allowed at once.' }),
    maxToolCalls: t.exposeInt('maxToolCalls', { description: 'Tool calls allowed in one run.' }),
    version: t.exposeInt('version', { description: 'Increases with every change; pass it as expectedVersion to detect concurrent changes.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    // Through the join table, loaded with the parent query (plugin-prisma follows the selection under `tools`).
    tools: t.field({
      type: [ToolRef],
      description: 'The tools the agent may call, in order.',
      select: (_args, _ctx, nested) => ({ agentTools: { orderBy: { position: 'asc' }, select: { tool: nested(true) } } }),
      resolve: (agent) => agent.agentTools.map((at) => at.tool),
    }),
  }),
})

builder.prismaObjectField(ToolRef, 'agents', (t) =>
  t.field({
    type: [AgentRef],
    description: 'The agents that use this tool, newest first.',
    select: (_args, _ctx, nested) => ({ agentTools: { orderBy: { agentId: 'desc' }, select: { agent: nested(true) } } }),
    resolve: (tool) => tool.agentTools.map((at) => at.agent),
  }),
)

const AgentFilter = builder.inputType('AgentFilter', {
  fields: (t) => ({
    toolName: t.string({ description: 'Only agents using the tool with this name (case-insensitive).' }),
    search: t.string({ description: 'Case-insensitive substring of the name, role or description.' }),
  }),
})

builder.queryFields((t) => ({
  agents: t.connection(
    {
      type: AgentRef,
      description: "The tenant's agents, newest first.",
      authScopes: { scope: 'AGENTS_READ' },
      args: { filter: t.arg({ type: AgentFilter }) },
      resolve: (_root, args, ctx, info) =>
        pageConnection(ctx, 'agents', args, (s, req) => listAgents(s, req, args.filter ?? {}, nodeQuery(ctx, info) as AgentQuery)),
    },
    ...connectionNames('Agent'),
  ),
  agent: t.prismaField({
    type: 'Agent',
    nullable: true,
    authScopes: { scope: 'AGENTS_READ' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) => getAgent(sessionOf(ctx), decodeId(String(id), 'Agent'), query),
  }),
}))

const L = AGENT_LIMITS
const agentFields = {
  role: 'A short label of what the agent does (at most 200 characters).',
  description: 'Up to 2,000 characters.',
  systemPrompt: 'Instructions given to the model (length capped by the server, 20,000 characters by default).',
  model: 'A model of the server allowlist (INVALID_MODEL otherwise).',
  temperature: `${L.temperature.min} to ${L.temperature.max}.`,
  maxTokens: `${L.maxTokens.min} to ${L.maxTokens.max}.`,
  toolIds: `Tools of your tenant, in the order the model sees them (at most ${L.tools}). Any unknown id fails the whole call with NOT_FOUND.`,
  timeoutSeconds: `${L.timeoutSeconds.min} to ${L.timeoutSeconds.max}; default ${AGENT_DEFAULTS.timeoutSeconds}.`,
  maxConcurrentExecutions: `${L.maxConcurrentExecutions.min} to ${L.maxConcurrentExecutions.max}; default ${AGENT_DEFAULTS.maxConcurrentExecutions}.`,
  maxToolCalls: `${L.maxToolCalls.min} to ${L.maxToolCalls.max}; default ${AGENT_DEFAULTS.maxToolCalls}.`,
}

const CreateAgentInput = builder.inputType('CreateAgentInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'At most 100 characters: letters, digits, spaces and _ - . :' }),
    role: t.string({ description: agentFields.role }),
    description: t.string({ description: agentFields.description }),
    systemPrompt: t.string({ description: agentFields.systemPrompt }),
    model: t.string({ required: true, description: agentFields.model }),
    temperature: t.float({ description: agentFields.temperature }),
    maxTokens: t.int({ description: agentFields.maxTokens }),
    toolIds: t.idList({ description: agentFields.toolIds }),
    timeoutSeconds: t.int({ description: agentFields.timeoutSeconds }),
    maxConcurrentExecutions: t.int({ description: agentFields.maxConcurrentExecutions }),
    maxToolCalls: t.int({ description: agentFields.maxToolCalls }),
  }),
})
const UpdateAgentInput = builder.inputType('UpdateAgentInput', {
  description: 'Absent fields keep their value; null clears temperature and maxTokens. toolIds, when given, replaces the tools.',
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedVersion: t.int({ description: 'Fail with CONFLICT unless the agent is still at this version.' }),
    name: t.string(),
    role: t.string({ description: agentFields.role }),
    description: t.string({ description: agentFields.description }),
    systemPrompt: t.string({ description: agentFields.systemPrompt }),
    model: t.string({ description: agentFields.model }),
    temperature: t.float({ description: agentFields.temperature }),
    maxTokens: t.int({ description: agentFields.maxTokens }),
    toolIds: t.idList({ description: agentFields.toolIds }),
    timeoutSeconds: t.int({ description: agentFields.timeoutSeconds }),
    maxConcurrentExecutions: t.int({ description: agentFields.maxConcurrentExecutions }),
    maxToolCalls: t.int({ description: agentFields.maxToolCalls }),
  }),
})
const DeleteAgentInput = builder.inputType('DeleteAgentInput', { fields: (t) => ({ id: t.id({ required: true }) }) })

const AgentPayload = (name: string) =>
  builder.objectRef<{ agent: Agent }>(name).implement({ fields: (t) => ({ agent: t.field({ type: AgentRef, resolve: (p) => p.agent }) }) })
const DeleteAgentPayload = builder.objectRef<{ deletedId: string }>('DeleteAgentPayload').implement({
  fields: (t) => ({ deletedId: t.exposeID('deletedId') }),
})

const toolIdsOf = (ids: readonly (string | number)[] | null | undefined) => ids?.map((id) => decodeId(String(id), 'Tool'))

builder.mutationFields((t) => ({
  createAgent: t.field({
    type: AgentPayload('CreateAgentPayload'),
    auditAction: 'agent.create',
    authScopes: { scope: 'AGENTS_WRITE' },
    args: { input: t.arg({ type: CreateAgentInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ agent: await createAgent(sessionOf(ctx), { ...input, toolIds: toolIdsOf(input.toolIds) }) }),
  }),
  updateAgent: t.field({
    type: AgentPayload('UpdateAgentPayload'),
    auditAction: 'agent.update',
    authScopes: { scope: 'AGENTS_WRITE' },
    args: { input: t.arg({ type: UpdateAgentInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const id = decodeId(String(input.id), 'Agent')
      return { agent: await updateAgent(sessionOf(ctx), { ...input, id, toolIds: toolIdsOf(input.toolIds) }) }
    },
  }),
  deleteAgent: t.field({
    type: DeleteAgentPayload,
    auditAction: 'agent.delete',
    authScopes: { scope: 'AGENTS_WRITE' },
    args: { input: t.arg({ type: DeleteAgentInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ deletedId: encodeGlobalId('Agent', await deleteAgent(sessionOf(ctx), { id: decodeId(String(input.id), 'Agent') })) }),
  }),
}))
