// Global ids in arguments: anything that is not an id of the expected type is NOT_FOUND, like a foreign id.
import { decodeGlobalId } from '../global-ids.ts'
import { notFound } from '../errors.ts'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The database id inside a global id of one of `typenames`; NOT_FOUND (named after the first) otherwise. */
export function decodeId(globalId: string, ...typenames: [string, ...string[]]): string {
  try {
    const { typename, id } = decodeGlobalId(globalId)
    if (typenames.includes(typename) && uuid.test(id)) return id.toLowerCase()
  } catch {
    // fall through: malformed
  }
  throw notFound(typenames[0].replace(/([a-z])([A-Z])/g, '$1 $2'))
}

/** For filters on ids that may no longer exist (audit entries): the database id of a global id, else the value as given. */
export function idOrRaw(value: string): string {
  try {
    const { typename, id } = decodeGlobalId(value)
    if (typename && uuid.test(id)) return id.toLowerCase()
  } catch {
    // not a global id: a database id, or something that matches nothing
  }
  return value
}
