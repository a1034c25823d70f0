// Headers a tenant attaches to an HTTP tool (typically `Authorization` or an API-key header), so secrets never have
// to sit in the URL. Names the transport owns (framing, routing, hop-by-hop) are refused: a tenant header must not
// change where or how the request is sent.
import type { FieldProblem } from '../errors.ts'

export interface HttpHeader {
  name: string
  value: string
}

export const MAX_HEADERS = 20
const MAX_VALUE_LENGTH = 4_096
const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/
const reserved = new Set([
  'host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade',
  'expect', 'proxy-authorization', 'proxy-connection', 'user-agent', 'accept', 'accept-encoding', 'cookie2',
])

/** Problems with a list of tool headers (names valid and unique, values printable), each at `path[i].field`. */
export function validateHeaders(headers: unknown, path = 'headers'): FieldProblem[] {
  if (!Array.isArray(headers)) return [{ path, message: 'must be a list' }]
  if (headers.length > MAX_HEADERS) return [{ path, message: `must have at most ${MAX_HEADERS} entries` }]
  const problems: FieldProblem[] = []
  const seen = new Set<string>()
  headers.forEach((h: Partial<HttpHeader>, i) => {
    const name = typeof h?.name === 'string' ? h.name.trim() : ''
    const value = typeof h?.value === 'string' ? h.value : ''
    if (!token.test(name)) problems.push({ path: `${path}[${i}].name`, message: 'must be an HTTP header name (letters, digits and !#$%&\'*+.^_`|~-, at most 100)' })
    else if (reserved.has(name.toLowerCase()) || name.toLowerCase().startsWith('proxy-')) problems.push({ path: `${path}[${i}].name`, message: 'is set by the server and cannot be overridden' })
    else if (seen.has(name.toLowerCase())) problems.push({ path: `${path}[${i}].name`, message: 'is given twice' })
    seen.add(name.toLowerCase())
    // CR/LF would split the request (header injection); other control characters are refused by Node anyway.
    if (!value || value.length > MAX_VALUE_LENGTH || /[^\t\x20-\x7e\x80-\xff]/.test(value)) {
      problems.push({ path: `${path}[${i}].value`, message: `must be 1 to ${MAX_VALUE_LENGTH} printable characters` })
    }
  })
  return problems
}

/** The headers with trimmed names, in the order given. */
export const normalizeHeaders = (headers: HttpHeader[]): HttpHeader[] => headers.map((h) => ({ name: h.name.trim(), value: h.value }))
