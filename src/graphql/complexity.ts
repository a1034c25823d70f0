// What a field costs for the query cost limit (QUERY_MAX_COST). Every field costs 1. A list multiplies the cost of
// its selection by 10; a Relay connection by the page it asks for (`first`/`last`, by value, so `first: $n` counts
// n, capped at PAGE_SIZE_MAX like the resolvers cap it), and its `edges` list then adds no multiplier of its own.
import { getNamedType, isListType, isNonNullType, type GraphQLField, type GraphQLOutputType } from 'graphql'
import type { Context } from '../context.ts'

const LIST_MULTIPLIER = 10

const isList = (t: GraphQLOutputType): boolean => isListType(t) || (isNonNullType(t) && isListType(t.ofType))

/** The plugin-complexity `fieldComplexity` for every field without its own `complexity` option. */
export function connectionComplexity(args: Record<string, unknown>, ctx: Context | undefined, field: GraphQLField<unknown, Context>) {
  const named = getNamedType(field.type).name
  if (named.endsWith('Connection') && field.args.some((a) => a.name === 'first')) {
    const pagination = ctx?.deps?.config.pagination ?? { defaultSize: 20, maxSize: 100 }
    const asked = [args.first, args.last].find((v): v is number => typeof v === 'number')
    const page = Math.min(Math.max(asked ?? pagination.defaultSize, 0), pagination.maxSize)
    return { field: 1, multiplier: page }
  }
  if (isList(field.type)) return { field: 1, multiplier: named.endsWith('Edge') ? 1 : LIST_MULTIPLIER }
  return 1
}
