// Validation of an agent's configuration: every field checked, every problem reported at once.
import type { Session } from './session.ts'
import { AppError } from '../errors.ts'
import { descriptionRule, nameRule, Problems, text } from './validation.ts'

export interface AgentInput {
  name?: string | null
  role?: string | null
  description?: string | null
  systemPrompt?: string | null
  model?: string | null
  temperature?: number | null
  maxTokens?: number | null
  toolIds?: string[] | null
  timeoutSeconds?: number | null
  maxConcurrentExecutions?: number | null
  maxToolCalls?: number | null
}

/** Bounds of the numeric settings (inclusive). */
export const AGENT_LIMITS = {
  temperature: { min: 0, max: 2 },
  maxTokens: { min: 1, max: 1_000_000 },
  timeoutSeconds: { min: 1, max: 3_600 },
  maxConcurrentExecutions: { min: 1, max: 100 },
  maxToolCalls: { min: 0, max: 100 },
  tools: 64,
} as const

export const AGENT_DEFAULTS = { timeoutSeconds: 300, maxConcurrentExecutions: 5, maxToolCalls: 10 } as const

type Settings = Required<Omit<AgentInput, 'toolIds'>>

function bounded(p: Problems, path: keyof typeof AGENT_LIMITS, value: number | null, integer: boolean) {
  if (value == null) return
  const { min, max } = AGENT_LIMITS[path] as { min: number; max: number }
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    p.add(path, `must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}`)
  }
}

/** The validated columns of an agent, from the complete input (create) or the input merged over the agent (update). */
export function agentData(s: Session, input: Settings, toolIds: string[] | null) {
  const p = new Problems()
  const data = {
    name: text(p, 'name', input.name, nameRule),
    role: text(p, 'role', input.role ?? '', { min: 0, max: 200, singleLine: true }),
    description: text(p, 'description', input.description ?? '', descriptionRule),
    systemPrompt: text(p, 'systemPrompt', input.systemPrompt ?? '', { min: 0, max: s.deps.config.agents.systemPromptMaxLength }),
    model: text(p, 'model', input.model, { max: 200, singleLine: true }),
    temperature: input.temperature,
    maxTokens: input.maxTokens,
    timeoutSeconds: input.timeoutSeconds ?? AGENT_DEFAULTS.timeoutSeconds,
    maxConcurrentExecutions: input.maxConcurrentExecutions ?? AGENT_DEFAULTS.maxConcurrentExecutions,
    maxToolCalls: input.maxToolCalls ?? AGENT_DEFAULTS.maxToolCalls,
  }
  bounded(p, 'temperature', data.temperature, false)
  bounded(p, 'maxTokens', data.maxTokens, true)
  bounded(p, 'timeoutSeconds', data.timeoutSeconds, true)
  bounded(p, 'maxConcurrentExecutions', data.maxConcurrentExecutions, true)
  bounded(p, 'maxToolCalls', data.maxToolCalls, true)
  if (toolIds && toolIds.length > AGENT_LIMITS.tools) p.add('toolIds', `must name at most ${AGENT_LIMITS.tools} tools`)
  if (toolIds && new Set(toolIds).size !== toolIds.length) p.add('toolIds', 'must not name a tool twice')
  p.check()
  return data
}

/** INVALID_MODEL unless the server's allowlist has the model and a provider serves it. */
export function assertModelAllowed(s: Session, model: string) {
  if (s.deps.llm.isAllowed(model)) return
  throw new AppError('INVALID_MODEL', `The model "${model}" is not available on this server.`, {
    fields: [{ path: 'model', message: 'is not in the model allowlist' }],
    allowedModels: s.deps.llm.allowlist.filter((m) => s.deps.llm.isAllowed(m)),
  })
}
