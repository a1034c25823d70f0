// The client as a package: packed with `npm pack` (which builds dist/ with tsc), installed from the tarball into an
// empty project, and used from plain `node` (no TypeScript loader) against a running server.
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { tempDir } from '../helpers/env.ts'

const root = path.resolve(import.meta.dirname, '../..')
const modules = path.join(root, 'node_modules')

let t: TestApp
beforeAll(async () => {
  t = await startApp({}, { listen: true })
})

describe('@agent-platform/client package', () => {
  it('packs, installs from the tarball and runs the example under plain node', async () => {
    const dir = tempDir('client-pack')
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: path.join(root, 'clients'), encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[]
    const files = packed[0]!.files.map((f) => f.path)
    expect(files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/agui-agent.js', 'package.json']))
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([])

    const project = path.join(dir, 'project')
    fs.mkdirSync(project)
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'example', private: true, type: 'module' }))
    // Offline: the tarball's dependencies come from the packages this checkout already installed (no registry).
    const local = ['graphql-ws', '@graphql-typed-document-node/core', 'graphql', 'ws'].map((p) => path.join(modules, p))
    execFileSync('npm', ['install', '--offline', '--install-links', '--no-audit', '--no-fund', path.join(dir, packed[0]!.filename), ...local], { cwd: project, stdio: 'pipe' })
    fs.copyFileSync(path.join(root, 'clients/examples/watch-run.mjs'), path.join(project, 'watch-run.mjs'))

    // Asynchronously: the server runs in this process and must keep answering.
    const { stdout: out } = await promisify(execFile)(process.execPath, ['watch-run.mjs'], { cwd: project, encoding: 'utf8', env: { ...process.env, API_URL: `http://127.0.0.1:${t.port}/graphql` }, timeout: 60_000 })
    const { types } = JSON.parse(out.trim().split('\n').at(-1)!) as { types: string[] }
    expect(types[0]).toBe('RUN_STARTED')
    expect(types.at(-1)).toBe('RUN_FINISHED')
    expect(types).toContain('TEXT_MESSAGE_CONTENT')
  }, 180_000)
})
