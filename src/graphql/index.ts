// Imports every type module (for its side effects on the builder) and builds the schema.
import { assertValidSchema, lexicographicSortSchema } from 'graphql'
import { builder } from './builder.ts'
import './scalars.ts'
import './types/server-info.ts'

export const schema = builder.toSchema({ sortSchema: false })
assertValidSchema(schema) // fail at boot, not on the first request

/** The schema as printed to schema/schema.graphql: sorted so diffs stay readable. */
export const sortedSchema = () => lexicographicSortSchema(schema)
