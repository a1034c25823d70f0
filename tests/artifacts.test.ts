// schema/schema.graphql and clients/generated are committed artifacts: they must match what the code produces.
import fs from 'node:fs'
import path from 'node:path'
import { generate } from '@graphql-codegen/cli'
import { describe, expect, it } from 'vitest'
import codegenConfig, { outputDir } from '../codegen.ts'
import { printedSchema, schemaFile } from '../codegen/schema-artifact.ts'

const stale = 'is stale: run `npm run generate` and commit the result'

describe('generated artifacts', () => {
  it('schema/schema.graphql matches the schema the code builds', () => {
    expect(fs.readFileSync(schemaFile, 'utf8'), `schema/schema.graphql ${stale}`).toBe(printedSchema())
  })

  it('clients/generated matches graphql-codegen output for clients/operations', async () => {
    const files = (await generate({ ...codegenConfig, silent: true, cwd: path.resolve(import.meta.dirname, '..') }, false)) as { filename: string; content: string }[]
    expect(files.length).toBeGreaterThan(0)
    const committed = fs.readdirSync(outputDir).sort()
    expect(committed, `clients/generated ${stale}`).toEqual(files.map((f) => path.basename(f.filename)).sort())
    for (const f of files) {
      expect(fs.readFileSync(f.filename, 'utf8'), `${f.filename} ${stale}`).toBe(f.content)
    }
  })
})
