// What only the in-memory store does: bounded memory through the idle-key sweep, on a timer that never keeps the
// process alive.
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { createMemoryLimitStore } from '../../src/limits/memory-store.ts'
import type { LimitStore } from '../../src/limits/store.ts'
import { manualClock } from './support.ts'

const track = <S extends LimitStore>(store: S) => (onTestFinished(() => store.close()), store)

describe('memory limit store', () => {
  it('sweeps a key once its newest hit has left its window', async () => {
    const clock = manualClock()
    const store = track(createMemoryLimitStore({ now: clock.now }))
    await store.consume('short', 5, 1_000)
    await store.consume('long', 5, 5_000)
    clock.at(400)
    await store.consume('short', 5, 1_000)
    await store.peek('never-hit', 5, 1_000) // a peek does not create a key
    expect(store.size).toBe(2)
    clock.at(1_399)
    store.sweep()
    expect(store.size).toBe(2)
    clock.at(1_400)
    store.sweep()
    expect(store.size).toBe(1)
    expect(await store.peek('long', 5, 5_000)).toMatchObject({ remaining: 4 })
    clock.at(5_000)
    store.sweep()
    expect(store.size).toBe(0)
  })

  it('sweeps on its own timer, which does not keep the process alive', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    const before = timers()
    const clock = manualClock()
    const store = track(createMemoryLimitStore({ now: clock.now, sweepIntervalMs: 20 }))
    expect(timers()).toBe(before)
    for (let i = 0; i < 50; i++) await store.consume(`k${i}`, 1, 1_000)
    expect(store.size).toBe(50)
    clock.at(1_000)
    await vi.waitFor(() => expect(store.size).toBe(0), { timeout: 2_000 })
  })
})
