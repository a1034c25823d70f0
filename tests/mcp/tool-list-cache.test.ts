// The cached tools/list of an MCP server stays current without refreshMcpServer: it is listed again when the
// server's ttlMs (SEP-2549) runs out, when the server sends notifications/tools/list_changed on its event stream,
// and when a call finds a tool gone. Real SDK servers on loopback; the app runs its worker (and so its refresher)
// on a database of its own, so no other test's refresher touches these servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { eventLog, run } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { eventually } from '../helpers/ws.ts'
import { startGrowingMcpServer, startNotifyingMcpServer, startTtlMcpServer, type DynamicMcpServer } from './mcp-dynamic-servers.ts'
import { startTestMcpServer } from './mcp-test-server.ts'

type Server = { id: string; status: string; lastError: string | null; toolsExpireAt: string | null; tools: { id: string; name: string; available: boolean }[] }
const fields = 'id status lastError toolsExpireAt tools { id name available }'

let t: TestApp
let s: Session
const servers: { close(): Promise<void> }[] = []
let name = 0

beforeAll(async () => {
  t = await startApp({
    ...(await isolatedDatabaseEnv()), WORKERS: '1', WORKER_POLL_MS: '100', MCP_ALLOW_PRIVATE_NETWORKS: 'true', MCP_ALLOW_INSECURE: 'true',
    MCP_TOOLS_TTL_SECONDS: '3600', MCP_TOOLS_MIN_TTL_SECONDS: '1', HTTP_TOOL_TIMEOUT_MS: '5000',
  })
  s = await signUp(t)
})
afterAll(() => Promise.all(servers.map((x) => x.close())))

async function register(url: string): Promise<Server> {
  const r = await t.gql<{ createMcpServer: { mcpServer: Server } }>(`mutation($input: CreateMcpServerInput!) { createMcpServer(input: $input) { mcpServer { ${fields} } } }`,
    { input: { name: `cache${++name}`, url } }, s.headers)
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  return r.body.data!.createMcpServer.mcpServer
}
async function read(id: string): Promise<Server> {
  const r = await t.gql<{ mcpServers: { edges: { node: Server }[] } }>(`query { mcpServers(first: 50) { edges { node { ${fields} } } } }`, {}, s.headers)
  return r.body.data!.mcpServers.edges.find((e) => e.node.id === id)!.node
}
const toolState = (x: Server) => Object.fromEntries(x.tools.map((tool) => [tool.name.split('__')[1], tool.available]))
const expiresInMs = async (id: string) => Date.parse((await read(id)).toolsExpireAt!) - Date.now()
const track = <T extends DynamicMcpServer>(x: T) => (servers.push(x), x)

describe('MCP tool-list cache', () => {
  it('lists the server again when its ttlMs runs out', async () => {
    const mcp = track(await startTtlMcpServer(['alpha'], 1_500))
    const server = await register(mcp.url)
    expect(toolState(server)).toEqual({ alpha: true })
    expect(await expiresInMs(server.id)).toBeLessThanOrEqual(1_500)
    const listed = mcp.lists
    mcp.setTools(['beta'])
    await eventually(async () => expect(toolState(await read(server.id))).toEqual({ alpha: false, beta: true }), 15_000)
    expect(mcp.lists).toBeGreaterThan(listed)
  }, 30_000)

  it('uses MCP_TOOLS_TTL_SECONDS without a hint, and floors a ttlMs of 0 at MCP_TOOLS_MIN_TTL_SECONDS', async () => {
    const plain = track(await startTtlMcpServer(['alpha'], undefined))
    const a = await register(plain.url)
    expect(await expiresInMs(a.id)).toBeGreaterThan(3_500_000)
    const lists = plain.lists
    await new Promise((r) => setTimeout(r, 1_500))
    expect(plain.lists).toBe(lists)

    const eager = track(await startTtlMcpServer(['alpha'], 0))
    const b = await register(eager.url)
    const left = await expiresInMs(b.id)
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThanOrEqual(1_000)
  }, 30_000)

  it('lists the server again on notifications/tools/list_changed from its event stream', async () => {
    const mcp = track(await startNotifyingMcpServer(['alpha']))
    const server = await register(mcp.url)
    expect(toolState(server)).toEqual({ alpha: true })
    // The refresher opens a session with a GET event stream to each READY server that announces tools.listChanged.
    await eventually(() => expect(mcp.streams).toBeGreaterThan(0), 15_000)
    mcp.setTools(['alpha', 'gamma'])
    await eventually(async () => expect(toolState(await read(server.id))).toEqual({ alpha: true, gamma: true }), 10_000)
    mcp.setTools(['gamma'])
    await eventually(async () => expect(toolState(await read(server.id))).toEqual({ alpha: false, gamma: true }), 10_000)
    // The notification did it: the TTL is an hour away and the one stream never dropped (a drop also re-lists).
    expect(await expiresInMs(server.id)).toBeGreaterThan(3_500_000)
    expect(mcp.streams).toBe(1)
  }, 40_000)

  it('lists the server again on a list_changed sent inside a tool call of a run', async () => {
    const mcp = track(await startGrowingMcpServer())
    const server = await register(mcp.url)
    expect(toolState(server)).toEqual({ grow: true })
    const agent = await t.gql<{ createAgent: { agent: { id: string } } }>('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }', {
      input: { name: `grower ${name}`, model: 'mock-1', systemPrompt: 'You are helpful.', toolIds: [server.tools[0]!.id], timeoutSeconds: 30, maxToolCalls: 2 },
    }, s.headers)
    const r = await run(t, s, { agentId: agent.body.data!.createAgent.agent.id, prompt: `${server.tools[0]!.name} please`, wait: true })
    expect(r.status).toBe('SUCCEEDED')
    await eventually(async () => expect(toolState(await read(server.id))).toEqual({ grow: true, grown1: true }), 10_000)
    expect(await expiresInMs(server.id)).toBeGreaterThan(3_500_000)
  }, 30_000)

  it('marks a tool the server says it no longer has unavailable at the call, and the run gets TOOL_UNAVAILABLE', async () => {
    const mcp = await startTestMcpServer()
    servers.push(mcp)
    const server = await register(mcp.url)
    const shout = server.tools.find((x) => x.name.endsWith('__shout'))!
    const agent = await t.gql<{ createAgent: { agent: { id: string } } }>('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }', {
      input: { name: `gone ${name}`, model: 'mock-1', systemPrompt: 'You are helpful.', toolIds: [shout.id], timeoutSeconds: 30, maxToolCalls: 2 },
    }, s.headers)
    mcp.state.withShout = false // gone from the server; our cache does not know yet
    const r = await run(t, s, { agentId: agent.body.data!.createAgent.agent.id, prompt: `${shout.name} hi`, wait: true })
    expect(r.status).toBe('SUCCEEDED')
    const content = (await eventLog(t, s, r.id)).find((e) => e.type === 'TOOL_CALL_RESULT')!.event.content as string
    expect(JSON.parse(content)).toMatchObject({ code: 'TOOL_UNAVAILABLE' })
    await eventually(async () => expect(toolState(await read(server.id)).shout).toBe(false), 10_000)
  }, 30_000)
})
