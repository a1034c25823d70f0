// Relay connections over the services' keyset pages. Cursors are opaque and signed with the server secret, bound
// to the tenant and the connection: a tampered cursor, or one from another tenant or list, is VALIDATION_FAILED.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Context } from '../context.ts'
import { validationFailed } from '../errors.ts'
import type { Page, PageRequest } from '../services/paging.ts'
import { builder } from './builder.ts'

export interface ConnectionArgs {
  first?: number | null
  after?: string | null
  last?: number | null
  before?: string | null
}

const mac = (ctx: Context, payload: string) =>
  createHmac('sha256', ctx.deps.serverSecret).update(`${ctx.principal?.tenantId ?? '-'}|${payload}`).digest().subarray(0, 16)

/** An opaque cursor for `key` in `list`, signed and bound to the caller's tenant. */
export function encodeCursor(ctx: Context, list: string, key: string) {
  const payload = `${list}:${key}`
  return `${Buffer.from(payload).toString('base64url')}.${mac(ctx, payload).toString('base64url')}`
}

/** The key inside a cursor of `list`; VALIDATION_FAILED (naming `path`) if tampered or foreign. */
export function decodeCursor(ctx: Context, list: string, cursor: string, path: string): string {
  const [body, sig] = cursor.split('.')
  const payload = Buffer.from(body ?? '', 'base64url').toString()
  const given = Buffer.from(sig ?? '', 'base64url')
  const expected = mac(ctx, payload)
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || !payload.startsWith(`${list}:`)) {
    throw validationFailed([{ path, message: 'is not a cursor of this list' }], 'Invalid cursor.')
  }
  return payload.slice(list.length + 1)
}

/** Validates paging arguments and decodes the cursor. `first` above the configured maximum is capped. */
export function pageRequest(ctx: Context, list: string, args: ConnectionArgs): PageRequest {
  const { defaultSize, maxSize } = ctx.deps.config.pagination
  const problems = [
    ...(args.first != null && args.first < 0 ? [{ path: 'first', message: 'must not be negative' }] : []),
    ...(args.last != null && args.last < 0 ? [{ path: 'last', message: 'must not be negative' }] : []),
    ...(args.first != null && args.last != null ? [{ path: 'last', message: 'cannot be combined with first' }] : []),
  ]
  if (problems.length) throw validationFailed(problems)
  const backward = args.last != null || (args.before != null && args.first == null)
  const size = Math.min(backward ? (args.last ?? defaultSize) : (args.first ?? defaultSize), maxSize)
  const raw = backward ? args.before : args.after
  return { take: size, backward, cursor: raw == null ? undefined : decodeCursor(ctx, list, raw, backward ? 'before' : 'after') }
}

/** The Relay connection for a page of rows keyed by `key`. */
export function toConnection<T>(ctx: Context, list: string, req: PageRequest, page: Page<T>, key: (row: T) => string) {
  const edges = page.rows.map((node) => ({ node, cursor: encodeCursor(ctx, list, key(node)) }))
  return {
    edges,
    totalCount: page.totalCount,
    pageInfo: {
      hasNextPage: req.backward ? !!req.cursor : page.hasMore,
      hasPreviousPage: req.backward ? page.hasMore : !!req.cursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  }
}

builder.globalConnectionField('totalCount', (t) =>
  t.int({ description: 'Items in the whole list (all pages) for the same filter.', resolve: (parent) => parent.totalCount }),
)

/** Names for a list's connection and edge types, e.g. `ToolConnection` / `ToolEdge`. */
export const connectionNames = (type: string) => [{ name: `${type}Connection` }, { name: `${type}Edge` }] as const
