// esbuild plugin for ops/scripts/build.mjs: Prisma ships its query compiler's WebAssembly only as a module exporting
// the binary as a base64 string (`wasm`, 4.6 MB), which the generated client decodes with `Buffer.from(wasm, 'base64')`
// and compiles once. Loaded as it is, the server keeps the module's source and the string for its whole life (8.7 MB
// of heap at idle, measured by a heap snapshot). In the bundle that module is replaced by one exporting an object
// whose valueOf() reads the binary from a file beside it: Buffer.from(object) takes object.valueOf() (documented),
// so the generated client is unchanged and nothing is kept once the module is compiled. The build decodes the base64
// once and writes that file next to the chunk that loads it. Under tsx (development, tests) nothing changes.
import fs from 'node:fs/promises'
import { Buffer } from 'node:buffer'
import path from 'node:path'

export const base64Module = '@prisma/client/runtime/query_compiler_fast_bg.postgresql.wasm-base64.mjs'
export const wasmFile = 'query_compiler_fast_bg.postgresql.wasm'
const namespace = 'query-compiler-wasm'

export const queryCompilerWasmPlugin = {
  name: namespace,
  setup(build) {
    const filter = new RegExp(`^${base64Module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`)
    build.onResolve({ filter }, () => ({ path: wasmFile, namespace }))
    build.onLoad({ filter: /.*/, namespace }, () => ({
      loader: 'js',
      resolveDir: process.cwd(),
      contents: `import { readFileSync } from 'node:fs'
// The generated client calls Buffer.from(wasm, 'base64'), which uses valueOf(): the bytes are read when compiled, not kept.
export const wasm = { valueOf: () => readFileSync(new URL('./${wasmFile}', import.meta.url)) }
`,
    }))
  },
}

/** Writes the decoded binary beside the output chunk that reads it (named in the metafile); returns its path. */
export async function writeQueryCompilerWasm(metafile) {
  const outputs = Object.entries(metafile.outputs).filter(([, o]) => Object.keys(o.inputs).includes(`${namespace}:${wasmFile}`))
  if (outputs.length !== 1) throw new Error(`expected one chunk to load ${wasmFile}, found ${outputs.length}`)
  const { wasm } = await import(base64Module)
  const bytes = Buffer.from(wasm, 'base64')
  if (!globalThis.WebAssembly.validate(bytes)) throw new Error(`${base64Module} did not decode to valid WebAssembly`)
  const file = path.resolve(path.dirname(outputs[0][0]), wasmFile) // metafile paths are relative to the working directory
  await fs.writeFile(file, bytes)
  return file
}
