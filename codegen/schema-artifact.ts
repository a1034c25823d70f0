import { fileURLToPath } from 'node:url'
import { printSchema } from 'graphql'
import { sortedSchema } from '../src/graphql/index.ts'

export const schemaFile = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url))

/** The SDL exactly as committed: sorted, with a trailing newline. */
export const printedSchema = () => `${printSchema(sortedSchema())}\n`
