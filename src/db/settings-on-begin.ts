// A transaction's row-level security settings travel with its BEGIN (PostgreSQL's pool only). They used to be the
// transaction's first statement, sent once BEGIN had come back: one more round trip per transaction, and on these
// machines a round trip's socket write (which wakes the server process) is the largest single cost of a request
// (docs/performance.md). Whoever starts a transaction puts its settings in an async context; the pool's connection
// that the driver adapter checks out for it sends them in the same simple-protocol message as its BEGIN.
import { AsyncLocalStorage } from 'node:async_hooks'
import pg from 'pg'

/** Transaction-local settings (`set_config(name, value, true)`), by name. */
export type SettingValues = Record<string, string>

interface Carrier {
  sql: string
  sent: boolean
}

const carrying = new AsyncLocalStorage<Carrier>()
const nextBegin = new WeakMap<pg.PoolClient, Carrier>()

/** SELECT set_config(name, value, true) for each setting, values escaped as literals. */
export const setConfigSql = (settings: SettingValues) =>
  `SELECT ${Object.entries(settings).map(([name, value]) => `set_config(${pg.escapeLiteral(name)}, ${pg.escapeLiteral(value)}, true)`).join(', ')}`

/**
 * Runs `start`, which begins one transaction; its BEGIN carries `settings` when the pool below supports it.
 * `start` gets `sent()`, true once they went with the BEGIN: when false it must apply them itself.
 */
export function beginWithSettings<T>(settings: SettingValues, start: (sent: () => boolean) => Promise<T>): Promise<T> {
  const carrier: Carrier = { sql: setConfigSql(settings), sent: false }
  return carrying.run(carrier, () => start(() => carrier.sent))
}

type Query = pg.PoolClient['query']

/** Makes `pool`'s connections send the carried settings with the BEGIN that follows their checkout. */
export function sendSettingsWithBegin(pool: pg.Pool): pg.Pool {
  pool.on('connect', patchQuery)
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>
  pool.connect = (async (...args: unknown[]) => {
    if (args.length) return (connect as (...a: unknown[]) => unknown)(...args)
    const client = await connect()
    const carrier = carrying.getStore()
    // A checkout outside a carrying context must not inherit a carrier its previous checkout left unused.
    if (carrier && !carrier.sent) nextBegin.set(client, carrier)
    else nextBegin.delete(client)
    return client
  }) as typeof pool.connect
  return pool
}

function patchQuery(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...a: unknown[]) => unknown
  client.query = ((config: unknown, ...rest: unknown[]) => {
    const carrier = nextBegin.get(client)
    if (carrier) {
      nextBegin.delete(client)
      const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text
      // Only the adapter's bare BEGIN (simple protocol, no parameters) can carry more statements.
      if (text === 'BEGIN' && !(config as { values?: unknown[] }).values?.length) {
        carrier.sent = true
        const combined = `BEGIN; ${carrier.sql}`
        return query(typeof config === 'string' ? combined : { ...(config as object), text: combined }, ...rest)
      }
    }
    return query(config, ...rest)
  }) as Query
}
