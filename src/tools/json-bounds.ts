// Size and depth limits for untrusted JSON (tenant schemas, model-written arguments), checked before anything
// recurses over the value: ajv compiles and validates recursively, so an unbounded depth could overflow the stack.

export interface JsonBounds {
  maxBytes: number
  maxDepth: number
}

/** Returns why `value` is outside the bounds (too deep, too large, not JSON), or null when it is within them. */
export function checkJsonBounds(value: unknown, bounds: JsonBounds): string | null {
  // Depth first, with an early exit, so the walk itself is bounded; a cycle shows up as "too deep".
  if (depthExceeds(value, bounds.maxDepth)) return `is nested more than ${bounds.maxDepth} levels deep`
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch {
    return 'is not representable as JSON'
  }
  if (text === undefined) return 'is not representable as JSON'
  if (Buffer.byteLength(text) > bounds.maxBytes) return `is larger than ${formatBytes(bounds.maxBytes)} as JSON`
  return null
}

function depthExceeds(value: unknown, remaining: number): boolean {
  if (value === null || typeof value !== 'object') return false
  if (remaining <= 0) return true
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (depthExceeds(child, remaining - 1)) return true
  }
  return false
}

const formatBytes = (n: number) => (n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`)
