// Client (frontend) tools, as AG-UI UIs declare them per run: the model may call them, the server never runs them.
// A call of one ends the run SUCCEEDED with the call pending (`RUN_FINISHED.outcome.pendingToolCallIds`); the client
// runs it and continues the thread with a `tool` message naming the call (`toolCallId`).
import { validateInputSchema } from '../../tools/schema.ts'
import { descriptionRule, Problems, text } from '../validation.ts'

export interface ClientToolInput {
  name: string
  description?: string | null
  parameters?: unknown
}

/** A client tool as the run stores it and offers it to the model. */
export interface ClientTool {
  name: string
  description: string
  parameters: Record<string, unknown>
}

const MAX_CLIENT_TOOLS = 64
// The names model providers accept for functions.
const nameRule = { max: 64, singleLine: true, pattern: /^[A-Za-z0-9_-]+$/, patternMessage: 'may contain only letters, digits, _ and -' }

/**
 * Checks a run's client tools (VALIDATION_FAILED listing every problem): valid names and schemas, no name twice and
 * none shared with a tool of the agent, which would make it ambiguous which side runs a call.
 */
export function validateClientTools(input: ClientToolInput[] | null | undefined, agentToolNames: string[]): ClientTool[] {
  if (!input?.length) return []
  const p = new Problems()
  if (input.length > MAX_CLIENT_TOOLS) p.add('clientTools', `must list at most ${MAX_CLIENT_TOOLS} tools`)
  const agentTools = new Set(agentToolNames.map((n) => n.toLowerCase()))
  const seen = new Set<string>()
  const tools = input.map((t, i) => {
    const name = text(p, `clientTools.${i}.name`, t.name, nameRule)
    if (agentTools.has(name.toLowerCase())) p.add(`clientTools.${i}.name`, 'is already the name of a tool of this agent')
    else if (seen.has(name.toLowerCase())) p.add(`clientTools.${i}.name`, 'is listed twice')
    seen.add(name.toLowerCase())
    const description = text(p, `clientTools.${i}.description`, t.description ?? '', descriptionRule)
    const parameters = t.parameters ?? { type: 'object', properties: {} }
    p.addAll(validateInputSchema(parameters, `clientTools.${i}.parameters`))
    return { name, description, parameters: parameters as Record<string, unknown> }
  })
  p.check()
  return tools
}
