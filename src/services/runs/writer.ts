// A running run's single writer. Every append is fenced by the writer's claim, so a worker that lost its claim
// (reclaimed after missing heartbeats, or cancelled) can never add a single event; the `seq` it allocates is gapless.
import type { AguiEvent } from '../../events/agui.ts'
import { insertEvents, wakeSubscribers } from '../../events/execution-log.ts'
import { knownRedaction } from '../../db/pii.ts'
import type { AppDeps } from '../session.ts'

/** The claim a worker holds on a running execution (`claimed_by`). */
export interface Writer {
  tenantId: string
  executionId: string
  claim: string
}

/** Thrown when the writer no longer holds the execution: it must stop at once (a CONFLICT, internally). */
export class ClaimLostError extends Error {
  constructor(executionId: string) {
    super(`claim on execution ${executionId} lost`)
  }
}

/** Appends `events` to the log of the run `w` holds; returns the last sequence number written. */
export async function appendAsWriter(deps: AppDeps, w: Writer, events: AguiEvent[]): Promise<number> {
  return deps.db.forTenant(w.tenantId).tx(async (tx) => {
    // The tenant's redaction setting comes with the fence, so storing the events costs no extra round trip.
    const [row] = await tx.$queryRaw<{ last_seq: number; redact_pii: boolean }[]>`
      UPDATE executions SET last_seq = last_seq + ${events.length}, heartbeat_at = now(), updated_at = now()
      WHERE id = ${w.executionId}::uuid AND claimed_by = ${w.claim} AND status = 'RUNNING'
      RETURNING last_seq, (SELECT redact_pii FROM tenants WHERE id = ${w.tenantId}::uuid) AS redact_pii`
    if (!row) throw new ClaimLostError(w.executionId)
    knownRedaction(tx, w.tenantId, row.redact_pii)
    if (events.length) {
      await insertEvents(tx, w.tenantId, w.executionId, row.last_seq, events)
      wakeSubscribers(deps, tx, w.executionId, row.last_seq)
    }
    return row.last_seq
  })
}
