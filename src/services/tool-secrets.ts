// What of an HTTP tool is secret and how it stays so: header values are sealed at rest and opened only by the worker
// at call time; a URL's query string and fragment are shown with every value redacted, to every reader (GraphQL,
// agent snapshots, exports), because a tenant may have put a key there before headers existed.
import type { HttpHeader } from '../tools/http-headers.ts'
import type { SecretBox } from '../tools/secret-box.ts'
import { REDACTED } from './audit-diff.ts'

/** The columns that store a tool's headers: names in the clear, names and values sealed. */
export function sealHeaders(box: SecretBox, headers: HttpHeader[]): { headerNames: string[]; headersSealed: string | null } {
  if (!headers.length) return { headerNames: [], headersSealed: null }
  return { headerNames: headers.map((h) => h.name), headersSealed: box.seal(JSON.stringify(headers)) }
}

/** The headers sealed by `sealHeaders`; null when they cannot be opened (sealed under another key). */
export function openHeaders(box: SecretBox, sealed: string | null | undefined): HttpHeader[] | null {
  if (!sealed) return []
  const plain = box.open(sealed)
  return plain === null ? null : (JSON.parse(plain) as HttpHeader[])
}

/** A tool URL as readers see it: every query value and the fragment redacted, parameter names kept. */
export function publicToolUrl(url: string | null): string | null {
  if (url == null) return null
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return REDACTED
  }
  const query = parsed.search.slice(1).split('&').filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=')
    return eq < 0 ? pair : `${pair.slice(0, eq)}=${REDACTED}`
  })
  const base = `${parsed.protocol}//${parsed.host}${parsed.pathname}`
  return `${base}${query.length ? `?${query.join('&')}` : parsed.search ? '?' : ''}${parsed.hash ? `#${REDACTED}` : ''}`
}

type SnapshotTool = { url?: string | null; headersSealed?: string | null; headers?: HttpHeader[] | null }

/** An agent snapshot as readers see it: tool URLs redacted, sealed headers removed. */
export function publicAgentSnapshot(snapshot: unknown): unknown {
  const s = snapshot as { tools?: SnapshotTool[] } | null
  if (!s || !Array.isArray(s.tools)) return snapshot
  return { ...s, tools: s.tools.map(({ headersSealed: _h, headers: _v, ...tool }) => ({ ...tool, url: publicToolUrl(tool.url ?? null) })) }
}

/** The worker's view of a snapshot: each tool's headers opened for the call (null when they cannot be). */
export function openToolSecrets<T extends { tools: SnapshotTool[] }>(snapshot: T, box: SecretBox): T {
  return { ...snapshot, tools: snapshot.tools.map((t) => ({ ...t, headers: openHeaders(box, t.headersSealed) })) }
}
