// The tenant's agents as MCP tools (served at POST /mcp): one tool per agent, named after the agent, taking
// `{ prompt, threadId? }`. A call is a runAgent with wait: the same quotas, limits, audit and event log.
import { AppError } from '../errors.ts'
import { decodeGlobalId, encodeGlobalId } from '../global-ids.ts'
import { runAgent } from './runs/queue.ts'
import type { Session } from './session.ts'

/** Agents beyond this are not listed (an MCP client shows a model every tool it gets). */
export const MAX_AGENT_TOOLS = 500

export interface AgentTool {
  name: string
  agentId: string
  description: string
  inputSchema: { type: 'object'; properties: Record<string, object>; required: string[] }
}

const inputSchema: AgentTool['inputSchema'] = {
  type: 'object',
  properties: {
    prompt: { type: 'string', description: 'What to ask the agent.' },
    threadId: { type: 'string', description: 'Continue this thread (its id from an earlier result) instead of starting a new one.' },
  },
  required: ['prompt'],
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 56) || 'agent'

/** One MCP tool per agent of the caller's tenant, oldest first so names stay stable as agents are added. */
export async function listAgentTools(s: Session): Promise<AgentTool[]> {
  const agents = await s.db.client.agent.findMany({ orderBy: { id: 'asc' }, take: MAX_AGENT_TOOLS, select: { id: true, name: true, description: true, role: true } })
  const used = new Set<string>()
  return agents.map((a) => {
    let name = slug(a.name)
    // Two agents whose names slug alike: the later one gets a suffix from its id (stable, unlike a counter).
    if (used.has(name)) name = `${name}_${a.id.replace(/-/g, '').slice(-6)}`
    used.add(name)
    return { name, agentId: a.id, description: a.description || a.role || `Runs the agent "${a.name}".`, inputSchema }
  })
}

export interface AgentToolResult {
  isError: boolean
  text: string
  executionId?: string
  threadId?: string
  status?: string
}

/** Runs the agent behind tool `name` to the end and returns its output (or its error); null for an unknown name. */
export async function callAgentTool(s: Session, name: string, args: Record<string, unknown> | undefined): Promise<AgentToolResult | null> {
  const tool = (await listAgentTools(s)).find((t) => t.name === name)
  if (!tool) return null
  const prompt = args?.prompt
  const threadArg = args?.threadId
  if (typeof prompt !== 'string' || !prompt.trim()) throw new AppError('VALIDATION_FAILED', 'prompt must be a non-empty string.', { fields: [{ path: 'prompt', message: 'must be a non-empty string' }] })
  if (threadArg !== undefined && typeof threadArg !== 'string') throw new AppError('VALIDATION_FAILED', 'threadId must be a string.', { fields: [{ path: 'threadId', message: 'must be a string' }] })
  const threadId = threadArg ? threadIdOf(threadArg) : null
  const execution = await runAgent(s, { agentId: tool.agentId, prompt, threadId, wait: true })
  const ids = { executionId: encodeGlobalId('Execution', execution.id), threadId: encodeGlobalId('Thread', execution.threadId), status: execution.status }
  if (execution.status === 'SUCCEEDED') return { isError: false, text: execution.output ?? '', ...ids }
  const error = execution.error as { code?: string; message?: string } | null
  return { isError: true, text: `The run ended ${execution.status}${error?.message ? `: ${error.message}` : '.'}`, ...ids }
}

function threadIdOf(globalId: string): string {
  try {
    const { typename, id } = decodeGlobalId(globalId)
    if (typename === 'Thread') return id
  } catch {
    // fall through: the same answer as for an id of another type
  }
  throw new AppError('NOT_FOUND', 'Thread not found.')
}
