import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql'

/** Whether the field being resolved selects only leaf fields named in `fields` (and `__typename`), fragments included. */
export function selectsOnly(info: GraphQLResolveInfo, fields: ReadonlySet<string>): boolean {
  const covered = (set: SelectionSetNode | undefined): boolean => !set || set.selections.every((s) => {
    if (s.kind === Kind.FIELD) return s.name.value === '__typename' || (fields.has(s.name.value) && !s.selectionSet)
    if (s.kind === Kind.INLINE_FRAGMENT) return covered(s.selectionSet)
    const fragment = info.fragments[s.name.value]
    return !!fragment && covered(fragment.selectionSet)
  })
  return info.fieldNodes.every((n) => covered(n.selectionSet))
}
