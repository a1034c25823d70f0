// Shared pieces of the rate-limit store tests: a controllable clock, silent and recording loggers, unique keys, a
// redis-server of the test's own.
import { randomUUID } from 'node:crypto'
import { pino } from 'pino'
import { onTestFinished, vi } from 'vitest'
import { startRedis } from '../setup/services.ts'
import { services } from '../helpers/env.ts'

export const silentLogger = pino({ level: 'silent' })

/** 13-digit epoch milliseconds, like Date.now(), so the Redis script's number formatting is exercised. */
export const T0 = 1_700_000_000_000

/** A clock the test moves by hand; `at(ms)` sets it to T0 + ms. */
export function manualClock() {
  const clock = { t: T0, now: () => clock.t, at: (ms: number) => void (clock.t = T0 + ms) }
  return clock
}

export const uniqueKey = (name = 'k') => `test:${name}:${randomUUID()}`

/** A logger whose warn/info calls can be counted. */
export function recordingLogger() {
  return { warn: vi.fn(), info: vi.fn() }
}

/** Runs `fn` and returns how long it took to settle, with its outcome. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now()
  try {
    const value = await fn()
    return { ms: performance.now() - start, value }
  } catch (error) {
    return { ms: performance.now() - start, error }
  }
}

/**
 * A redis-server for this test alone (stopping the shared one would break other files), restartable on the same
 * port; stopped when the test finishes. Needs `services.redisBin`.
 */
export async function dedicatedRedis() {
  let server = await startRedis(services.redisBin!)
  onTestFinished(() => server.stop())
  return {
    url: server.url,
    stop: () => server.stop(),
    restart: async () => void (server = await startRedis(services.redisBin!, server.port)),
  }
}

/** Small seeded PRNG, so a failure reproduces. */
export function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296
  }
}
