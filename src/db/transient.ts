// Database failures that are not the caller's fault and that time or a second try can fix. PostgreSQL asks clients
// to retry serialization failures and deadlocks; an outage (restart, failover, exhausted pool) should reach clients
// as a typed, retryable refusal rather than a masked 500. Errors arrive in several shapes: Prisma's own codes,
// driver-adapter kinds with the original SQLSTATE, and plain errors from the `pg` driver or its pool.

/** `retry`: rolled back by the database, safe to run again at once; `unavailable`: the database cannot serve now. */
export type TransientKind = 'retry' | 'unavailable'

// Prisma: P2034 write conflict or deadlock; P2028 transaction could not start or expired; P2024 pool timeout;
// P1001/P1002/P1008/P1017 unreachable, timed out or closed by the server.
const prismaRetry = new Set(['P2034'])
const prismaUnavailable = new Set(['P2028', 'P2024', 'P1001', 'P1002', 'P1008', 'P1017'])
const adapterRetry = new Set(['TransactionWriteConflict'])
const adapterUnavailable = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TransactionAlreadyClosed'])
// SQLSTATE: 40001 serialization failure, 40P01 deadlock; class 08 connection exceptions, 53300 too many connections,
// 57P01-57P03 shutdown/crash/starting up, 55P03 lock not available.
const sqlRetry = /^(40001|40P01)$/
const sqlUnavailable = /^(08...|53300|57P0[123]|55P03)$/
// The pg driver and its pool throw plain errors for a lost or refused connection.
const unavailableMessage = /Connection terminated|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down|in recovery)|Transaction already closed|Unable to start a transaction|Transaction API error/

interface Shape {
  code?: unknown
  kind?: unknown
  originalCode?: unknown
  message?: unknown
  meta?: { driverAdapterError?: unknown; code?: unknown }
  cause?: unknown
  errorCode?: unknown
}

/** Every nested error an error carries (causes, driver-adapter errors), bounded in depth. */
function* layers(e: unknown): Generator<Shape> {
  let current: unknown = e
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const s = current as Shape
    yield s
    current = s.meta?.driverAdapterError ?? s.cause
  }
}

/** Whether a database error is transient, and how; undefined for everything else (bugs, constraint violations). */
export function transientKind(e: unknown): TransientKind | undefined {
  let unavailable = false
  for (const s of layers(e)) {
    const codes = [s.code, s.errorCode, s.originalCode, s.meta?.code].filter((c): c is string => typeof c === 'string')
    if (codes.some((c) => prismaRetry.has(c) || sqlRetry.test(c)) || (typeof s.kind === 'string' && adapterRetry.has(s.kind))) return 'retry'
    if (codes.some((c) => prismaUnavailable.has(c) || sqlUnavailable.test(c)) || (typeof s.kind === 'string' && adapterUnavailable.has(s.kind))) unavailable = true
    if (typeof s.message === 'string' && unavailableMessage.test(s.message)) unavailable = true
  }
  return unavailable ? 'unavailable' : undefined
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs `fn` again (at most `attempts` times in all, with a short jittered pause) while it fails with an error the
 * database rolled back for a retry (serialization failure, deadlock). `fn` must be a whole transaction.
 */
export async function retryTransient<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (e) {
      if (attempt >= attempts || transientKind(e) !== 'retry') throw e
      await sleep(5 * 2 ** attempt * (0.5 + Math.random()))
    }
  }
}
