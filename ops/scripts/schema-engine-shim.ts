// Stand-in for the native `schema-engine` binary so the stock Prisma CLI works offline
// (`npm run prisma -- migrate dev|deploy|status|diff|resolve`, `db push`, `db pull`).
// Speaks the binary's protocol (JSON-RPC 2.0, one message per line on stdio; `cli <cmd>` one-shots) and forwards
// to the WASM schema engine. Shadow database: in-memory PGlite, or with PRISMA_SHADOW=server a temporary database
// on the server (what the native engine does; needs CREATEDB).
import readline from 'node:readline'
import fs from 'node:fs'
import pg from 'pg'
import { MigratePgFactory, openEngine, pgliteShadow } from '../../src/db/migrations.ts'

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON-RPC payloads are untyped */

const argv = process.argv.slice(2)
const opt = (name: string) => argv.flatMap((a, i) => (a === name ? [argv[i + 1]!] : []))
if (argv.includes('--version')) {
  console.log('schema-engine-cli wasm-shim')
  process.exit(0)
}
const url: string | undefined = opt('--datasource').map((j) => JSON.parse(j).url)[0]
if (!url) {
  console.error('schema-engine shim: no datasource URL (set DATABASE_URL or MIGRATION_DATABASE_URL)')
  process.exit(1)
}

if (argv.includes('cli')) await oneShot(argv[argv.indexOf('cli') + 1]!, url)

/** One-shot commands the CLI runs before an RPC session. */
async function oneShot(cmd: string, url: string): Promise<never> {
  const u = new URL(url)
  const db = decodeURIComponent(u.pathname.slice(1) || 'postgres')
  const connect = async (conn: string) => {
    const c = new pg.Client({ connectionString: conn })
    await c.connect()
    return c
  }
  try {
    if (cmd === 'can-connect-to-database') await (await connect(url)).end()
    else if (cmd === 'create-database') {
      u.pathname = '/postgres'
      const c = await connect(u.toString())
      await c.query(`CREATE DATABASE "${db.replace(/"/g, '""')}"`)
      await c.end()
      console.log(JSON.stringify({ message: `Database '${db}' was successfully created.` }))
    } else throw new Error(`unsupported cli command ${cmd}`)
    process.exit(0)
  } catch (e: any) {
    // The CLI parses stderr lines after the first as JSON log lines and looks for an ERROR from schema_engine::logger.
    const code = e.code === '3D000' ? 'P1003' : 'P1001'
    process.stderr.write('\n' + JSON.stringify({ level: 'ERROR', target: 'schema_engine::logger',
      fields: { message: e.message, error_code: code } }) + '\n')
    process.exit(1)
  }
}

const main = new MigratePgFactory(url)
const factory = {
  provider: 'postgres' as const,
  adapterName: main.adapterName,
  connect: () => main.connect(),
  connectToShadowDb: () => (process.env.PRISMA_SHADOW === 'server' ? main.connectToShadowDb() : pgliteShadow()),
}
const schemaFiles = opt('--datamodels').map((p) => ({ path: p, content: fs.readFileSync(p, 'utf8') }))
const { engine, close } = await openEngine(factory, schemaFiles.length ? schemaFiles : undefined)

const alias: Record<string, string> = { getDatabaseVersion: 'version' }
const send = (m: object) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\n')
let queue = Promise.resolve()
readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on('line', (line) => {
    const req = JSON.parse(line)
    if (req.method === undefined) return // a response to one of our requests (we send none)
    queue = queue.then(async () => { // the engine takes &mut self: serialise calls
      try {
        const fn = (engine as any)[alias[req.method] ?? req.method]
        if (typeof fn !== 'function') throw new Error(`${req.method} is not supported by the wasm schema engine`)
        const result = await fn.call(engine, req.params ?? {})
        if (req.method === 'diff' && result?.stdout != null) { // the native engine prints through a `print` request
          send({ id: `print-${req.id}`, method: 'print', params: { content: result.stdout.replace(/\n$/, '') } })
          result.stdout = null
        }
        send({ id: req.id, result: result ?? null })
      } catch (e: any) {
        send({ id: req.id, error: { code: 4466, message: 'An error happened. Check the data field for details.',
          data: { is_panic: false, message: e.message, error_code: e.code, meta: e.meta } } })
      }
    })
  })
  .on('close', () => {
    void queue.then(close).then(() => process.exit(0))
  })
