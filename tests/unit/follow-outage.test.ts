// A stream rides out a database restart: reads failing with a transient error are retried until `outageMs`, so the
// subscriber sees every entry once, in order, without having to resubscribe; any other error still ends the stream.
import { describe, expect, it } from 'vitest'
import { follow } from '../../src/events/follow.ts'
import { createMemoryPubSub } from '../../src/pubsub/memory.ts'

const restarting = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })

/** A log of `size` entries whose reads fail with `error()` while `failing` is positive (each read decrements it). */
function log(size: number, error: () => Error, failures: number) {
  let failing = failures
  const reads: string[] = []
  const read = async (after: number, limit: number) => {
    if (failing-- > 0) {
      reads.push('failed')
      throw error()
    }
    reads.push(`after ${after}`)
    return Array.from({ length: Math.max(0, Math.min(size - after, limit)) }, (_, i) => ({ seq: after + i + 1 }))
  }
  return { reads, read }
}

async function drain(it: AsyncIterableIterator<{ seq: number }>) {
  const seqs: number[] = []
  for await (const e of it) seqs.push(e.seq)
  return seqs
}

describe('follow through a database outage', () => {
  it('retries transient read failures and delivers every entry once', async () => {
    const { reads, read } = log(5, restarting, 3)
    const seqs = await drain(follow({ pubsub: createMemoryPubSub(), topic: 't', after: 0, read, pageSize: 2, pollMs: 10, isLast: (e) => e.seq === 5 }))
    expect(seqs).toEqual([1, 2, 3, 4, 5])
    expect(reads.slice(0, 4)).toEqual(['failed', 'failed', 'failed', 'after 0'])
  })

  it('ends the stream with the error once the outage outlasts outageMs', async () => {
    const { read } = log(5, restarting, 1_000)
    const started = Date.now()
    await expect(drain(follow({ pubsub: createMemoryPubSub(), topic: 't', after: 0, read, pollMs: 10, outageMs: 100 }))).rejects.toMatchObject({ code: '57P01' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(100)
  })

  it('does not retry an error a retry cannot fix', async () => {
    const { reads, read } = log(5, () => new Error('column "x" does not exist'), 1)
    await expect(drain(follow({ pubsub: createMemoryPubSub(), topic: 't', after: 0, read, pollMs: 10 }))).rejects.toThrow('does not exist')
    expect(reads).toEqual(['failed'])
  })
})
