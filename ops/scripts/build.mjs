// `npm run build`: src/ → dist/ as JavaScript (server, worker, command-line scripts, the generated Prisma client)
// and the web console's assets → dist/console/. esbuild (a production dependency: the console needs it) bundles each
// entry point with its dependencies instead of tsc transpiling file by file, because `npm start` builds first
// (prestart) and must stay quick (a few seconds here against 20-50 s for tsc, which also type-checks; type checking
// is `npm run typecheck`, in CI), and because start-up is dominated by loading modules: node resolves, reads and
// compiles ~1,600 files one by one when they are separate (about 40 % of the CPU of a start, measured in
// docs/performance.md), and a handful of chunks when bundled. Code shared by several entries goes to chunks
// (splitting); what is imported dynamically (GraphiQL, the MCP SDK, the tracing SDK) stays in chunks of its own that
// load on first use. Packages that read files beside their own code or load native addons stay external and load
// from node_modules as before.
import fs from 'node:fs/promises'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { build } from 'esbuild'
import { queryCompilerWasmPlugin, writeQueryCompilerWasm } from './query-compiler-wasm.mjs'

const root = path.resolve(import.meta.dirname, '../..')
const src = path.join(root, 'src')
// BUILD_OUT_DIR: another output directory (tests/ops/build.test.ts); it must be inside the checkout, so that the
// external packages resolve from its node_modules.
const out = path.resolve(root, process.env.BUILD_OUT_DIR ?? 'dist')
const started = performance.now()

// What `node dist/…` runs: the server, the standalone worker and the command-line scripts.
const entryPoints = ['index.ts', 'worker/main.ts', ...(await fs.readdir(path.join(src, 'cli'))).filter((f) => f.endsWith('.ts')).map((f) => `cli/${f}`)]
  .map((f) => path.join(src, f))
const external = [
  '@electric-sql/pglite', 'pglite-prisma-adapter', // WASM and data files loaded relative to the package
  '@prisma/schema-engine-wasm', // its .wasm is resolved and read from the package (src/db/migrations.ts)
  '@node-rs/argon2', 'esbuild', // native binaries
  'pino', // resolves its transports' worker files by path
  'pg-native', 'bufferutil', 'utf-8-validate', // optional native peers, absent unless installed
  // A big string module loaded on demand (GraphiQL's 9 MB page): bundled, it would cost the build most of its time
  // and gain nothing. (The query compiler's WASM, shipped as base64, is read from a binary file instead:
  // query-compiler-wasm.mjs.)
  '@graphql-yoga/render-graphiql',
]
await fs.rm(out, { recursive: true, force: true })
const result = await build({
  entryPoints, outdir: out, outbase: src, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20.19',
  // Whitespace and comments out: V8 keeps every chunk's source for the life of the process (lazy compilation,
  // toString), and one non-ASCII character in a comment doubles a whole chunk's string. Idle heap 39.3 → 34.6 MB
  // (performance.md, issue 10 item 19); names stay (keepNames) and `--enable-source-maps` maps traces to src/.
  // Licence comments go to chunks/*.LEGAL.txt for the same reason.
  minifyWhitespace: true, legalComments: 'external',
  external, keepNames: true, sourcemap: process.env.BUILD_SOURCEMAP === 'false' ? false : 'linked', logLevel: 'warning', tsconfig: path.join(root, 'tsconfig.json'), metafile: true,
  chunkNames: 'chunks/[name]-[hash]', plugins: [queryCompilerWasmPlugin],
  // Bundled CommonJS packages call require() for node built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
})
await fs.writeFile(path.join(out, 'meta.json'), JSON.stringify(result.metafile))
await writeQueryCompilerWasm(result.metafile)

// The console: bundled once here; src/http/console.ts serves these files when present (else bundles on demand).
const consoleDir = path.join(root, 'console')
const consoleOut = path.join(out, 'console')
await build({
  entryPoints: [path.join(consoleDir, 'main.ts')], outfile: path.join(consoleOut, 'app.js'), bundle: true, format: 'esm', target: 'es2022',
  minify: true, platform: 'browser', logLevel: 'warning',
})
await Promise.all(['index.html', 'style.css'].map((f) => fs.copyFile(path.join(consoleDir, f), path.join(consoleOut, f))))

console.log(`built dist/ (${entryPoints.length} entry points, ${Object.keys(result.metafile.inputs).length} modules, and the console) in ${Math.round(performance.now() - started)} ms`)
