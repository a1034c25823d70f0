// The runs a process's requests wait on: what a draining worker still claims. Each hold counts until released once.
import { describe, expect, it } from 'vitest'
import { RunWaiters } from '../../src/services/runs/waiters.ts'

describe('RunWaiters', () => {
  it('lists a run while at least one request waits on it, and tells listeners of each new wait', () => {
    const waiters = new RunWaiters()
    const heard: number[] = []
    const stop = waiters.onHold(() => heard.push(waiters.ids().length))
    const first = waiters.hold('run-1')
    const second = waiters.hold('run-1')
    const other = waiters.hold('run-2')
    expect(waiters.ids().sort()).toEqual(['run-1', 'run-2'])
    first()
    first() // a second release of the same hold changes nothing
    expect(waiters.ids().sort()).toEqual(['run-1', 'run-2'])
    second()
    other()
    expect(waiters.ids()).toEqual([])
    stop()
    waiters.hold('run-3')
    expect(heard).toEqual([1, 1, 2])
  })
})
