// The one tenant-scoped data-access path. Two independent isolation layers meet here:
//  (a) every operation on a tenant-owned model gets the tenant injected into its filter (or its data, for
//      creates), so no service hand-writes `where: { tenantId }`;
//  (b) every statement runs in a transaction whose local settings (app.tenant_id, app.user_id, app.purpose) drive
//      PostgreSQL row-level security (prisma/migrations/*_identity).
// Either layer alone keeps tenants apart; tests prove it by disabling the other one.
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts'
import { retryTransient } from './transient.ts'

/** Transaction-local settings read by the row-level security policies. */
export interface DbSettings {
  tenantId?: string
  userId?: string
  /** 'auth': the authentication path's narrow cross-tenant lookups; 'worker': claiming queued executions. */
  purpose?: 'auth' | 'worker'
}

export type Tx = Prisma.TransactionClient

// Work to do once a transaction has committed (e.g. publishing a wake-up for rows it wrote). Keyed by the
// transaction client, which lives exactly as long as the transaction.
const afterCommitHooks = new WeakMap<object, (() => void)[]>()

/** Runs `fn` after `tx` commits (never if it rolls back). */
export function afterCommit(tx: Tx, fn: () => void) {
  const hooks = afterCommitHooks.get(tx)
  if (!hooks) throw new Error('afterCommit outside a transaction started by tenantDb.tx or systemTx')
  hooks.push(fn)
}

// A deadlock or serialization failure rolled the whole transaction back: it is run again from the start (with fresh
// after-commit hooks), as PostgreSQL asks clients to do.
async function inTransaction<T>(client: PrismaClient, settings: DbSettings, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let hooks: (() => void)[] = []
  const result = await retryTransient(() => client.$transaction(async (tx) => {
    hooks = []
    afterCommitHooks.set(tx, hooks)
    await applySettings(tx, settings)
    return fn(tx)
  }))
  for (const hook of hooks) hook()
  return result
}

export interface TenantDb {
  readonly tenantId: string
  /** Model access for reads and single writes; each operation runs in its own transaction with the tenant set. */
  readonly client: PrismaClient
  /** One interactive transaction with the tenant set for all of it (multi-statement writes, audit, raw SQL). */
  tx<T>(fn: (tx: Tx) => Promise<T>, settings?: Omit<DbSettings, 'tenantId'>): Promise<T>
}

const tenantOwned = new Set<string>([
  'Membership', 'Invitation', 'ApiKey', 'RefreshToken', 'Tool', 'Agent', 'AgentTool', 'Thread', 'Execution',
  'ExecutionEvent', 'AuditLog', 'TenantEvent', 'TenantUsage', 'Webhook', 'WebhookDelivery', 'McpServer', 'Budget', 'SubjectUsage', 'TenantExport', 'TenantExportChunk',
])
const uniqueWhere = new Set(['findUnique', 'findUniqueOrThrow', 'update', 'delete', 'upsert'])
const creates = new Set(['create', 'createMany', 'createManyAndReturn'])

/** Statement that applies `s` to the current transaction only. */
export const applySettings = (db: { $executeRaw: PrismaClient['$executeRaw'] }, s: DbSettings) =>
  db.$executeRaw`SELECT set_config('app.tenant_id', ${s.tenantId ?? ''}, true), set_config('app.user_id', ${s.userId ?? ''}, true), set_config('app.purpose', ${s.purpose ?? ''}, true)`

type Args = Record<string, unknown> & { where?: unknown; data?: unknown; create?: unknown }

/** Layer (a): the arguments of `operation` on `model`, restricted to `tenantId`. */
export function scopeArgs(model: string, operation: string, args: Args, tenantId: string): Args {
  if (model === 'Tenant') {
    if (creates.has(operation)) throw new Error('tenants are created by the sign-up path only')
    // Intersect, never overwrite: `where: { id: X }` must stay X (and find nothing unless X is the caller's tenant).
    return uniqueWhere.has(operation) ? { ...args, where: { ...(args.where as object), AND: [{ id: tenantId }] } } : { ...args, where: { AND: [args.where ?? {}, { id: tenantId }] } }
  }
  if (model === 'User') {
    if (creates.has(operation) || operation.startsWith('update') || operation.startsWith('delete') || operation === 'upsert') {
      throw new Error('users are written by the authentication path only')
    }
    const member = { memberships: { some: { tenantId } } }
    return uniqueWhere.has(operation) ? { ...args, where: { ...(args.where as object), ...member } } : { ...args, where: { AND: [args.where ?? {}, member] } }
  }
  if (!tenantOwned.has(model)) return args
  const withTenant = (data: unknown) => ({ ...(data as object), tenantId })
  if (creates.has(operation)) {
    return { ...args, data: Array.isArray(args.data) ? args.data.map(withTenant) : withTenant(args.data) }
  }
  if (operation === 'upsert') return { ...args, where: { ...(args.where as object), tenantId }, create: withTenant(args.create) }
  if (uniqueWhere.has(operation)) return { ...args, where: { ...(args.where as object), tenantId } }
  return { ...args, where: { AND: [args.where ?? {}, { tenantId }] } }
}

const filterExtension = (tenantId: string) =>
  Prisma.defineExtension({
    name: 'tenant-filter',
    query: { $allModels: { $allOperations: ({ model, operation, args, query }) => query(scopeArgs(model, operation, args as Args, tenantId) as typeof args) } },
  })

/** Builds the scoped accessors for one tenant. `filter: false` switches layer (a) off (isolation tests only). */
export function createTenantDb(base: PrismaClient, tenantId: string, opts: { filter: boolean }): TenantDb {
  const filtered = (opts.filter ? base.$extends(filterExtension(tenantId)) : base) as unknown as PrismaClient
  const settings = { tenantId }
  const client = filtered.$extends({
    name: 'tenant-settings',
    query: {
      $allModels: {
        // Layer (b): the operation and the settings it runs under share one transaction.
        async $allOperations({ args, query }) {
          const [, result] = await retryTransient(() => base.$transaction([applySettings(base, settings), query(args)]))
          return result
        },
      },
    },
  }) as unknown as PrismaClient
  return {
    tenantId,
    client,
    tx: (fn, extra = {}) => inTransaction(filtered, { ...extra, tenantId }, fn),
  }
}

/** A transaction with explicit settings and no tenant filter: the authentication and worker paths only. */
export const systemTx = <T>(base: PrismaClient, settings: DbSettings, fn: (tx: Tx) => Promise<T>): Promise<T> => inTransaction(base, settings, fn)

/** Caches scoped accessors per tenant (building Prisma extensions per request is wasted work). */
export function tenantDbCache(base: PrismaClient, opts: { filter: boolean }, max = 1_000) {
  const cache = new Map<string, TenantDb>()
  return (tenantId: string): TenantDb => {
    let db = cache.get(tenantId)
    if (db) {
      cache.delete(tenantId) // refresh LRU position
    } else {
      db = createTenantDb(base, tenantId, opts)
      if (cache.size >= max) cache.delete(cache.keys().next().value!)
    }
    cache.set(tenantId, db)
    return db
  }
}
