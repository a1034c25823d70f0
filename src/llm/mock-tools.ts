// How the mock model decides to call tools and invents their arguments from the prompt and the tool's JSON Schema.
import type { LlmMessage, LlmToolCall, LlmToolSpec } from './types.ts'
import { bounded, sha256 } from './mock-text.ts'

const MAX_STRING = 200
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
// "Whole word": not glued to letters, digits or underscores on either side (tool names may contain - or .).
const mentionOf = (name: string) => new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`, 'iu')

/** Names (lower-cased) of the tools that already have a `tool` result after message index `from`. */
export function answeredToolNames(messages: LlmMessage[], from: number): Set<string> {
  const nameById = new Map<string, string>()
  const answered = new Set<string>()
  for (const m of messages.slice(from + 1)) {
    if (m.role === 'assistant') for (const c of m.toolCalls ?? []) nameById.set(c.id, c.name)
    if (m.role === 'tool') {
      const name = nameById.get(m.toolCallId)
      if (name !== undefined) answered.add(name.toLowerCase())
    }
  }
  return answered
}

/**
 * The calls the mock makes this turn: every offered tool the prompt names (whole word, case-insensitive) that has no
 * result yet, in the order the prompt names them. Ids derive from `seed` (a hash of the conversation).
 */
export function plannedToolCalls(prompt: string, tools: LlmToolSpec[], answered: Set<string>, seed: string, forced?: string): LlmToolCall[] {
  const mentioned = tools
    // A forced call (directive) counts as named at the start of the prompt: its arguments derive from all of it.
    .map((tool, order) => ({ tool, order, at: forced && tool.name.toLowerCase() === forced.toLowerCase() ? 0 : prompt.search(mentionOf(tool.name)) }))
    .filter((m) => m.at >= 0 && !answered.has(m.tool.name.toLowerCase()))
    .sort((a, b) => a.at - b.at || a.order - b.order)
  return mentioned.map(({ tool, at }, i) => ({
    id: `call_${sha256(`${seed}:${i}:${tool.name}`).slice(0, 24)}`,
    name: tool.name,
    arguments: JSON.stringify(deriveArguments(tool.parameters, { prompt, after: prompt.slice(at + (prompt.search(mentionOf(tool.name)) === at ? tool.name.length : 0)) })),
  }))
}

export interface ArgumentSource {
  /** The whole prompt (directives stripped). */
  prompt: string
  /** The prompt text after the tool's name. */
  after: string
}

/** Arguments for a tool: one value per property of its `parameters` schema (all of them, not only required ones). */
export function deriveArguments(parameters: unknown, src: ArgumentSource): Record<string, unknown> {
  const ctx = { prompt: src.prompt, after: src.after.trim() }
  return valueFor('', { ...asSchema(parameters), type: 'object' }, ctx, 0) as Record<string, unknown>
}

type Schema = Record<string, unknown>
const asSchema = (s: unknown): Schema => (s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as Schema) : {})

function typeOf(s: Schema): string {
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type
  if (typeof t === 'string') return t
  return s.properties ? 'object' : 'string'
}

function valueFor(name: string, s: Schema, ctx: ArgumentSource, depth: number): unknown {
  if ('const' in s) return s.const
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0]
  switch (typeOf(s)) {
    case 'number':
    case 'integer':
      return numberFor(s, ctx)
    case 'boolean':
      return false
    case 'null':
      return null
    case 'array':
      return []
    case 'object': {
      if (depth > 3) return {}
      const props = Object.entries(asSchema(s.properties))
      return Object.fromEntries(props.map(([key, sub]) => [key, valueFor(key, asSchema(sub), ctx, depth + 1)]))
    }
    default: {
      const text = /expr|query|formula/i.test(name) ? relevantSubstring(ctx.after) : stripLead(ctx.after)
      const max = typeof s.maxLength === 'number' ? Math.min(s.maxLength, MAX_STRING) : MAX_STRING
      return bounded(text || ctx.prompt, max)
    }
  }
}

function numberFor(s: Schema, ctx: ArgumentSource): number {
  const match = /-?\d+(?:\.\d+)?/.exec(ctx.prompt)
  let n = match ? Number(match[0]) : 0
  if (s.type === 'integer') n = Math.trunc(n)
  if (typeof s.minimum === 'number') n = Math.max(n, s.minimum)
  if (typeof s.maximum === 'number') n = Math.min(n, s.maximum)
  return n
}

// En and em dash escaped: one non-ASCII character makes V8 keep the whole compiled chunk's source two bytes a character.
const stripLead = (text: string) => text.replace(/^[\s:,;.\-\u2013\u2014]+/, '').trim()
const FILLER = /^(?:(?:to|for|with|about|on|of|the|a|an|and|please|compute|calculate|evaluate|find|search|look\s+up|get)\b[\s:,]*)+/i
const MATH = /[-+*/^%().\d\s]*\d[-+*/^%().\d\s]*/g

// For expression-like arguments: the longest arithmetic run ("2 + 3 * 4"), else the text minus leading filler words.
function relevantSubstring(after: string): string {
  const math = (after.match(MATH) ?? []).map((m) => m.replace(/[.\s]+$/, '').trim()).filter((m) => /\d\s*[-+*/^%]\s*[\d(.]/.test(m))
  if (math.length > 0) return math.reduce((a, b) => (b.length > a.length ? b : a))
  return stripLead(stripLead(after).replace(FILLER, ''))
}
