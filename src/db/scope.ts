// The one tenant-scoped data-access path. Two independent isolation layers meet here:
//  (a) every operation on a tenant-owned model gets the tenant injected into its filter (or its data, for
//      creates), so no service hand-writes `where: { tenantId }`;
//  (b) every statement runs in a transaction whose local settings (app.tenant_id, app.user_id, app.purpose) drive
//      PostgreSQL row-level security (prisma/migrations/*_identity).
// Either layer alone keeps tenants apart; tests prove it by disabling the other one.
import { AsyncLocalStorage } from 'node:async_hooks'
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts'
import { beginWithSettings, setConfigSql, type SettingValues } from './settings-on-begin.ts'
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
  const result = await retryTransient(() => transactionWith(client, settingValues(settings), (tx) => {
    hooks = []
    afterCommitHooks.set(tx, hooks)
    return fn(tx)
  }))
  for (const hook of hooks) hook()
  return result
}

// One read-only transaction shared by every tenant-scoped read of one GraphQL query operation: BEGIN, the settings
// and COMMIT once per operation instead of around every statement (they were two thirds of its statements), and one
// snapshot for the whole answer. Opened by the first statement, committed when the operation ends.
interface OperationScope {
  tenantId: string
  tx?: Promise<Tx>
  finish?: () => void
  done?: Promise<unknown>
  hooks: (() => void)[]
  /** Ended, or a statement failed (PostgreSQL aborted the transaction): later statements use their own. */
  closed: boolean
}
const operationScope = new AsyncLocalStorage<OperationScope>()

/**
 * Runs `fn` (one query operation of `tenantId`) so that its tenant-scoped reads share one read-only transaction.
 * Writes inside it fail loudly (read-only); the transaction ends when `fn` settles.
 */
export async function shareReads<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
  const scope: OperationScope = { tenantId, hooks: [], closed: false }
  try {
    return await operationScope.run(scope, fn)
  } finally {
    scope.closed = true
    if (scope.tx) {
      // A statement that failed already reached its caller; a failed COMMIT of reads loses nothing.
      await scope.tx.catch(() => {})
      scope.finish?.()
      await scope.done?.catch(() => {})
      for (const hook of scope.hooks) hook()
    }
  }
}

/** The operation's shared transaction for `tenantId`, opening it on first use; undefined outside one. */
function sharedTx(client: PrismaClient, tenantId: string): { scope: OperationScope; tx: Promise<Tx> } | undefined {
  const scope = operationScope.getStore()
  if (!scope || scope.closed || scope.tenantId !== tenantId) return undefined
  scope.tx ??= new Promise<Tx>((resolve, reject) => {
    scope.done = transactionWith(client, { ...settingValues({ tenantId }), transaction_read_only: 'on' }, async (tx) => {
      afterCommitHooks.set(tx, scope.hooks)
      resolve(tx)
      await new Promise<void>((r) => (scope.finish = r))
    }, { timeout: 60_000 })
    scope.done.catch(reject)
  })
  return { scope, tx: scope.tx }
}

const isTransactionFailure = (e: unknown) =>
  (e as { code?: string }).code === 'P2028' || /current transaction is aborted|Transaction already closed|expired transaction/i.test(String((e as Error)?.message))

/** Runs `operation` of `model` (as the extension hook names them) on `tx`. */
const callModel = (tx: Tx, model: string, operation: string, args: unknown) =>
  (tx as unknown as Record<string, Record<string, (a: unknown) => Promise<unknown>>>)[model.charAt(0).toLowerCase() + model.slice(1)]![operation]!(args)

/** Runs one model operation in the shared transaction; a failure aborts it, so the scope stops sharing. */
async function inShared(shared: { scope: OperationScope; tx: Promise<Tx> }, model: string, operation: string, args: unknown) {
  try {
    return await callModel(await shared.tx, model, operation, args)
  } catch (e) {
    shared.scope.closed = true
    throw e
  }
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

const settingValues = (s: DbSettings): SettingValues => ({ 'app.tenant_id': s.tenantId ?? '', 'app.user_id': s.userId ?? '', 'app.purpose': s.purpose ?? '' })

/** Statement that applies `s` to the current transaction only. */
export const applySettings = (db: { $executeRawUnsafe: PrismaClient['$executeRawUnsafe'] }, s: DbSettings) => db.$executeRawUnsafe(setConfigSql(settingValues(s)))

/**
 * `client.$transaction(fn)` with `values` set for the whole transaction: sent with its BEGIN where the pool allows
 * (settings-on-begin.ts), else as its first statement.
 */
function transactionWith<T>(client: PrismaClient, values: SettingValues, fn: (tx: Tx) => Promise<T>, options?: { timeout: number }): Promise<T> {
  return beginWithSettings(values, (sent) => client.$transaction(async (tx) => {
    if (!sent()) await tx.$executeRawUnsafe(setConfigSql(values))
    return fn(tx)
  }, options))
}

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

/**
 * Builds the scoped accessors for one tenant. `filter: false` switches layer (a) off (isolation tests only);
 * `shareReads` lets query operations run under `shareReads()` share one transaction (PostgreSQL's pool only:
 * PGlite's one session would be held for the whole operation).
 */
export function createTenantDb(base: PrismaClient, tenantId: string, opts: { filter: boolean; shareReads?: boolean }): TenantDb {
  const filtered = (opts.filter ? base.$extends(filterExtension(tenantId)) : base) as unknown as PrismaClient
  const settings = { tenantId }
  const client = filtered.$extends({
    name: 'tenant-settings',
    query: {
      $allModels: {
        // Layer (b): the operation and the settings it runs under share one transaction.
        async $allOperations({ model, operation, args }) {
          const shared = opts.shareReads ? sharedTx(filtered, tenantId) : undefined
          if (shared) {
            try {
              return await inShared(shared, model, operation, args)
            } catch (e) {
              // The shared transaction itself failed (expired on a starved machine, or aborted by an earlier
              // statement): a read is safe to repeat in its own transaction. Any other error is the statement's.
              if (!isTransactionFailure(e)) throw e
            }
          }
          // Its own transaction, on the filtered client: layer (a) applies to `tx` as it did to `query`.
          return inTransaction(filtered, settings, (tx) => callModel(tx, model, operation, args))
        },
      },
    },
  }) as unknown as PrismaClient
  return {
    tenantId,
    client,
    tx: (fn, extra = {}) => {
      const shared = opts.shareReads && !Object.keys(extra).length ? sharedTx(filtered, tenantId) : undefined
      return shared ? shared.tx.then(fn) : inTransaction(filtered, { ...extra, tenantId }, fn)
    },
  }
}

/** A transaction with explicit settings and no tenant filter: the authentication and worker paths only. */
export const systemTx = <T>(base: PrismaClient, settings: DbSettings, fn: (tx: Tx) => Promise<T>): Promise<T> => inTransaction(base, settings, fn)

/** Caches scoped accessors per tenant (building Prisma extensions per request is wasted work). */
export function tenantDbCache(base: PrismaClient, opts: { filter: boolean; shareReads?: boolean }, max = 1_000) {
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
