// graphql-jit hands each resolver a response path built afresh for that call, while graphql-js shares one path link
// per field and row with everything below it. Pothos's prisma plugin (@pothos/selection-mapper) keys the relations a
// parent already loaded by those links' identity; with fresh links a nested relation finds nothing and loads again
// (one statement per level). Every resolver of the schema is therefore wrapped once: a call from graphql-jit (its
// links carry no `typename`) gets its path replaced by the request's canonical link for the same keys, so identical
// paths are identical objects, as under graphql-js. Calls from graphql-js pass straight through.
import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql'

// `children` rides on the link itself (one Map lookup per level; Pothos reads only `prev` and `key`).
interface Link { readonly prev: Link | undefined; readonly key: string | number; readonly typename: string | undefined; children?: Map<string | number, Link> }
interface JitLink { prev?: JitLink; key: string | number }

const wrapped = new WeakSet<GraphQLSchema>()
const roots = new WeakMap<object, Link>()

function canonical(root: Link, path: JitLink): Link {
  const prev = path.prev ? canonical(root, path.prev) : root
  const siblings = (prev.children ??= new Map())
  let link = siblings.get(path.key)
  if (!link) siblings.set(path.key, (link = { prev: prev === root ? undefined : prev, key: path.key, typename: undefined }))
  return link
}

function rootOf(context: object): Link {
  let root = roots.get(context)
  if (!root) roots.set(context, (root = { prev: undefined, key: '', typename: undefined }))
  return root
}

/** Wraps every field resolver of `schema` (once) so that graphql-jit's calls see shared path links. */
export function shareJitPaths(schema: GraphQLSchema) {
  if (wrapped.has(schema)) return
  wrapped.add(schema)
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve
      if (!resolve) continue
      field.resolve = ((parent, args, context, info) => {
        if (!('typename' in info.path) && typeof context === 'object' && context !== null) {
          ;(info as { path: unknown }).path = canonical(rootOf(context), info.path)
        }
        return resolve(parent, args, context, info)
      }) satisfies GraphQLFieldResolver<unknown, unknown>
    }
  }
}
