// Offline Prisma Migrate: the WASM schema engine driven directly through driver adapters, for PostgreSQL
// (@prisma/adapter-pg) and PGlite. No engine download, same prisma/migrations format and _prisma_migrations table
// as the stock CLI. Relies on Prisma-internal APIs: versions are pinned exactly in package.json. Upstream bugs worked
// around here are numbered as in docs/adr/0002-offline-prisma.md.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import zlib from 'node:zlib'
import path from 'node:path'
import { createRequire } from 'node:module'
import type { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils'
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import type { SchemaEngine, MigrationList } from '@prisma/schema-engine-wasm'
import type pg from 'pg'

/* eslint-disable @typescript-eslint/no-explicit-any -- wasm-bindgen glue and adapter internals are untyped */

const req = createRequire(import.meta.url)
// PGlite (WASM PostgreSQL, ~50 MB of RSS once loaded) is imported only where an embedded database is opened, so a
// server in service mode never loads it.
const pglite = () => import('@electric-sql/pglite').then((m) => m.PGlite)
const pgliteAdapter = () => import('pglite-prisma-adapter').then((m) => m.PrismaPGlite)
type EngineClass = typeof SchemaEngine
type Factory = SqlMigrationAwareDriverAdapterFactory
let engineClass: Promise<EngineClass> | undefined

/** Instantiates the wasm once per process (the wasm-bindgen glue holds a module-global instance). */
function loadEngineClass(): Promise<EngineClass> {
  engineClass ??= (async () => {
    // (7) schema_engine.js imports the .wasm as an ES module, which Node 20 rejects: wire glue and wasm by hand.
    const bg: any = await import('@prisma/schema-engine-wasm/schema_engine_bg')
    const wasmFile = path.join(path.dirname(req.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm')
    // (6) The engine arms a 10 s advisory-lock timer it never clears: unref it so the process can exit.
    const imports: Record<string, unknown> = { ...bg }
    for (const k of Object.keys(bg).filter((k) => k.startsWith('__wbg_setTimeout_'))) {
      imports[k] = (f: () => void, ms: number) => setTimeout(f, ms >>> 0).unref()
    }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmFile)),
      { './schema_engine_bg.js': imports as WebAssembly.ModuleImports })
    bg.__wbg_set_wasm(instance.exports)
    ;(instance.exports as any).__wbindgen_start?.()
    ;(globalThis as any).PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (m: string) => console.error('[schema-engine panic]', m) }
    return bg.SchemaEngine as EngineClass
  })()
  return engineClass
}

/** (1, 2) Runs a whole migration script as one awaited simple-query call: atomic, `$$` bodies intact, errors raised. */
function withScriptFix(adapter: SqlDriverAdapter, run: (script: string) => Promise<unknown>): SqlDriverAdapter {
  const a = adapter as any
  a.executeScript = async (script: string) => {
    try {
      await run(script)
    } catch (e) {
      if (typeof a.onError === 'function') a.onError(e) // rethrows as DriverAdapterError (PG code + message)
      throw e
    }
  }
  return adapter
}

// `new PGlite()` runs initdb (1.3–4 s); loading a dumped data dir takes ~0.3 s. The dump is cached on disk, keyed by
// the PGlite version, so later processes skip initdb entirely.
let template: Promise<Blob> | undefined
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const pkg = path.join(path.dirname(req.resolve('@electric-sql/pglite')), '..', 'package.json')
    const version = JSON.parse(fs.readFileSync(pkg, 'utf8')).version
    const cache = path.join(os.tmpdir(), `pglite-template-${version}.tgz`)
    if (fs.existsSync(cache)) return new Blob([zlib.gunzipSync(fs.readFileSync(cache))])
    const PGlite = await pglite()
    const t = new PGlite()
    const tar = Buffer.from(await (await t.dumpDataDir('none')).arrayBuffer())
    await t.close()
    fs.writeFileSync(`${cache}.${process.pid}`, zlib.gzipSync(tar))
    fs.renameSync(`${cache}.${process.pid}`, cache)
    return new Blob([tar])
  })()
  return template
}

/** A fresh in-memory PGlite, started from the cached template (fast). */
export async function memoryPGlite(): Promise<PGlite> {
  const PGlite = await pglite()
  const db = new PGlite({ loadDataDir: await pgliteTemplate() })
  await db.waitReady
  return db
}

/** A PGlite persisted in `dir`; a new directory is seeded from the template instead of running initdb. */
export async function dirPGlite(dir: string): Promise<PGlite> {
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'))
  if (fresh) fs.mkdirSync(dir, { recursive: true })
  const PGlite = await pglite()
  const db = new PGlite(dir, fresh ? { loadDataDir: await pgliteTemplate() } : {})
  await db.waitReady
  return db
}

/** Migration factory over a PGlite instance (the embedded default and the shadow database). */
export class MigratePGliteFactory implements Factory {
  readonly provider = 'postgres' as const
  /** pglite-prisma-adapter's name (its `adapterName`), spelled out so that the adapter loads only when connecting. */
  readonly adapterName = 'pglite-prisma-adapter'
  constructor(private db: PGlite) {}
  async connect() {
    const PrismaPGlite = await pgliteAdapter()
    return withScriptFix(await new PrismaPGlite(this.db).connect(), (s) => this.db.exec(s))
  }
  connectToShadowDb() {
    return pgliteShadow()
  }
}

/** Shadow database: a throwaway in-memory PGlite, closed when the engine disposes it. */
export async function pgliteShadow(): Promise<SqlDriverAdapter> {
  const shadow = await memoryPGlite()
  const PrismaPGlite = await pgliteAdapter()
  const adapter = withScriptFix(await new PrismaPGlite(shadow).connect(), (s) => shadow.exec(s))
  adapter.dispose = () => shadow.close()
  return adapter
}

/** Migration factory over node-postgres. */
export class MigratePgFactory implements Factory {
  readonly provider = 'postgres' as const
  readonly adapterName = '@prisma/adapter-pg'
  constructor(private url: string) {}
  private async open(url: string) {
    const a = await new PrismaPg({ connectionString: url }).connect()
    const pool = (a as any).underlyingDriver() as pg.Pool
    patchCharColumns(a, pool)
    return withScriptFix(a, (s) => pool.query(s))
  }
  connect() {
    return this.open(this.url)
  }
  /** (3) A temporary database on the same server (needs CREATEDB), dropped on dispose, as the native engine does. */
  async connectToShadowDb() {
    const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`
    const admin = await this.open(this.url)
    await admin.executeScript(`CREATE DATABASE "${name}"`)
    const u = new URL(this.url)
    u.pathname = `/${name}`
    const shadow = await this.open(u.toString())
    const dispose = shadow.dispose.bind(shadow)
    shadow.dispose = async () => {
      await dispose()
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => admin.dispose())
    }
    return shadow
  }
}

/** (4) adapter-pg cannot deserialize PostgreSQL's internal `"char"` (OID 18), which the engine's introspection selects. */
function patchCharColumns(adapter: SqlDriverAdapter, pool: pg.Pool) {
  const charCols = new Map<string, number[]>()
  const p = pool as any
  const query = p.query.bind(pool)
  p.query = async (q: any, ...rest: any[]) => {
    const res = await query(q, ...rest)
    const idx = (res?.fields ?? []).flatMap((f: any, i: number) => (f.dataTypeID === 18 ? [i] : []))
    if (idx.length && typeof q === 'object') {
      charCols.set(q.text, idx)
      for (const i of idx) res.fields[i].dataTypeID = 25
    }
    return res
  }
  const queryRaw = adapter.queryRaw.bind(adapter)
  adapter.queryRaw = async (q) => {
    const rs = await queryRaw(q)
    for (const i of charCols.get(q.sql) ?? []) rs.columnTypes[i] = ColumnTypeEnum.Character
    return rs
  }
}

/** Reads prisma/migrations exactly as the Prisma CLI passes it to the engine. */
export function readMigrationsList(migrationsDir: string): MigrationList {
  const baseDir = path.resolve(migrationsDir)
  const lock = path.join(baseDir, 'migration_lock.toml')
  const names = fs.existsSync(baseDir)
    ? fs.readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
    : []
  const migrationDirectories = names.sort((a, b) => a.localeCompare(b)).map((name) => {
    let content: { tag: 'ok' | 'error'; value: string }
    try {
      content = { tag: 'ok', value: fs.readFileSync(path.join(baseDir, name, 'migration.sql'), 'utf8') }
    } catch (e) {
      content = { tag: 'error', value: (e as Error).message }
    }
    return { path: name, migrationFile: { path: 'migration.sql', content } }
  })
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8') : null },
    migrationDirectories: migrationDirectories as MigrationList['migrationDirectories'],
    shadowDbInitScript: '',
  }
}

function readSchemaFiles(schemaPath: string) {
  const files = fs.statSync(schemaPath).isDirectory()
    ? (fs.readdirSync(schemaPath, { recursive: true }) as string[]).filter((f) => f.endsWith('.prisma')).map((f) => path.join(schemaPath, f))
    : [schemaPath]
  return files.map((f) => ({ path: f, content: fs.readFileSync(f, 'utf8') }))
}

const filters = { externalTables: [] as string[], externalEnums: [] as string[] }

/** A wasm SchemaEngine bound to `factory`; close() frees it and (5) disposes every adapter it opened. */
export async function openEngine(factory: Factory, schemaFiles?: { path: string; content: string }[],
  log: (line: string) => void = () => {}) {
  const Engine = await loadEngineClass()
  const open = new Set<SqlDriverAdapter>()
  const track = async (p: Promise<SqlDriverAdapter>) => {
    const a = await p
    const dispose = a.dispose.bind(a)
    a.dispose = async () => {
      if (open.delete(a)) await dispose()
    }
    open.add(a)
    return a
  }
  const tracked: Factory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    connectToShadowDb: () => track(factory.connectToShadowDb()),
  }
  const engine = await Engine.new({ datamodels: schemaFiles?.map((f) => [f.path, f.content] as [string, string]) }, log,
    bindMigrationAwareSqlAdapterFactory(tracked))
  const close = async () => {
    engine.free()
    for (const a of [...open]) await a.dispose().catch(() => {})
  }
  return { engine, close }
}

async function withEngine<T>(factory: Factory, schemaFiles: { path: string; content: string }[] | undefined,
  fn: (e: SchemaEngine) => Promise<T>): Promise<T> {
  const { engine, close } = await openEngine(factory, schemaFiles)
  try {
    return await fn(engine)
  } finally {
    await close()
  }
}

/** `prisma migrate deploy`: applies pending migrations (advisory-locked, recorded in _prisma_migrations). */
export const migrateDeploy = (factory: Factory, migrationsDir: string) =>
  withEngine(factory, undefined, (e) => e.applyMigrations({ migrationsList: readMigrationsList(migrationsDir), filters }))

/**
 * `migrate deploy` at boot: when `_prisma_migrations` already records every local migration as applied, unchanged
 * (same checksum) and nothing else (no failed, foreign or rolled-back-only entry), there is nothing to apply and the
 * schema engine (5 MB of WASM: ~0.5 s to compile, tens of MB of RSS kept for the life of the process) is not loaded.
 * Anything else, or a history that cannot be read, goes to the engine, which decides exactly as before.
 */
export async function migrateDeployAtBoot(factory: Factory, migrationsDir: string): Promise<{ appliedMigrationNames: string[] }> {
  if (await migrationsUpToDate(factory, migrationsDir)) return { appliedMigrationNames: [] }
  return migrateDeploy(factory, migrationsDir)
}

/** The checksum Prisma Migrate records for a migration script: SHA-256 of its bytes, hex. */
const migrationChecksum = (script: string) => createHash('sha256').update(script).digest('hex')

/** Whether the database's history records every local migration as applied, unchanged, and nothing else. */
export async function migrationsUpToDate(factory: Factory, migrationsDir: string): Promise<boolean> {
  const list = readMigrationsList(migrationsDir)
  const adapter = await factory.connect()
  try {
    const rs = await adapter.queryRaw({
      sql: `SELECT migration_name, checksum, CASE WHEN rolled_back_at IS NOT NULL THEN 'rolled_back'
              WHEN finished_at IS NOT NULL THEN 'applied' ELSE 'failed' END AS state FROM _prisma_migrations`,
      args: [], argTypes: [],
    })
    const rows = rs.rows.map(([name, checksum, state]) => ({ name: String(name), checksum: String(checksum), state: String(state) }))
    const local = new Map(list.migrationDirectories.map((d) => [d.path, d.migrationFile.content]))
    if (rows.some((r) => r.state === 'failed' || !local.has(r.name))) return false
    return [...local].every(([name, content]) => content.tag === 'ok' &&
      rows.some((r) => r.name === name && r.state === 'applied' && r.checksum === migrationChecksum(content.value)))
  } catch {
    // No history table yet (a new database), or not readable: the engine creates it or says why.
    return false
  } finally {
    await adapter.dispose().catch(() => {})
  }
}

/** `prisma migrate status`: migration history only, no shadow database. */
export const migrateStatus = (factory: Factory, migrationsDir: string) =>
  withEngine(factory, undefined, (e) =>
    e.diagnoseMigrationHistory({ migrationsList: readMigrationsList(migrationsDir), optInToShadowDatabase: false, filters }))

/** `prisma migrate resolve --applied|--rolled-back <name>`. */
export const migrateResolve = (factory: Factory, migrationsDir: string, name: string, as: 'applied' | 'rolled-back') =>
  withEngine(factory, undefined, (e) => as === 'applied'
    ? e.markMigrationApplied({ migrationName: name, migrationsList: readMigrationsList(migrationsDir) })
    : e.markMigrationRolledBack({ migrationName: name }))

const lockfile = (provider: string) =>
  `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`

/**
 * `prisma migrate dev --create-only --name <name>` with no external database: the dev and shadow databases are
 * throwaway in-memory PGlite instances. Returns the new directory name, or null when already in sync.
 */
export async function migrateCreate(schemaPath: string, migrationsDir: string, name: string, opts: { draft?: boolean } = {}) {
  const schema = { files: readSchemaFiles(schemaPath) }
  const devDb = await memoryPGlite()
  try {
    return await withEngine(new MigratePGliteFactory(devDb), schema.files, async (e) => {
      const migrationsList = readMigrationsList(migrationsDir)
      // The order `migrate dev` uses: createMigration reads the schema devDiagnostic cached from replaying the
      // migrations on a shadow database; called alone it fails once one migration exists.
      await e.applyMigrations({ migrationsList, filters })
      const diag = await e.devDiagnostic({ migrationsList, filters })
      if (diag.action.tag === 'reset') throw new Error(`migration history problem: ${diag.action.reason}`)
      const out = await e.createMigration({ draft: !!opts.draft, migrationName: name, migrationsList, schema, filters })
      if (out.migrationScript == null) return null
      fs.mkdirSync(path.join(migrationsDir, out.generatedMigrationName), { recursive: true })
      fs.writeFileSync(path.join(migrationsDir, out.generatedMigrationName, `migration.${out.extension}`), out.migrationScript)
      fs.writeFileSync(path.join(migrationsDir, 'migration_lock.toml'), lockfile(out.connectorType))
      return out.generatedMigrationName
    })
  } finally {
    await devDb.close()
  }
}

/** `prisma migrate diff --from-migrations --to-schema --script --exit-code`: do the migrations produce the schema? */
export async function migrateDiff(schemaPath: string, migrationsDir: string) {
  const files = readSchemaFiles(schemaPath)
  const devDb = await memoryPGlite()
  try {
    return await withEngine(new MigratePGliteFactory(devDb), undefined, async (e) => {
      const list = readMigrationsList(migrationsDir)
      const from = list.migrationDirectories.length ? { tag: 'migrations' as const, ...list } : { tag: 'empty' as const }
      const r = await e.diff({ from, to: { tag: 'schemaDatamodel', files }, script: true, exitCode: true, filters })
      return { inSync: r.exitCode === 0, script: r.stdout ?? '' }
    })
  } finally {
    await devDb.close()
  }
}
