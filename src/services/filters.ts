// List filters shared by the catalog services: validated like any input, then turned into Prisma conditions.
import type { Problems } from './validation.ts'
import { text } from './validation.ts'

/** A trimmed filter value of at most `max` characters; undefined when absent or blank. */
export function filterText(p: Problems, path: string, value: string | null | undefined, max = 100): string | undefined {
  if (value == null || !value.trim()) return undefined
  return text(p, path, value, { max, singleLine: true }) || undefined
}

/** Case-insensitive substring match. Prisma passes the value as a bound parameter, so only LIKE wildcards need care. */
export const containing = (q: string) => ({ contains: q.replace(/[\\%_]/g, (c) => `\\${c}`), mode: 'insensitive' as const })

/** Case-insensitive equality (names are unique per tenant as written, found regardless of case). */
export const sameText = (q: string) => ({ equals: q, mode: 'insensitive' as const })
