// Iterators that can also be pushed to: a live feed (src/events/feed.ts) hands each new entry of a log to its members
// synchronously, instead of each member pulling it through a chain of async calls of its own.

/**
 * An async iterator that can also hand its entries to a synchronous consumer. `pushTo(push)` does so until `push`
 * returns false, the stream ends or fails, or the iterator is returned; what it pushed counts as delivered, and
 * `next()` goes on after it. Undefined when it cannot now (a value is buffered, or the live position is ahead).
 */
export interface Pushable<T> extends AsyncIterableIterator<T> {
  pushTo?(push: (value: T) => boolean): Promise<void> | undefined
}

/** A consumer of a feed: gets each entry after its position, synchronously, in order. */
export interface FeedMember<T> {
  /** Entries with seq at most this are skipped (the member joined ahead of the feed). */
  after: number
  /** Takes the next entry; false: leave the feed after it. */
  push(entry: T): boolean
  /** The feed ended without the member leaving (its log failed, or it closed): with the failure, if any. */
  drop(failure?: unknown): void
}

/**
 * Maps (and filters, when `f` returns undefined) an iterator, forwarding `return()` at once. An async generator would
 * only see a consumer's `return()` after its pending `await` settles, keeping a dead subscription around. Pushes are
 * mapped the same way.
 */
export function transform<T, U>(source: Pushable<T>, f: (value: T) => U | undefined, first?: U): Pushable<U> {
  let pendingFirst = first !== undefined
  const mapped: Pushable<U> = {
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
  const pushTo = source.pushTo?.bind(source)
  if (pushTo) {
    mapped.pushTo = (push) => {
      if (pendingFirst) return undefined
      return pushTo((value) => {
        const m = f(value)
        return m === undefined || push(m)
      })
    }
  }
  return mapped
}
