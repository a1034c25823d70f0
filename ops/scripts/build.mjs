// `npm run build`: src/ → dist/ as JavaScript (server, worker, command-line scripts, the generated Prisma client)
// and the web console's assets → dist/console/. It transpiles file by file with esbuild (a production dependency:
// the console needs it) instead of tsc, because `npm start` builds first (prestart) and must stay quick: about a
// second here against 20-50 s for tsc, which also type-checks. Type checking is `npm run typecheck`, in CI.
// Per-file transpiling is exact for this code base: tsconfig sets isolatedModules and verbatimModuleSyntax.
import fs from 'node:fs/promises'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { build } from 'esbuild'

const root = path.resolve(import.meta.dirname, '../..')
const src = path.join(root, 'src')
const out = path.join(root, 'dist')
const started = performance.now()

const entryPoints = (await fs.readdir(src, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => path.join(src, f))
await fs.rm(out, { recursive: true, force: true })
const result = await build({
  entryPoints, outdir: out, outbase: src, bundle: false, write: false, format: 'esm', platform: 'node', target: 'node20.19',
  sourcemap: 'linked', logLevel: 'warning', tsconfig: path.join(root, 'tsconfig.json'),
})
// Sources import `./x.ts` (as tsx and vitest run them); the output imports `./x.js`. Same length, so the source
// maps stay exact. esbuild prints every specifier in double quotes.
const relativeTs = /((?:\bfrom|\bimport)\s*\(?\s*)"(\.{1,2}\/[^"\n]*?)\.ts"/g
await Promise.all(result.outputFiles.map(async (file) => {
  await fs.mkdir(path.dirname(file.path), { recursive: true })
  await fs.writeFile(file.path, file.path.endsWith('.js') ? file.text.replace(relativeTs, '$1"$2.js"') : file.contents)
}))

// The console: bundled once here; src/http/console.ts serves these files when present (else bundles on demand).
const consoleDir = path.join(root, 'console')
const consoleOut = path.join(out, 'console')
await build({
  entryPoints: [path.join(consoleDir, 'main.ts')], outfile: path.join(consoleOut, 'app.js'), bundle: true, format: 'esm', target: 'es2022',
  minify: true, platform: 'browser', logLevel: 'warning',
})
await Promise.all(['index.html', 'style.css'].map((f) => fs.copyFile(path.join(consoleDir, f), path.join(consoleOut, f))))

console.log(`built dist/ (${entryPoints.length} modules and the console) in ${Math.round(performance.now() - started)} ms`)
