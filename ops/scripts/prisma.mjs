#!/usr/bin/env node
// Runs the stock Prisma CLI with no engine download: the schema engine is our WASM shim
// (ops/scripts/schema-engine-shim.sh) and telemetry/update checks are off.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.join(here, '..', '..')
const env = {
  ...process.env,
  // generators (prisma-pothos-types) are resolved on PATH, as under `npm run`
  PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? path.join(here, 'schema-engine-shim.sh'),
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
}
const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js')
const r = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env })
process.exit(r.status ?? 1)
