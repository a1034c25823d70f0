// Relay global ids ("<Type>:<id>" in base64), in one neutral module: the schema (relay plugin options), services
// and the worker all encode the same way without depending on GraphQL.

/** The global id of object `id` of GraphQL type `typename`. */
export const encodeGlobalId = (typename: string, id: string | number | bigint): string =>
  Buffer.from(`${typename}:${id}`, 'utf8').toString('base64')

const typenamePattern = /^[A-Z_a-z]\w*$/

/** The type and id inside a global id; throws on anything that is not one. */
export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const decoded = Buffer.from(globalId, 'base64').toString('utf8')
  const at = decoded.indexOf(':')
  const typename = decoded.slice(0, at)
  const id = decoded.slice(at + 1)
  if (at <= 0 || !id || !typenamePattern.test(typename)) throw new TypeError('Invalid global ID')
  return { typename, id }
}
