// The tenant's redaction policy, read inside the caller's transaction (so it holds for exactly what that
// transaction writes): a function that redacts personal data from a JSON value, or leaves it as it is.
import { redactPiiValue } from '../pii.ts'
import type { Tx } from './scope.ts'

export type Redact = <T>(value: T) => T

const keep: Redact = (value) => value

// What a transaction already read of the setting, so that every write of it (events, audit, the run's end) reads the
// tenant row once.
const redactionOfTx = new WeakMap<Tx, { tenantId: string; redact: Redact }>()

/** The redaction `tx` must apply to what it stores for `tenantId` (its `redactPii` setting). */
export async function redactionFor(tx: Tx, tenantId: string | null): Promise<Redact> {
  if (!tenantId) return keep
  const known = knownRedactionFor(tx, tenantId)
  if (known) return known
  const [row] = await tx.$queryRaw<{ redact_pii: boolean }[]>`SELECT redact_pii FROM tenants WHERE id = ${tenantId}::uuid`
  return knownRedaction(tx, tenantId, row?.redact_pii ?? false)
}

/** The redaction `tx` already knows for `tenantId`, if a statement of it read the setting. */
export const knownRedactionFor = (tx: Tx, tenantId: string): Redact | undefined =>
  redactionOfTx.get(tx)?.tenantId === tenantId ? redactionOfTx.get(tx)!.redact : undefined

/** Records the setting a statement of `tx` read along the way, so that `redactionFor` in `tx` does not read it again. */
export function knownRedaction(tx: Tx, tenantId: string, redactPii: boolean): Redact {
  const redact = redaction(redactPii)
  redactionOfTx.set(tx, { tenantId, redact })
  return redact
}

/** The redaction for a known setting. */
export const redaction = (redactPii: boolean): Redact => (redactPii ? redactPiiValue : keep)
