// The web console (/console) and the development landing page (/). The console is plain TypeScript in console/,
// bundled by `npm run build` into dist/console/ (what the compiled server serves) or, run from source, by esbuild on
// first request; either way kept in memory.
// It talks to the server only through the public API (GraphQL over HTTP and graphql-ws).
import fs from 'node:fs/promises'
import type http from 'node:http'
import path from 'node:path'
import { projectRoot, runningCompiled } from '../config.ts'

const root = path.join(projectRoot, 'console')
// The compiled server serves what `npm run build` bundled; from the sources, the console is bundled on demand (a
// dist/ left by an earlier build may be stale).
const prebuilt = runningCompiled ? path.join(projectRoot, 'dist', 'console') : undefined

/** Scripts and styles from this origin only; the API over fetch and WebSocket. */
const consoleCsp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

interface Asset {
  type: string
  body: string | Buffer
}

let bundle: Promise<Map<string, Asset>> | undefined

async function buildAssets(): Promise<Map<string, Asset>> {
  const dir = prebuilt && await fs.access(path.join(prebuilt, 'app.js')).then(() => prebuilt, () => undefined)
  // esbuild only when there is no prebuilt console: the compiled server never loads it.
  const app = dir
    ? await fs.readFile(path.join(dir, 'app.js'), 'utf8')
    : (await (await import('esbuild')).build({ entryPoints: [path.join(root, 'main.ts')], bundle: true, write: false, format: 'esm', target: 'es2022', minify: true, sourcemap: false, platform: 'browser', logLevel: 'silent' })).outputFiles[0]!.text
  const [html, css] = await Promise.all([fs.readFile(path.join(dir ?? root, 'index.html')), fs.readFile(path.join(dir ?? root, 'style.css'))])
  return new Map<string, Asset>([
    ['/console', { type: 'text/html; charset=utf-8', body: html }],
    ['/console/', { type: 'text/html; charset=utf-8', body: html }],
    ['/console/app.js', { type: 'text/javascript; charset=utf-8', body: app }],
    ['/console/style.css', { type: 'text/css; charset=utf-8', body: css }],
  ])
}

/** Answers /console/* from the bundle (built once per process); false for any other path. */
export async function serveConsole(req: http.IncomingMessage, res: http.ServerResponse, urlPath: string, logger: { error(o: object, m: string): void }): Promise<boolean> {
  if (urlPath !== '/console' && !urlPath.startsWith('/console/')) return false
  let assets: Map<string, Asset>
  try {
    assets = await (bundle ??= buildAssets())
  } catch (err) {
    bundle = undefined
    logger.error({ err }, 'console build failed')
    res.writeHead(500, { 'Content-Type': 'text/plain' }).end('The console could not be built; see the server log.')
    return true
  }
  const asset = assets.get(urlPath)
  if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(asset ? 405 : 404, { 'Content-Type': 'text/plain' }).end(asset ? 'Method not allowed' : 'Not found')
    return true
  }
  res.writeHead(200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache', 'Content-Security-Policy': consoleCsp })
  res.end(req.method === 'HEAD' ? undefined : asset.body)
  return true
}

/** `/` in development: where to go from here. */
export function landingPage(res: http.ServerResponse, opts: { console: boolean }) {
  const links = [`<li><a href="/graphql">GraphiQL</a>: explore the schema and run operations (subscriptions over WebSocket)</li>`]
  if (opts.console) links.push(`<li><a href="/console">Console</a>: sign in, start runs and watch them stream live</li>`)
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Agent Platform API</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5"><h1>Agent Platform API</h1><ul>${links.join('')}</ul><p>Health: <a href="/health/ready">/health/ready</a> · AG-UI over HTTP: <code>POST /agui/agents/:agentId</code></p></body></html>`
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" })
  res.end(html)
}
