// Reading the audit log (the tenant's compliance view) and its retention purge. Writing is audit.ts.
import type { Config } from '../config.ts'
import type { Session } from './session.ts'
import type { Database } from '../db/client.ts'
import { systemTx } from '../db/scope.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import { page, type PageRequest } from './paging.ts'
import { Problems } from './validation.ts'

export interface AuditFilter {
  /** Exact action (`tool.update`), or every action of a resource with `tool.*`. */
  action?: string | null
  resourceType?: string | null
  resourceId?: string | null
  actorId?: string | null
  /** Inclusive lower bound of `at`. */
  from?: Date | null
  /** Exclusive upper bound of `at`. */
  to?: Date | null
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function auditWhere(filter: AuditFilter): Prisma.AuditLogWhereInput {
  const p = new Problems()
  const short = (path: string, v: string | null | undefined, max = 100) => {
    const t = v?.trim()
    if (t && t.length > max) p.add(`filter.${path}`, `must be at most ${max} characters`)
    return t || undefined
  }
  const action = short('action', filter.action)
  const resourceType = short('resourceType', filter.resourceType)
  const resourceId = short('resourceId', filter.resourceId, 200)
  const actorId = short('actorId', filter.actorId, 200)
  if (actorId && !uuid.test(actorId)) p.add('filter.actorId', 'is not the id of a user or an API key')
  if (filter.from && filter.to && filter.from >= filter.to) p.add('filter.to', 'must be after filter.from')
  p.check()
  return {
    AND: [
      action ? (action.endsWith('.*') ? { action: { startsWith: action.slice(0, -1) } } : { action }) : {},
      resourceType ? { resourceType } : {},
      resourceId ? { resourceId } : {},
      actorId ? { actorId: actorId.toLowerCase() } : {},
      filter.from || filter.to ? { at: { ...(filter.from && { gte: filter.from }), ...(filter.to && { lt: filter.to }) } } : {},
    ],
  }
}

/** The tenant's audit entries, newest first, filtered. */
export function listAuditLog(s: Session, req: PageRequest, filter: AuditFilter = {}) {
  const where = auditWhere(filter)
  return page(req, 'id', (args) => s.db.client.auditLog.findMany({ ...args, where: { AND: [args.where, where] } }), () => s.db.client.auditLog.count({ where }))
}

/**
 * Retention: deletes the entries of every tenant older than `days` (default AUDIT_RETENTION_DAYS) and returns how
 * many. The database function `purge_audit_log` is the only way past the append-only guard; call this from the worker
 * loop or `src/cli/audit-purge.ts`.
 */
export async function purgeAuditLog(deps: { db: Database; config: Config }, days = deps.config.audit.retentionDays): Promise<number> {
  const [row] = await systemTx(deps.db.prisma, {}, (tx) => tx.$queryRaw<{ n: bigint | number }[]>`SELECT purge_audit_log(${days}::int) AS n`)
  return Number(row?.n ?? 0)
}
