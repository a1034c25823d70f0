// Prints the sorted SDL to schema/schema.graphql (`npm run generate`); tests/artifacts fails when it is stale.
import fs from 'node:fs'
import { printedSchema, schemaFile } from './schema-artifact.ts'

fs.writeFileSync(schemaFile, printedSchema())
console.log(`Wrote ${schemaFile}`)
