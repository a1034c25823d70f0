// Optimistic concurrency for versioned resources (tools, agents): an update may name the version it was based on,
// and every update applies only to the version it read, so of two concurrent updates exactly one wins.
import { AppError } from '../errors.ts'

export interface Versioned {
  /** The version the caller last read; absent = no check (the update still cannot interleave with another). */
  expectedVersion?: number | null
}

/** The caller's `expectedVersion` is not the current one. */
export const staleVersion = (what: string, current: number) =>
  new AppError('CONFLICT', `The ${what} has changed since you read it (it is at version ${current}); reload it and retry.`, {
    fields: [{ path: 'expectedVersion', message: `is stale: the current version is ${current}` }],
    currentVersion: current,
  })

/** Another update committed between our read and our write. */
export const versionChangedConcurrently = (what: string) =>
  new AppError('CONFLICT', `The ${what} was changed by another request at the same time; reload it and retry.`, {
    fields: [{ path: 'expectedVersion', message: 'is stale' }],
  })
