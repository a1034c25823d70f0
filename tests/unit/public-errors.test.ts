import { GraphQLError } from 'graphql'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/errors.ts'
import { addRequestId, toPublicError, toWire } from '../../src/graphql/errors.ts'

const dev = { production: false }

describe('toPublicError', () => {
  it('keeps an AppError code, message and details', () => {
    const e = toPublicError(new GraphQLError('x', { path: ['a'], originalError: new AppError('CONFLICT', 'Name taken.', { fields: [{ path: 'name', message: 'taken' }] }) }), dev)
    expect(e.message).toBe('Name taken.')
    expect(e.extensions).toEqual({ code: 'CONFLICT', fields: [{ path: 'name', message: 'taken' }] })
    expect(e.path).toEqual(['a'])
  })

  it('sets the HTTP status only when the whole request was refused', () => {
    const whole = toPublicError(new AppError('RATE_LIMITED', 'Slow down.', { retryAfter: 7 }), dev)
    expect(whole.extensions.http).toEqual({ status: 429, headers: { 'Retry-After': '7' } })
    const field = toPublicError(new GraphQLError('x', { path: ['f'], originalError: new AppError('FORBIDDEN', 'No.') }), dev)
    expect(field.extensions.http).toBeUndefined()
  })

  it('masks unexpected errors without message, stack or original error', () => {
    const e = toPublicError(new GraphQLError('x', { path: ['f'], originalError: new TypeError('db password is hunter2') }), dev)
    expect(e.message).toBe('Unexpected error.')
    expect(e.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' })
    expect(JSON.stringify(e.toJSON())).not.toMatch(/hunter2|stack|originalError/)
  })

  it('turns request errors into VALIDATION_FAILED with HTTP 400 and no originalError', () => {
    const yogaJson = new GraphQLError('POST body sent invalid JSON.', {
      extensions: { code: 'BAD_REQUEST', http: { spec: true, status: 400 }, originalError: { name: 'SyntaxError', message: 'Unexpected token' } },
    })
    const e = toPublicError(yogaJson, dev)
    expect(e.extensions).toEqual({ code: 'VALIDATION_FAILED', fields: [], http: { status: 400, headers: undefined } })
  })

  it('drops "Did you mean" suggestions in production only', () => {
    const v = new GraphQLError('Cannot query field "x" on type "Query". Did you mean "y"?')
    expect(toPublicError(v, dev).message).toContain('Did you mean')
    expect(toPublicError(v, { production: true }).message).toBe('Cannot query field "x" on type "Query".')
  })

  it('serialises for graphql-ws without the server-only http extension', () => {
    const e = addRequestId(toPublicError(new AppError('UNAUTHENTICATED', 'Sign in.'), dev), 'req-1')
    expect(toWire(e).extensions).toEqual({ code: 'UNAUTHENTICATED', requestId: 'req-1' })
  })
})
