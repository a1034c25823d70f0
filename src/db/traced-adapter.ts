// Database spans: wraps a Prisma driver-adapter factory so that every transaction (BEGIN to COMMIT/ROLLBACK) and
// every statement is a span (OpenTelemetry database conventions: db.system.name, db.operation.name, db.query.text).
// Statements inside a transaction are children of its span. Only the parameterised SQL is recorded, never the values.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils'
import { context, SpanKind, trace, type Context, type Span } from '@opentelemetry/api'
import { failSpan, tracer } from '../telemetry.ts'

const base = { 'db.system.name': 'postgresql', 'db.system': 'postgresql' }
const maxQueryText = 2_000

/** The factory, its connections and transactions traced (wrap only when tracing is on: each span has a cost). */
export function tracedAdapterFactory<F extends SqlDriverAdapterFactory>(factory: F): F {
  return override(factory, { connect: async () => tracedAdapter(await factory.connect()) })
}

function tracedAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return override(adapter, {
    queryRaw: (q: SqlQuery) => statement(q, () => adapter.queryRaw(q)),
    executeRaw: (q: SqlQuery) => statement(q, () => adapter.executeRaw(q)),
    startTransaction: async (isolationLevel?: Parameters<SqlDriverAdapter['startTransaction']>[0]) => {
      const span = tracer().startSpan('transaction', { kind: SpanKind.CLIENT, attributes: { ...base, 'db.operation.name': 'transaction' } })
      try {
        return tracedTransaction(await adapter.startTransaction(isolationLevel), span, trace.setSpan(context.active(), span))
      } catch (e) {
        failSpan(span, e)
        span.end()
        throw e
      }
    },
  })
}

function tracedTransaction(tx: Transaction, span: Span, parent: Context): Transaction {
  const end = (how: 'commit' | 'rollback') => async () => {
    span.setAttribute('db.transaction.outcome', how)
    try {
      await tx[how]()
    } catch (e) {
      failSpan(span, e)
      throw e
    } finally {
      span.end()
    }
  }
  return override(tx, {
    queryRaw: (q: SqlQuery) => statement(q, () => tx.queryRaw(q), parent),
    executeRaw: (q: SqlQuery) => statement(q, () => tx.executeRaw(q), parent),
    commit: end('commit'),
    rollback: end('rollback'),
  })
}

async function statement<R>(q: SqlQuery, run: () => Promise<R>, parent = context.active()): Promise<R> {
  const operation = /^\s*(\w+)/.exec(q.sql)?.[1]?.toUpperCase() ?? 'QUERY'
  const span = tracer().startSpan(operation, {
    kind: SpanKind.CLIENT,
    attributes: { ...base, 'db.operation.name': operation, 'db.query.text': q.sql.slice(0, maxQueryText) },
  }, parent)
  try {
    return await run()
  } catch (e) {
    failSpan(span, e)
    throw e
  } finally {
    span.end()
  }
}

/** A view of `target` with some methods replaced; every other property reads through (methods stay bound). */
function override<T extends object>(target: T, methods: Record<string, unknown>): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (typeof prop === 'string' && Object.hasOwn(methods, prop)) return methods[prop]
      const v = Reflect.get(t, prop, receiver)
      return typeof v === 'function' ? v.bind(t) : v
    },
  })
}
