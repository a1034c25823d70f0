// Live feeds: one follower per log and process that hands each new entry to every member synchronously, in order.
// A thousand subscribers of one run used to be a thousand followers, each taking every event through its own chain
// of async calls (follower, mapping, guard, frame writer: microtasks and promise hooks per subscriber and event);
// with a feed, the log is read once per page and the members' code runs in one loop (docs/performance.md, S4).
//
// A member joins only where the feed is: at its position or ahead of it (then the entries up to its own position are
// skipped), never behind. A subscriber replaying older entries pulls them itself (from the log cache) and joins once
// it has caught up, so each gets every entry once and in order, whatever its cursor. A member that stops taking
// entries (its socket's buffer is full, a result it cannot send directly, its run ended) returns false and leaves;
// its own follower goes on from the last entry it took. When the feed's reads fail for good, the failure goes to
// every member, as each member's own follower would have met it.
import { follow, type FeedHub, type FollowOptions } from './follow.ts'
import type { FeedMember } from './pushable.ts'

interface Feed {
  /** The seq of the last entry pushed (or the position the feed started at). */
  position: number
  members: Set<FeedMember<{ seq: number }>>
  close(failure?: unknown): void
}

/** The process's feeds, by log key (tenant and execution): the `FeedHub` followers join. */
export class Feeds implements FeedHub {
  private feeds = new Map<string, Feed>()

  /** Number of live feeds. */
  get size() {
    return this.feeds.size
  }

  join<T extends { seq: number }>(key: string, member: FeedMember<T>, source: FollowOptions<T>): (() => void) | undefined {
    const feed = this.feeds.get(key) ?? this.start(key, member.after, source)
    if (member.after < feed.position) return undefined
    const m = member as unknown as FeedMember<{ seq: number }>
    feed.members.add(m)
    return () => {
      feed.members.delete(m)
      if (!feed.members.size) feed.close()
    }
  }

  private start<T extends { seq: number }>(key: string, position: number, source: FollowOptions<T>): Feed {
    // Its own follower of the log, with the first member's reads (same tenant and log: the key says so). It never
    // falls too far behind: it takes whole pages.
    const follower = follow({ ...source, after: position, maxLag: Number.POSITIVE_INFINITY, feed: undefined })
    let closed = false
    const feed: Feed = {
      position,
      members: new Set(),
      close: (failure) => {
        if (closed) return
        closed = true
        if (this.feeds.get(key) === feed) this.feeds.delete(key)
        void follower.return()
        const left = [...feed.members]
        feed.members.clear()
        for (const m of left) m.drop(failure)
      },
    }
    this.feeds.set(key, feed)
    void (async () => {
      try {
        while (!closed) {
          const page = await follower.nextPage()
          if (!page.length) break
          for (const entry of page) pushToMembers(feed, entry as { seq: number })
        }
        feed.close()
      } catch (failure) {
        feed.close(failure)
      }
    })()
    return feed
  }
}

function pushToMembers(feed: Feed, entry: { seq: number }) {
  feed.position = entry.seq
  for (const m of feed.members) {
    if (entry.seq <= m.after) continue
    let more: boolean
    try {
      more = m.push(entry)
    } catch (failure) {
      // One member's failure is its own: it ends that member's stream, not the feed.
      feed.members.delete(m)
      m.drop(failure)
      continue
    }
    if (!more) feed.members.delete(m)
  }
  if (!feed.members.size) feed.close()
}
