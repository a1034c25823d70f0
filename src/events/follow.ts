// Follows a durable log: replays everything after a cursor from the database, then keeps reading as wake-ups (or,
// without them, a slow poll) announce new entries. Exactly once and in order by construction: it only ever reads
// `seq > last delivered` from the source of truth, in order; wake-ups carry no data, so a lost, late or duplicated
// one changes nothing but latency. Each follower holds at most one page and a few numbers: a slow consumer costs no
// memory, and a consumer that falls more than `maxLag` entries behind the head is ended (it resumes by cursor).
import { transientKind } from '../db/transient.ts'
import type { PubSub } from '../pubsub/pubsub.ts'

export interface FollowOptions<T extends { seq: number }> {
  pubsub: PubSub
  topic: string
  /** Deliver entries with seq > after. */
  after: number
  read(after: number, limit: number): Promise<T[]>
  /** The stream ends after this entry (e.g. a run's terminal event). */
  isLast?(entry: T): boolean
  pageSize?: number
  /** Re-read at least this often while idle, in case wake-ups are lost (broker down). */
  pollMs?: number
  /** Entries the consumer may fall behind the newest known one before it is ended. */
  maxLag?: number
  /** How long reads may keep failing with a transient database error (a restart) before the stream is ended. */
  outageMs?: number
}

/** The consumer fell too far behind; it can resubscribe from `lastSeq` (its last delivered entry). */
export class SlowConsumerError extends Error {
  constructor(readonly lastSeq: number) {
    super('The subscriber fell too far behind the stream; resubscribe from its last cursor.')
  }
}

/** An async iterator over the log, starting after `opts.after`. */
export function follow<T extends { seq: number }>(opts: FollowOptions<T>): AsyncIterableIterator<T> {
  const { pageSize = 100, pollMs = 1_000, maxLag = 10_000, outageMs = 15_000 } = opts
  let delivered = opts.after
  let head = opts.after
  let page: T[] = []
  let last = false
  let closed = false
  let wake: (() => void) | undefined
  let timer: NodeJS.Timeout | undefined
  // Subscribe before the first read, so nothing committed after that read can go unannounced.
  const unsubscribe = opts.pubsub.subscribe(opts.topic, (p) => {
    const seq = (p as { seq?: unknown })?.seq
    if (typeof seq === 'number' && seq > head) head = seq
    wake?.()
  })
  const close = () => {
    if (closed) return
    closed = true
    unsubscribe()
    clearTimeout(timer)
    wake?.()
  }
  const idle = () =>
    new Promise<void>((resolve) => {
      wake = () => {
        wake = undefined
        clearTimeout(timer)
        resolve()
      }
      timer = setTimeout(() => wake?.(), pollMs)
    })
  const done = { done: true, value: undefined } as IteratorReturnResult<undefined>
  // A database restart or failover takes seconds; the log is intact afterwards, so the stream waits for it (re-reading
  // every poll interval) rather than ending every subscriber's stream at once and having them all resubscribe.
  const readThroughOutage = async (): Promise<T[]> => {
    const since = Date.now()
    for (;;) {
      try {
        return await opts.read(delivered, pageSize)
      } catch (e) {
        if (closed || transientKind(e) === undefined || Date.now() - since >= outageMs) throw e
        await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, 500)))
      }
    }
  }

  return {
    async next(): Promise<IteratorResult<T>> {
      while (!closed) {
        if (head - delivered > maxLag) {
          close()
          throw new SlowConsumerError(delivered)
        }
        const entry = page.shift()
        if (entry) {
          delivered = entry.seq
          if (opts.isLast?.(entry)) last = true
          return { done: false, value: entry }
        }
        if (last) break
        page = await readThroughOutage()
        if (page.length) head = Math.max(head, page.at(-1)!.seq)
        else await idle()
      }
      close()
      return done
    },
    async return() {
      close()
      return done
    },
    async throw(e?: unknown) {
      close()
      throw e
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}

/**
 * Maps (and filters, when `f` returns undefined) an iterator, forwarding `return()` at once. An async generator would
 * only see a consumer's `return()` after its pending `await` settles, keeping a dead subscription around.
 */
export function transform<T, U>(source: AsyncIterator<T>, f: (value: T) => U | undefined, first?: U): AsyncIterableIterator<U> {
  let pendingFirst = first !== undefined
  return {
    async next(): Promise<IteratorResult<U>> {
      if (pendingFirst) {
        pendingFirst = false
        return { done: false, value: first as U }
      }
      for (;;) {
        const r = await source.next()
        if (r.done) return { done: true, value: undefined }
        const mapped = f(r.value)
        if (mapped !== undefined) return { done: false, value: mapped }
      }
    },
    async return() {
      await source.return?.()
      return { done: true, value: undefined }
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}
