// Pure parts of webhook delivery: which endpoint wants which type, and the retry schedule.
import { describe, expect, it } from 'vitest'
import { matchesEventType } from '../../src/events/webhook-outbox.ts'
import { retryDelayMs } from '../../src/services/webhooks/dispatch.ts'

describe('event type patterns', () => {
  it('match exact types, prefix wildcards and *', () => {
    expect(matchesEventType(['execution.succeeded'], 'execution.succeeded')).toBe(true)
    expect(matchesEventType(['execution.succeeded'], 'execution.failed')).toBe(false)
    expect(matchesEventType(['execution.*'], 'execution.timed_out')).toBe(true)
    expect(matchesEventType(['execution.*'], 'executions.x')).toBe(false)
    expect(matchesEventType(['tool.*', 'agent.create'], 'agent.update')).toBe(false)
    expect(matchesEventType(['*'], 'thread.delete')).toBe(true)
  })
})

describe('retry schedule', () => {
  it('doubles from the base, within ±20 % jitter, capped at six hours', () => {
    const at = (attempt: number, r: number) => retryDelayMs(attempt, 30_000, () => r)
    expect([1, 2, 3, 4].map((n) => at(n, 0.5))).toEqual([30_000, 60_000, 120_000, 240_000])
    expect(at(1, 0)).toBe(24_000)
    expect(at(1, 1)).toBe(36_000)
    expect(at(30, 0.5)).toBe(6 * 3_600_000)
  })
})
