// A per-process read cache of execution logs. When many subscribers follow the same run, one database read serves
// them all: concurrent reads of the same position are coalesced (single flight), and the newest events stay in
// memory for the followers that come next. Safe to share because committed events are immutable (they are frozen
// here); it is a cache, not a queue: every follower still pulls at its own pace from its own cursor, and a miss
// simply reads the database. Keyed by tenant and execution; bounded in events per log and in logs.
import type { StoredEvent } from './execution-log.ts'

interface Log {
  /** Consecutive events (by seq), oldest first. */
  events: StoredEvent[]
  inflight: Map<number, Promise<StoredEvent[]>>
}

export class LogCache {
  private logs = new Map<string, Log>()

  constructor(
    private readonly maxEventsPerLog = 2_000,
    private readonly maxLogs = 500,
  ) {}

  /** Events with seq > `after` (at most `limit`), from memory when it has them, else through one shared `load`. */
  async read(key: string, after: number, limit: number, load: (after: number, limit: number) => Promise<StoredEvent[]>): Promise<StoredEvent[]> {
    const log = this.log(key)
    const cached = this.slice(log, after, limit)
    if (cached.length) return cached
    let pending = log.inflight.get(after)
    if (!pending) {
      pending = load(after, Math.max(limit, 200)).then((rows) => {
        this.add(log, rows.map((r) => Object.freeze(r)))
        return this.canonical(log, rows)
      }).finally(() => log.inflight.delete(after))
      log.inflight.set(after, pending)
    }
    return (await pending).slice(0, limit)
  }

  private log(key: string): Log {
    let log = this.logs.get(key)
    if (log) {
      this.logs.delete(key) // most recently used last
    } else {
      log = { events: [], inflight: new Map() }
      if (this.logs.size >= this.maxLogs) this.logs.delete(this.logs.keys().next().value!)
    }
    this.logs.set(key, log)
    return log
  }

  private slice(log: Log, after: number, limit: number): StoredEvent[] {
    const first = log.events[0]
    if (!first || after + 1 < first.seq) return []
    const start = after + 1 - first.seq
    return log.events.slice(start, start + limit)
  }

  /**
   * The cached object for each row the cache holds: two loads from different positions can both read an event, and
   * the fan-out memoises each execution by the event object (src/graphql/fan-out.ts), so every follower must get the
   * same one.
   */
  private canonical(log: Log, rows: StoredEvent[]): StoredEvent[] {
    const first = log.events[0]
    if (!first) return rows
    return rows.map((r) => {
      const held = log.events[r.seq - first.seq]
      return held?.seq === r.seq ? held : r
    })
  }

  private add(log: Log, rows: StoredEvent[]) {
    if (!rows.length) return
    const last = log.events.at(-1)
    if (last && rows[0]!.seq <= last.seq + 1 && rows.at(-1)!.seq > last.seq) {
      log.events.push(...rows.filter((r) => r.seq > last.seq))
    } else if (!last || rows[0]!.seq > last.seq + 1) {
      log.events = [...rows] // a gap from what we held: start over from these
    }
    if (log.events.length > this.maxEventsPerLog) log.events = log.events.slice(-this.maxEventsPerLog)
  }
}
