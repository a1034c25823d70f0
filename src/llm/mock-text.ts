// Deterministic text helpers for the mock model: a toy tokenizer, a stable hash of the input and the reply text.
import { createHash } from 'node:crypto'

const TOKEN = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu

/** Counts tokens the mock way: each run of letters/digits is one token, each other non-space character is one. */
export const countTokens = (text: string): number => text.match(TOKEN)?.length ?? 0

/** Whitespace-separated words of `text`. */
export const wordsOf = (text: string): string[] => text.split(/\s+/).filter(Boolean)

/** JSON with object keys sorted, so that equal inputs built in a different key order hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** Hex SHA-256 of a string: the mock's only source of "variety". */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

// mulberry32: tiny seeded PRNG; the seed comes from the input hash, so the same input always gives the same words.
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const VOCABULARY = (
  'the agent considers your request carefully and notes that each step follows from the previous one while ' +
  'keeping results simple clear useful and grounded in what was asked so a short plan emerges with details ' +
  'checked twice before any answer is given back'
).split(' ')

export const MIN_REPLY_WORDS = 12
export const MAX_REPLY_WORDS = 240
const ECHO_WORDS = 12

/** Collapses whitespace and bounds `text` to `max` characters (with an ellipsis when cut). */
export const bounded = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`
}

export interface ToolResultMention {
  name: string
  content: string
}

/**
 * The mock's reply: a sentence per tool result, an echo of the prompt, then seeded filler sentences up to
 * MIN_REPLY_WORDS + 2 words per prompt word (bounded), so a longer prompt always gets a longer reply.
 */
export function replyText(prompt: string, seedHex: string, toolResults: ToolResultMention[]): string {
  const promptWords = wordsOf(prompt)
  const target = Math.min(MAX_REPLY_WORDS, MIN_REPLY_WORDS + 2 * promptWords.length)
  const parts = toolResults.map((r) => `The ${r.name} tool returned: ${bounded(r.content, 200)}.`)
  const echo = promptWords.slice(0, ECHO_WORDS).join(' ') + (promptWords.length > ECHO_WORDS ? ' …' : '')
  parts.push(echo ? `You asked: "${echo}".` : 'Hello.')
  let count = wordsOf(parts.join(' ')).length
  const random = prng(Number.parseInt(seedHex.slice(0, 8), 16))
  while (count < target) {
    const n = Math.min(5 + Math.floor(random() * 6), target - count)
    const words = Array.from({ length: n }, () => VOCABULARY[Math.floor(random() * VOCABULARY.length)]!)
    const sentence = words.join(' ')
    parts.push(`${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`)
    count += n
  }
  return parts.join(' ')
}

/** Cuts `text` after the last whole word that keeps it within `maxTokens`; `cut` tells whether anything was dropped. */
export function truncateToTokens(text: string, maxTokens: number): { text: string; cut: boolean } {
  const words = wordsOf(text)
  let used = 0
  let kept = 0
  for (const w of words) {
    const t = countTokens(w)
    if (used + t > maxTokens) break
    used += t
    kept++
  }
  return kept === words.length ? { text, cut: false } : { text: words.slice(0, kept).join(' '), cut: true }
}
