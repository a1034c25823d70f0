// Relay connections over the services' keyset pages. Cursors are opaque and signed with the server secret, bound
// to the tenant and the connection: a tampered cursor, or one from another tenant or list, is VALIDATION_FAILED.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { queryFromInfo } from '@pothos/plugin-prisma'
import type { GraphQLResolveInfo } from 'graphql'
import { sessionOf, type Context } from '../context.ts'
import { validationFailed } from '../errors.ts'
import type { Page, PageRequest } from '../services/paging.ts'
import type { Session } from '../services/session.ts'
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
function pageRequest(ctx: Context, list: string, args: ConnectionArgs): PageRequest {
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

/**
 * The Relay connection of `rows`, each edge with the cursor `cursorOf` gives its row. Cursors are signed on first
 * read (an HMAC per row is wasted when a client selects only nodes), and `totalCount` may be a deferred count.
 */
export function relayConnection<T>(rows: T[], cursorOf: (row: T) => string, totalCount: number | (() => Promise<number>), pages: { hasNextPage: boolean; hasPreviousPage: boolean }) {
  const edges = rows.map((node) => lazyEdge(node, cursorOf))
  return {
    edges,
    totalCount,
    pageInfo: {
      ...pages,
      get startCursor() { return edges[0]?.cursor ?? null },
      get endCursor() { return edges.at(-1)?.cursor ?? null },
    },
  }
}

function lazyEdge<T>(node: T, cursorOf: (row: T) => string) {
  let cursor: string | undefined
  return { node, get cursor() { return (cursor ??= cursorOf(node)) } }
}

/**
 * Resolves a connection field with one service call: decodes the paging arguments for `list`, has `load` fetch the
 * page as the caller, and signs each row's key into its cursor.
 */
export async function pageConnection<T>(ctx: Context, list: string, args: ConnectionArgs, load: (s: Session, req: PageRequest) => Promise<Page<T>>) {
  const req = pageRequest(ctx, list, args)
  const page = await load(sessionOf(ctx), req)
  return relayConnection(page.rows, (row) => encodeCursor(ctx, list, page.keyOf(row)), page.totalCount, {
    hasNextPage: req.backward ? !!req.cursor : page.hasMore,
    hasPreviousPage: req.backward ? page.hasMore : !!req.cursor,
  })
}

/** Plugin-prisma's selection for a connection's nodes, for a service that loads them (and their relations) with the page. */
export const nodeQuery = (ctx: Context, info: GraphQLResolveInfo) => queryFromInfo({ context: ctx, info, path: ['edges', 'node'] })

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'Items in the whole list (all pages) for the same filter.',
    resolve: (parent) => (typeof parent.totalCount === 'function' ? parent.totalCount() : parent.totalCount),
  }),
)

/** Names for a list's connection and edge types, e.g. `ToolConnection` / `ToolEdge`. */
export const connectionNames = (type: string) => [{ name: `${type}Connection` }, { name: `${type}Edge` }] as const
