// Which database errors are transient, how the GraphQL layer answers them, and the transaction retry.
import { GraphQLError } from 'graphql'
import { describe, expect, it } from 'vitest'
import { retryTransient, transientKind } from '../../src/db/transient.ts'
import { toPublicError } from '../../src/graphql/errors.ts'
import { withDeadline } from '../../src/redis.ts'

const adapterError = (code: string, kind: string) => Object.assign(new Error('Raw query failed'), {
  code: 'P2010', meta: { driverAdapterError: Object.assign(new Error(kind), { cause: { originalCode: code, kind } }) },
})

describe('transientKind', () => {
  it('classifies deadlocks and serialization failures as retryable, in every shape they arrive', () => {
    expect(transientKind(adapterError('40P01', 'TransactionWriteConflict'))).toBe('retry')
    expect(transientKind(adapterError('40001', 'postgres'))).toBe('retry')
    expect(transientKind(Object.assign(new Error('conflict'), { code: 'P2034' }))).toBe('retry')
  })

  it('classifies outages and timeouts as unavailable', () => {
    expect(transientKind(Object.assign(new Error('Transaction API error: Unable to start a transaction in the given time.'), { code: 'P2028' }))).toBe('unavailable')
    expect(transientKind(adapterError('57P01', 'postgres'))).toBe('unavailable')
    expect(transientKind(Object.assign(new Error('x'), { cause: { kind: 'DatabaseNotReachable' } }))).toBe('unavailable')
    expect(transientKind(new Error('Connection terminated unexpectedly'))).toBe('unavailable')
    expect(transientKind(new Error('timeout exceeded when trying to connect'))).toBe('unavailable')
    expect(transientKind(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('unavailable')
  })

  it('leaves bugs and constraint violations alone', () => {
    expect(transientKind(new TypeError('x is undefined'))).toBeUndefined()
    expect(transientKind(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }))).toBeUndefined()
    expect(transientKind(adapterError('23503', 'ForeignKeyConstraintViolation'))).toBeUndefined()
  })
})

describe('toPublicError on database errors', () => {
  const field = (e: Error) => toPublicError(new GraphQLError(e.message, { path: ['runAgent'], originalError: e }), { production: true })

  it('answers an outage with SERVICE_UNAVAILABLE and retryAfter, and a lost race with CONFLICT', () => {
    expect(field(new Error('Connection terminated unexpectedly')).extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfter: 1 })
    expect(field(adapterError('40P01', 'TransactionWriteConflict')).extensions).toMatchObject({ code: 'CONFLICT', retryAfter: 1 })
    expect(field(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' })).extensions).toMatchObject({ code: 'CONFLICT', retryAfter: 1 })
    const whole = toPublicError(new Error('Connection terminated unexpectedly'), { production: true })
    expect(whole.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'Retry-After': '1' } } })
  })

  it('still masks everything else', () => {
    expect(field(new TypeError('boom')).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' })
  })
})

describe('retryTransient', () => {
  it('reruns a rolled-back transaction until it succeeds, within its attempts', async () => {
    let calls = 0
    expect(await retryTransient(async () => {
      if (++calls < 3) throw adapterError('40P01', 'TransactionWriteConflict')
      return 'done'
    })).toBe('done')
    expect(calls).toBe(3)
    calls = 0
    await expect(retryTransient(async () => {
      calls++
      throw adapterError('40001', 'postgres')
    }, 2)).rejects.toThrow('Raw query failed')
    expect(calls).toBe(2)
  })

  it('never reruns on other errors', async () => {
    let calls = 0
    await expect(retryTransient(async () => {
      calls++
      throw new Error('Connection terminated unexpectedly')
    })).rejects.toThrow()
    expect(calls).toBe(1)
  })
})

describe('withDeadline', () => {
  it('rejects with the given error when the work does not settle in time, and passes a prompt answer through', async () => {
    const started = Date.now()
    await expect(withDeadline(new Promise(() => {}), () => new Error('late'), 50)).rejects.toThrow('late')
    expect(Date.now() - started).toBeGreaterThanOrEqual(50)
    expect(await withDeadline(Promise.resolve(7), () => new Error('late'), 50)).toBe(7)
  })
})
