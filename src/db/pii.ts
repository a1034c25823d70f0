// The tenant's redaction policy, read inside the caller's transaction (so it holds for exactly what that
// transaction writes): a function that redacts personal data from a JSON value, or leaves it as it is.
import { redactPiiValue } from '../pii.ts'
import type { Tx } from './scope.ts'

export type Redact = <T>(value: T) => T

const keep: Redact = (value) => value

/** The redaction `tx` must apply to what it stores for `tenantId` (its `redactPii` setting). */
export async function redactionFor(tx: Tx, tenantId: string | null): Promise<Redact> {
  if (!tenantId) return keep
  const [row] = await tx.$queryRaw<{ redact_pii: boolean }[]>`SELECT redact_pii FROM tenants WHERE id = ${tenantId}::uuid`
  return row?.redact_pii ? redactPiiValue : keep
}

/** The redaction for a known setting. */
export const redaction = (redactPii: boolean): Redact => (redactPii ? redactPiiValue : keep)
