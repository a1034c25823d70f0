#!/usr/bin/env node
// End-to-end smoke test of the compiled server (`npm run build` first), as production runs it: starts
// `<node> dist/index.js` with NODE_ENV=production in the embedded mode, then signs up, creates a tool and an agent,
// runs the agent, streams the run over graphql-ws to its end, checks that /metrics wants its token and that the
// console's prebuilt assets are served, and stops the server with SIGTERM (it must exit 0); then runs the compiled
// migration script (status) and loads the compiled worker. Plain JavaScript on purpose: it needs neither tsx nor a build of its own.
//   node ops/scripts/smoke.mjs [--node /path/to/node]      (npm run smoke)
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createClient } from 'graphql-ws'
import WebSocket from 'ws'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const { values: opts } = parseArgs({ options: { node: { type: 'string', default: process.execPath } } })
const entry = path.join(root, 'dist', 'index.js')
if (!fs.existsSync(entry)) fail(`${entry} is missing: run npm run build first`)

const metricsToken = 'smoke-metrics-token-0123456789'
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-'))
const env = {
  PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir,
  JWT_SECRET: 'smoke-secret-smoke-secret-smoke-secret-0', METRICS_TOKEN: metricsToken, LOG_LEVELS: 'operations=warn',
  CONSOLE_ENABLED: 'true',
}
const server = spawn(opts.node, [entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] })
const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve(code ?? signal)))
const watchdog = setTimeout(() => fail('timed out after 90 s'), 90_000)

function fail(message) {
  console.error(`smoke: FAILED: ${message}`)
  if (server?.exitCode === null) server.kill('SIGKILL')
  process.exit(1)
}

function check(ok, message) {
  if (!ok) fail(message)
  console.log(`smoke: ok: ${message}`)
}

const port = await new Promise((resolve, reject) => {
  readline.createInterface({ input: server.stdout }).on('line', (line) => {
    try {
      const l = JSON.parse(line)
      if (typeof l.port === 'number') resolve(l.port)
    } catch {
      // not a log line
    }
  })
  void exited.then((code) => reject(new Error(`server exited with ${code} before listening`)))
}).catch((e) => fail(e.message))
const version = await new Promise((resolve) => {
  const p = spawn(opts.node, ['--version'])
  let out = ''
  p.stdout.on('data', (d) => (out += d))
  p.on('exit', () => resolve(out.trim()))
})
console.log(`smoke: compiled server on Node ${version} listening on ${port}`)
const base = `http://127.0.0.1:${port}`

async function gql(query, variables, token) {
  const r = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  })
  const body = await r.json()
  if (body.errors) fail(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`)
  return body.data
}

check((await fetch(`${base}/health/ready`)).status === 200, 'ready')
const consoleApp = await fetch(`${base}/console/app.js`)
check(consoleApp.status === 200 && (await consoleApp.text()).length > 1000, 'serves the console assets built by npm run build')
const { signUp } = await gql('mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }', {
  input: { email: `smoke-${Date.now()}@example.com`, password: 'correct horse battery staple', tenantName: 'Smoke' },
})
const token = signUp.accessToken
check(typeof token === 'string', 'signed up')
const { createTool } = await gql('mutation { createTool(input: { name: "calculator", description: "Arithmetic", kind: BUILTIN, handler: "calculator" }) { tool { id } } }', {}, token)
const { createAgent } = await gql('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }', {
  input: { name: 'Smoke agent', model: 'mock-1', systemPrompt: 'You are helpful.', toolIds: [createTool.tool.id] },
}, token)
check(Boolean(createAgent.agent.id), 'created a tool and an agent')
const { runAgent } = await gql('mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }', {
  input: { agentId: createAgent.agent.id, prompt: 'Use the calculator: what is 6 * 7?' },
}, token)
const executionId = runAgent.execution.id
check(Boolean(executionId), 'ran the agent')

const ws = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 })
const types = await new Promise((resolve, reject) => {
  const seen = []
  ws.subscribe({ query: 'subscription($id: ID!) { executionEvents(executionId: $id) { seq type } }', variables: { id: executionId } }, {
    next: (r) => (r.errors ? reject(new Error(JSON.stringify(r.errors))) : seen.push(r.data.executionEvents.type)),
    error: (e) => reject(e instanceof Error ? e : new Error(JSON.stringify(e))),
    complete: () => resolve(seen),
  })
}).catch((e) => fail(`stream: ${e.message}`))
await ws.dispose()
check(types[0] === 'RUN_STARTED' && types.at(-1) === 'RUN_FINISHED' && types.includes('TOOL_CALL_RESULT'),
  `streamed the run over WebSocket: ${types.length} events, a tool call, RUN_FINISHED`)

check((await fetch(`${base}/metrics`)).status === 401, '/metrics refuses a request without METRICS_TOKEN')
const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
check(metrics.status === 200 && (await metrics.text()).includes('executions_total'), '/metrics answers with the token')

server.kill('SIGTERM')
const code = await exited
check(code === 0, 'stopped on SIGTERM with exit code 0')

// The other compiled entry points load their whole module graph (ES imports resolve before any code runs).
const migrate = await runEntry('dist/cli/migrate.js', ['status'])
check(migrate.code === 0 && /"hasMigrationsTable": true/.test(migrate.out) && /"history": null/.test(migrate.out), 'dist/cli/migrate.js status: every migration applied')
const worker = await runEntry('dist/worker/main.js', [])
check(worker.code === 1 && worker.out.includes('needs DATABASE_URL'), 'dist/worker/main.js loads and refuses to run on the embedded database')
clearTimeout(watchdog)
fs.rmSync(dataDir, { recursive: true, force: true })

function runEntry(entryPath, args) {
  return new Promise((resolve) => {
    const p = spawn(opts.node, [path.join(root, entryPath), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (d) => (out += d))
    p.stderr.on('data', (d) => (out += d))
    p.on('exit', (c) => resolve({ code: c, out }))
  })
}
