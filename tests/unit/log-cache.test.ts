import { describe, expect, it } from 'vitest'
import { LogCache } from '../../src/events/log-cache.ts'
import type { StoredEvent } from '../../src/events/execution-log.ts'

const ev = (seq: number): StoredEvent => ({ seq, type: 'T', payload: { type: 'CUSTOM', timestamp: seq } as never, createdAt: new Date(0) })
const db = (upTo: () => number) => {
  const calls: number[] = []
  const load = async (after: number, limit: number) => {
    calls.push(after)
    await new Promise((r) => setTimeout(r, 5))
    const out: StoredEvent[] = []
    for (let s = after + 1; s <= Math.min(upTo(), after + limit); s++) out.push(ev(s))
    return out
  }
  return { calls, load }
}

describe('LogCache', () => {
  it('coalesces concurrent reads of the same position into one load', async () => {
    const cache = new LogCache()
    const { calls, load } = db(() => 10)
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.read('t:e', 0, 100, load)))
    expect(calls).toEqual([0])
    for (const r of results) expect(r.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('serves what it holds and loads only what is new, contiguously', async () => {
    const cache = new LogCache()
    let head = 3
    const { calls, load } = db(() => head)
    expect((await cache.read('t:e', 0, 100, load)).map((e) => e.seq)).toEqual([1, 2, 3])
    expect((await cache.read('t:e', 1, 100, load)).map((e) => e.seq)).toEqual([2, 3])
    expect(calls).toEqual([0])
    head = 5
    expect((await cache.read('t:e', 3, 100, load)).map((e) => e.seq)).toEqual([4, 5])
    expect((await cache.read('t:e', 0, 2, load)).map((e) => e.seq)).toEqual([1, 2])
    expect(calls).toEqual([0, 3])
    expect(Object.isFrozen((await cache.read('t:e', 0, 1, load))[0])).toBe(true)
  })

  it('never mixes logs and stays within its bounds', async () => {
    const cache = new LogCache(3, 2)
    const a = db(() => 10)
    const b = db(() => 2)
    expect((await cache.read('t:a', 0, 100, a.load)).map((e) => e.seq)).toHaveLength(10)
    expect((await cache.read('t:b', 0, 100, b.load)).map((e) => e.seq)).toEqual([1, 2])
    expect((await cache.read('t:a', 7, 100, a.load)).map((e) => e.seq)).toEqual([8, 9, 10]) // the newest 3 are kept
    await cache.read('t:a', 0, 100, a.load)
    expect(a.calls).toEqual([0, 0]) // older events were evicted, so this went to the database
    await cache.read('t:c', 0, 100, db(() => 1).load)
    await cache.read('t:b', 0, 100, b.load)
    expect(b.calls).toEqual([0, 0]) // only two logs are kept
  })
})

describe('LogCache, overlapping loads', () => {
  it('gives every reader the same object for an event that two loads from different positions both read', async () => {
    const cache = new LogCache()
    const { calls, load } = db(() => 6)
    const [fromTwo, fromFour] = await Promise.all([cache.read('t:e', 2, 100, load), cache.read('t:e', 4, 100, load)])
    expect(calls).toEqual([2, 4]) // neither was cached: two loads, both read 5 and 6
    expect(fromFour.map((e) => e.seq)).toEqual([5, 6])
    // The fan-out memoises an execution per event object: one object per event, whichever load read it.
    expect(fromFour[0]).toBe(fromTwo[2])
    expect(fromFour[1]).toBe(fromTwo[3])
    expect(fromFour[0]).toBe((await cache.read('t:e', 4, 1, load))[0])
  })
})
