// The compiled server as `npm run build` makes it (into a directory of its own, so that `npm start` elsewhere is not
// disturbed): the query compiler's WebAssembly ships as a binary file read at load (not as a base64 module kept in
// the heap), and V8 compiles it with Liftoff only (src/db/query-compiler.ts). docs/performance.md, issue 10 item 19.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEnv } from '../helpers/env.ts'

const root = path.resolve(import.meta.dirname, '../..')
const out = path.join(root, '.tmp', `build-test-${process.pid}`)
const wasm = path.join(out, 'chunks', 'query_compiler_fast_bg.postgresql.wasm')

interface Run { exitCode: number | null; stdout: string; signedUp: boolean }

/** Starts `node <out>/index.js` with WebAssembly compilations traced, signs up once it listens, then stops it. */
async function runCompiled(): Promise<Run> {
  const env = { PATH: process.env.PATH, ...testEnv({ NODE_ENV: 'production', LOG_LEVEL: 'info', WORKERS: '0' }) }
  const child = spawn(process.execPath, ['--trace-wasm-compilation-times', path.join(out, 'index.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  child.stderr.on('data', (d: Buffer) => (stdout += d))
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  // A hung start or stop must fail with what the server printed, not time the test out.
  const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const port = await new Promise<number | undefined>((resolve) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      stdout += line + '\n'
      try {
        const p = (JSON.parse(line) as { port?: unknown }).port
        if (typeof p === 'number') resolve(p)
      } catch {
        // a trace line
      }
    })
    void exit.then(() => resolve(undefined))
  })
  let signedUp = false
  if (port) {
    const r = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      signal: AbortSignal.timeout(20_000),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($input: SignUpInput!) { signUp(input: $input) { tenant { id } } }',
        variables: { input: { tenantName: 'Build test', email: `build-${process.pid}-${Date.now()}@example.com`, password: 'correct horse battery staple' } },
      }),
    })
    const body = (await r.json()) as { data?: { signUp?: { tenant?: { id?: string } } } }
    signedUp = typeof body.data?.signUp?.tenant?.id === 'string'
    child.kill('SIGTERM')
  }
  const exitCode = await exit
  clearTimeout(deadline)
  return { exitCode, stdout, signedUp }
}

describe('npm run build', () => {
  beforeAll(() => {
    const r = spawnSync(process.execPath, ['ops/scripts/build.mjs'], { cwd: root, env: { ...process.env, BUILD_OUT_DIR: out, BUILD_SOURCEMAP: 'false' }, encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
  }, 120_000)
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }))

  it('ships the query compiler as a binary WebAssembly file, not as base64 in a chunk', () => {
    expect(WebAssembly.validate(fs.readFileSync(wasm))).toBe(true)
    const chunks = fs.readdirSync(path.join(out, 'chunks')).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(out, 'chunks', f), 'utf8'))
    expect(chunks.some((c) => c.includes("new URL('./query_compiler_fast_bg.postgresql.wasm'") || c.includes('new URL("./query_compiler_fast_bg.postgresql.wasm"'))).toBe(true)
    // The binary's base64 starts with "AGFzbQ" ("\0asm"); neither the string nor an import of its module is left.
    expect(chunks.filter((c) => c.includes('"AGFzbQEAAAAB') || c.includes('wasm-base64'))).toEqual([])
  })

  it('emits chunks in ASCII: V8 keeps each source, two bytes a character if one is not Latin-1 (comments are left out)', () => {
    const chunks = fs.readdirSync(path.join(out, 'chunks')).filter((f) => f.endsWith('.js'))
    // eslint-disable-next-line no-control-regex -- the point is to find what is outside ASCII
    expect(chunks.filter((f) => /[^\x00-\x7f]/.test(fs.readFileSync(path.join(out, 'chunks', f), 'utf8')))).toEqual([])
  })

  it('leaves libphonenumber-js out of the bundle: redaction loads it from node_modules on first use (src/pii.ts)', () => {
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> }
    expect(Object.keys(meta.inputs).filter((f) => f.includes('node_modules/libphonenumber-js/'))).toEqual([])
  })

  it('answers a mutation that goes through Prisma, its query compiler compiled by Liftoff alone', async () => {
    const run = await runCompiled()
    expect(run.signedUp, run.stdout.slice(-2000)).toBe(true)
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/using Liftoff/)
    expect(run.stdout).not.toMatch(/using TurboFan/)
  }, 60_000)

  it('reads the query compiler from that file: without it the server cannot start', async () => {
    fs.renameSync(wasm, `${wasm}.moved`)
    try {
      const run = await runCompiled()
      expect(run.signedUp).toBe(false)
      expect(run.exitCode).not.toBe(0)
      expect(run.stdout).toMatch(/ENOENT.*query_compiler_fast_bg\.postgresql\.wasm/)
    } finally {
      fs.renameSync(`${wasm}.moved`, wasm)
    }
  }, 60_000)
})
