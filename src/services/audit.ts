// The audit log: one entry per change, written in the transaction of the change it records. Append-only in the
// database (trigger and grants); entries are never updated.
import type { Principal } from '../auth/principal.ts'
import type { AppDeps, RequestMeta } from './session.ts'
import { emitTenantEvent } from '../events/tenant-events.ts'
import type { Database } from '../db/client.ts'
import { redactionFor, type Redact } from '../db/pii.ts'
import type { Tx } from '../db/scope.ts'
import { Prisma, type ActorType, type AuditOutcome } from '../generated/prisma/client.ts'
import { uuidv7 } from '../db/ids.ts'

export interface Actor {
  type: ActorType
  id?: string
  label?: string
}

export interface AuditEvent {
  /** `<resource>.<verb>`, e.g. `tool.create`, `auth.login`. */
  action: string
  outcome: AuditOutcome
  resourceType?: string
  resourceId?: string
  changes?: Prisma.InputJsonValue
  metadata?: Prisma.InputJsonValue
}

/** The actor an audit entry names for a principal (or anonymous). */
export function actorOf(p: Principal | undefined): Actor {
  if (!p) return { type: 'ANONYMOUS' }
  return p.kind === 'USER' ? { type: 'USER', id: p.userId, label: p.email } : { type: 'API_KEY', id: p.apiKeyId, label: p.name }
}

/** Appends one entry inside `tx`. `tenantId` null only for events with no tenant (unknown-account logins). */
export async function recordAudit(tx: Tx, tenantId: string | null, actor: Actor, meta: RequestMeta | undefined, event: AuditEvent) {
  // Tenants with redactPii: what changed and the details, never the actor's identity (accountability).
  await tx.$executeRaw(auditEntrySql(tenantId, actor, meta, event, await redactionFor(tx, tenantId)))
}

const jsonb = (v: unknown) => (v === undefined ? Prisma.sql`NULL` : Prisma.sql`${JSON.stringify(v)}::jsonb`)

/**
 * The INSERT of one entry as SQL, also for a statement that writes the entry with its change in one round trip
 * (runAgent, runs/queue.ts): `at` and the id made here as Prisma makes them (the client's clock, a UUID v7). No
 * RETURNING, so an entry without a tenant need not be readable by the writer (RLS). `redact` is the tenant's redaction.
 */
export function auditEntrySql(tenantId: string | null, actor: Actor, meta: RequestMeta | undefined, event: AuditEvent, redact: Redact): Prisma.Sql {
  return Prisma.sql`INSERT INTO audit_log (id, tenant_id, at, actor_type, actor_id, actor_label, action, resource_type, resource_id, outcome, request_id, ip_address, user_agent, changes, metadata)
    VALUES (${uuidv7()}::uuid, ${tenantId}::uuid, ${new Date().toISOString()}::timestamptz, ${actor.type}::"ActorType", ${actor.id ?? null}::uuid, ${actor.label ?? null},
      ${event.action}, ${event.resourceType ?? null}, ${event.resourceId ?? null}, ${event.outcome}::"AuditOutcome", ${meta?.requestId ?? null}, ${meta?.ip ?? null},
      ${meta?.userAgent?.slice(0, 512) ?? null}, ${jsonb(redact(event.changes))}, ${jsonb(redact(event.metadata))})`
}

// Changes to these are also the tenant's domain events (tenantEvents), recorded in the same transaction.
const domainResources = new Set(['Tool', 'Agent', 'Thread'])

/**
 * Appends the entry of a successful change made by the session's principal, inside the change's transaction; for
 * tools, agents and threads it also appends the tenant's domain event (type = action, data = the redacted changes).
 */
export async function auditChange(tx: Tx, s: { principal: Principal; meta: RequestMeta; deps: Pick<AppDeps, 'pubsub'> }, event: Omit<AuditEvent, 'outcome'>) {
  await recordAudit(tx, s.principal.tenantId, actorOf(s.principal), s.meta, { ...event, outcome: 'SUCCESS' })
  if (event.resourceType && event.resourceId && domainResources.has(event.resourceType)) {
    await emitTenantEvent(s.deps, tx, s.principal.tenantId, { type: event.action, resourceType: event.resourceType, resourceId: event.resourceId, data: event.changes ?? {} })
  }
}

/**
 * Records an attempt the authorisation layer refused (outcome DENIED), in a transaction of its own (there is no
 * change to share one with) in the principal's tenant.
 */
export const recordDenied = (db: Database, principal: Principal, meta: RequestMeta, event: Omit<AuditEvent, 'outcome'>) =>
  db.forTenant(principal.tenantId).tx((tx) => recordAudit(tx, principal.tenantId, actorOf(principal), meta, { ...event, outcome: 'DENIED' }))
