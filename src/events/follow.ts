// Follows a durable log: replays everything after a cursor from the database, then keeps reading as wake-ups (or,
// without them, a slow poll) announce new entries. Exactly once and in order by construction: it only ever reads
// `seq > last delivered` from the source of truth, in order; wake-ups carry no data, so a lost, late or duplicated
// one changes nothing but latency. Each follower holds at most one page and a few numbers: a slow consumer costs no
// memory, and a consumer that falls more than `maxLag` entries behind the head is ended (it resumes by cursor).
import { transientKind } from '../db/transient.ts'
import type { PubSub } from '../pubsub/pubsub.ts'
import type { FeedMember, Pushable } from './pushable.ts'

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
  /** The process's live feeds (src/events/feed.ts) and this log's key in them: lets `pushTo` join the log's feed. */
  feed?: { hub: FeedHub; key: string }
}

/** One live follower per log and process, pushing each new entry to its members (implemented by events/feed.ts). */
export interface FeedHub {
  /** Joins `key`'s feed (started at `member.after` when there is none); undefined when the feed is already past it. */
  join<T extends { seq: number }>(key: string, member: FeedMember<T>, source: FollowOptions<T>): (() => void) | undefined
}

/** The consumer fell too far behind; it can resubscribe from `lastSeq` (its last delivered entry). */
export class SlowConsumerError extends Error {
  constructor(readonly lastSeq: number) {
    super('The subscriber fell too far behind the stream; resubscribe from its last cursor.')
  }
}

export interface Followed<T> extends Pushable<T> {
  /** Every entry read so far at once (up to the last one); empty when the stream ended. */
  nextPage(): Promise<T[]>
  return(): Promise<IteratorResult<T>>
}

/** An async iterator over the log, starting after `opts.after`. */
export function follow<T extends { seq: number }>(opts: FollowOptions<T>): Followed<T> {
  const { pageSize = 100, pollMs = 1_000, maxLag = 10_000, outageMs = 15_000 } = opts
  let delivered = opts.after
  let head = opts.after
  let page: T[] = []
  let last = false
  let closed = false
  let wake: (() => void) | undefined
  let timer: NodeJS.Timeout | undefined
  // While pushed to by the feed: how to leave it, and what ends the wait of the `pushTo` caller.
  let leave: (() => void) | undefined
  let settle: (() => void) | undefined
  let failure: { error: unknown } | undefined
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
    settle?.()
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

  const readMore = async () => {
    const announced = head
    page = await readThroughOutage()
    if (page.length) head = Math.max(head, page.at(-1)!.seq)
    // A wake-up that came during the read may announce what the read missed: read again at once rather than wait
    // for the next one (or the poll). Each extra read takes a new announcement, so this never spins.
    else if (head === announced) await idle()
  }
  /** Throws when the stream cannot go on: the consumer fell too far behind, or its feed failed. */
  const check = () => {
    if (failure) {
      close()
      throw failure.error
    }
    if (head - delivered > maxLag) {
      close()
      throw new SlowConsumerError(delivered)
    }
  }

  return {
    async next(): Promise<IteratorResult<T>> {
      while (!closed) {
        check()
        const entry = page.shift()
        if (entry) {
          delivered = entry.seq
          if (opts.isLast?.(entry)) last = true
          return { done: false, value: entry }
        }
        if (last) break
        await readMore()
      }
      close()
      return done
    },
    async nextPage(): Promise<T[]> {
      while (!closed) {
        check()
        if (page.length) {
          const end = opts.isLast ? page.findIndex((x) => opts.isLast!(x)) : -1
          const taken = end < 0 ? page : page.slice(0, end + 1)
          page = []
          if (end >= 0) last = true
          delivered = taken.at(-1)!.seq
          return taken
        }
        if (last) break
        await readMore()
      }
      close()
      return []
    },
    pushTo(push) {
      if (!opts.feed || closed || last || failure || leave || page.length) return undefined
      // The feed let go of the member (it returned false, or the feed ended): nothing to leave.
      const stopped = () => {
        leave = undefined
        settle?.()
      }
      const member: FeedMember<T> = {
        after: delivered,
        push(entry) {
          delivered = entry.seq
          if (entry.seq > head) head = entry.seq
          if (opts.isLast?.(entry)) last = true
          const more = push(entry) && !last
          if (!more) stopped()
          return more
        },
        drop(error) {
          if (error !== undefined) failure = { error }
          stopped()
        },
      }
      const left = opts.feed.hub.join(opts.feed.key, member, opts)
      if (!left) return undefined
      leave = left
      return new Promise<void>((resolve) => {
        settle = () => {
          settle = undefined
          const l = leave
          leave = undefined
          l?.()
          resolve()
        }
      })
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
