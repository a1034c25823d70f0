// Feeds (src/events/feed.ts) over an in-memory log: one follower per log pushes each new entry to the followers that
// caught up with it. Whatever their cursors and however often they leave and come back, each follower gets every
// entry once and in order; a member joins only at or ahead of the feed; a read failure reaches every member.
import { describe, expect, it } from 'vitest'
import { Feeds } from '../../src/events/feed.ts'
import { follow, type FollowOptions } from '../../src/events/follow.ts'
import type { FeedMember, Pushable } from '../../src/events/pushable.ts'
import { createMemoryPubSub } from '../../src/pubsub/memory.ts'

type Entry = { seq: number; last?: boolean }
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)
const tick = () => new Promise((r) => setTimeout(r, 5))
/** Waits until `check` passes (a busy machine may take a while), failing after 5 s. */
async function until(check: () => void) {
  for (let started = Date.now(); ; await tick()) {
    try {
      return check()
    } catch (e) {
      if (Date.now() - started > 5_000) throw e
    }
  }
}

function memoryLog() {
  const pubsub = createMemoryPubSub()
  const entries: Entry[] = []
  let failWith: Error | undefined
  let reads = 0
  const source: Omit<FollowOptions<Entry>, 'after'> = {
    pubsub,
    topic: 'log',
    pollMs: 20,
    isLast: (e) => e.last === true,
    read: async (after, limit) => {
      reads++
      if (failWith) throw failWith
      return entries.slice(after, after + limit)
    },
  }
  return {
    feeds: new Feeds(),
    source,
    reads: () => reads,
    fail: (e: Error) => (failWith = e),
    append(n: number, end = false) {
      for (let i = 0; i < n; i++) entries.push({ seq: entries.length + 1, ...(end && i === n - 1 && { last: true }) })
      void pubsub.publish('log', { seq: entries.length })
    },
  }
}

/** Consumes `it` as the frame writer does: pushed to while it can be, pulling otherwise. `accept` false = leave. */
async function consume(it: Pushable<Entry>, accept: (seq: number) => boolean = () => true) {
  const seqs: number[] = []
  let pushed = 0
  for (;;) {
    const feeding = it.pushTo?.((e) => {
      seqs.push(e.seq)
      pushed++
      return accept(e.seq)
    })
    if (feeding) {
      await feeding
      continue
    }
    const r = await it.next()
    if (r.done) return { seqs, pushed }
    seqs.push(r.value.seq)
  }
}

describe('feeds', () => {
  it('gives followers from every cursor the whole log once and in order, most of it pushed by one feed', async () => {
    const log = memoryLog()
    log.append(10)
    const followers = range(0, 9).map((after) => follow({ ...log.source, after, feed: { hub: log.feeds, key: 'k' } }))
    const consumed = Promise.all(followers.map((f) => consume(f)))
    for (let i = 0; i < 10; i++) {
      await tick()
      log.append(5)
    }
    await tick()
    expect(log.feeds.size).toBe(1)
    log.append(1, true)
    const results = await consumed
    results.forEach((r, after) => expect(r.seqs).toEqual(range(after + 1, 61)))
    // Caught up, every follower took the live entries from the feed.
    for (const r of results) expect(r.pushed).toBeGreaterThanOrEqual(40)
    expect(log.feeds.size).toBe(0)
  })

  it('lets a member leave when it cannot take more and rejoin after catching up, losing and repeating nothing', async () => {
    const log = memoryLog()
    const steady = consume(follow({ ...log.source, after: 0, feed: { hub: log.feeds, key: 'k' } }))
    const choosy = consume(follow({ ...log.source, after: 0, feed: { hub: log.feeds, key: 'k' } }), (seq) => seq % 3 !== 0)
    for (let i = 0; i < 12; i++) {
      await tick()
      log.append(4)
    }
    log.append(1, true)
    const [a, b] = await Promise.all([steady, choosy])
    expect(a.seqs).toEqual(range(1, 49))
    expect(b.seqs).toEqual(range(1, 49))
    expect(b.pushed).toBeGreaterThan(12)
  })

  it('admits a member at or ahead of the feed, skipping what it already has, and refuses one behind it', async () => {
    const log = memoryLog()
    const got = { first: [] as number[], ahead: [] as number[] }
    const member = (into: number[], after: number): FeedMember<Entry> => ({ after, push: (e) => (into.push(e.seq), true), drop: () => {} })
    const leaveFirst = log.feeds.join('k', member(got.first, 0), { ...log.source, after: 0 })!
    log.append(3)
    await until(() => expect(got.first).toEqual([1, 2, 3]))
    expect(log.feeds.join('k', member([], 2), { ...log.source, after: 2 })).toBeUndefined()
    const leaveAhead = log.feeds.join('k', member(got.ahead, 5), { ...log.source, after: 5 })!
    log.append(4)
    await until(() => expect(got.first).toEqual(range(1, 7)))
    expect(got.ahead).toEqual([6, 7])
    leaveFirst()
    leaveAhead()
    expect(log.feeds.size).toBe(0)
  })

  it('ends every member with the feed’s read failure', async () => {
    const log = memoryLog()
    const followers = [0, 0, 0].map(() => follow({ ...log.source, after: 0, outageMs: 0, feed: { hub: log.feeds, key: 'k' } }))
    const consumed = followers.map((f) => consume(f).then(() => 'ended', (e: Error) => e.message))
    log.append(2)
    await tick()
    log.fail(new Error('broken read'))
    log.append(2)
    expect(await Promise.all(consumed)).toEqual(['broken read', 'broken read', 'broken read'])
    expect(log.feeds.size).toBe(0)
  })

  it('ends only the member whose push throws; the others go on', async () => {
    const log = memoryLog()
    const ok = consume(follow({ ...log.source, after: 0, feed: { hub: log.feeds, key: 'k' } }))
    const broken = consume(follow({ ...log.source, after: 0, feed: { hub: log.feeds, key: 'k' } }), (seq) => {
      if (seq === 3) throw new Error('member failed')
      return true
    }).catch((e: Error) => e.message)
    log.append(5)
    await tick()
    log.append(1, true)
    expect(await broken).toBe('member failed')
    expect((await ok).seqs).toEqual(range(1, 6))
  })
})

describe('follow', () => {
  it('reads again at once when a wake-up arrives during a read that found nothing, instead of waiting for the poll', async () => {
    const pubsub = createMemoryPubSub()
    const entries: Entry[] = []
    // A read sees the log as it was when it started (a database snapshot) and answers a little later.
    const read = async (after: number) => {
      const snapshot = entries.slice(after)
      await new Promise((r) => setTimeout(r, 30))
      return snapshot
    }
    const f = follow({ pubsub, topic: 't', after: 0, read, pollMs: 60_000, isLast: (e) => e.last === true })
    const first = f.next()
    await tick() // the first read is under way and will find nothing
    entries.push({ seq: 1, last: true })
    void pubsub.publish('t', { seq: 1 })
    const timeout = new Promise((r) => setTimeout(() => r('still waiting'), 5_000))
    expect(await Promise.race([first, timeout])).toEqual({ done: false, value: { seq: 1, last: true } })
    await f.return()
  })
})
