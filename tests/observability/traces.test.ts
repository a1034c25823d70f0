// One trace from an HTTP runAgent through the worker to a tool call: the caller's W3C traceparent is the parent of
// the operation span, the run's invoke_agent span is the child of that operation (carried by the execution row),
// and the model calls, the tool call, database transactions and Redis commands sit below. Also graphql-ws: the
// traceparent of an operation's extensions or of the connection's connectionParams; MCP tool calls and webhook
// delivery attempts. Spans go to an in-memory exporter.
import { randomBytes, randomUUID } from 'node:crypto'
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedAgent } from '../helpers/agents.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv, services } from '../helpers/env.ts'
import { until } from '../helpers/runs.ts'
import { createApiKey, signUp, type Session } from '../helpers/tenants.ts'
import { connectWs, eventually } from '../helpers/ws.ts'
import { startTestMcpServer, type TestMcpServer } from '../mcp/mcp-test-server.ts'
import { createEchoTool, createWebhook, deliveries, startReceiver, webhookEnv } from '../webhooks/support.ts'

const exporter = new InMemorySpanExporter()
const hex = (bytes: number) => randomBytes(bytes).toString('hex')
const incoming = () => ({ traceId: hex(16), spanId: hex(8) })
const traceparent = (c: { traceId: string; spanId: string }) => `00-${c.traceId}-${c.spanId}-01`

const spans = (traceId: string) => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId)
const parentOf = (s: ReadableSpan) => s.parentSpanId
const one = (list: ReadableSpan[], name: string | RegExp) => {
  const found = list.filter((s) => (typeof name === 'string' ? s.name === name : name.test(s.name)))
  expect(found.map((s) => s.name), `spans named ${name}`).toHaveLength(1)
  return found[0]!
}
/** True when `ancestor` is `s` or above it in the tree of `all`. */
const under = (all: ReadableSpan[], s: ReadableSpan, ancestor: ReadableSpan): boolean => {
  for (let cur: ReadableSpan | undefined = s; cur; cur = all.find((x) => x.spanContext().spanId === parentOf(cur!))) {
    if (cur === ancestor) return true
  }
  return false
}

describe('traces that connect', () => {
  let t: TestApp
  let owner: Session
  let agentId: string
  let mcp: TestMcpServer

  beforeAll(async () => {
    t = await startApp({ ...(await isolatedDatabaseEnv()), ...webhookEnv, WORKERS: '1', WORKER_POLL_MS: '100', MCP_ALLOW_PRIVATE_NETWORKS: 'true', MCP_ALLOW_INSECURE: 'true' },
      { listen: true, spanProcessor: new SimpleSpanProcessor(exporter) })
    owner = await signUp(t)
    agentId = await seedAgent(t, owner, { tools: ['calculator'] })
    mcp = await startTestMcpServer()
  })
  afterAll(() => mcp.close())

  it('follows an HTTP runAgent from the caller through the worker to its model and tool calls', async () => {
    const caller = incoming()
    const r = await t.gql<{ runAgent: { execution: { id: string } } }>(
      'mutation RunAgent($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }',
      { input: { agentId, prompt: 'Use the calculator: what is 6 * 7?' } }, { ...owner.headers, traceparent: traceparent(caller) })
    expect(r.body.errors).toBeUndefined()
    expect((await until(t, owner, r.body.data!.runAgent.execution.id, ['SUCCEEDED'])).status).toBe('SUCCEEDED')
    await eventually(() => expect(spans(caller.traceId).some((s) => s.name.startsWith('invoke_agent'))).toBe(true), 5_000)

    const all = spans(caller.traceId)
    const operation = one(all, 'mutation.RunAgent')
    expect(parentOf(operation)).toBe(caller.spanId)
    const run = one(all, /^invoke_agent /)
    expect(parentOf(run)).toBe(operation.spanContext().spanId)
    expect(run.attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.request.model': 'mock-1' })

    const chats = all.filter((s) => s.name === 'chat mock-1')
    expect(chats.length).toBeGreaterThanOrEqual(2) // the turn that calls the tool, the turn that answers
    for (const chat of chats) {
      expect(parentOf(chat)).toBe(run.spanContext().spanId)
      expect(chat.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'mock-1', 'gen_ai.provider.name': 'mock' })
      expect(chat.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0)
      expect(chat.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0)
    }
    expect(chats[0]!.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls'])
    const tool = one(all, 'execute_tool calculator')
    expect(parentOf(tool)).toBe(run.spanContext().spanId)
    expect(tool.attributes).toMatchObject({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'calculator', 'gen_ai.tool.type': 'function' })
    expect(tool.attributes['gen_ai.tool.call.id']).toEqual(expect.any(String))

    // Database work on both sides of the queue, with statements inside their transaction.
    const transactions = all.filter((s) => s.name === 'transaction')
    expect(transactions.some((s) => under(all, s, operation))).toBe(true)
    expect(transactions.some((s) => under(all, s, run))).toBe(true)
    const insert = all.find((s) => s.attributes['db.operation.name'] === 'INSERT' && under(all, s, operation))!
    expect(insert.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.query.text': expect.stringContaining('INSERT') })
    expect(transactions.some((tx) => parentOf(insert) === tx.spanContext().spanId)).toBe(true)
    if (services.redisUrl) {
      expect(all.some((s) => s.attributes['db.system.name'] === 'redis' && under(all, s, operation))).toBe(true)
    }
    // Nothing of the tenant's content is attached.
    expect(JSON.stringify(all.map((s) => s.attributes))).not.toContain('6 * 7')
  })

  it('honours the traceparent of a graphql-ws operation, else of its connection', async () => {
    const connection = incoming()
    const ws = connectWs(t.port!, { authorization: owner.headers.authorization, traceparent: traceparent(connection) })
    const own = incoming()
    await new Promise<void>((resolve, reject) => ws.client.subscribe(
      { query: 'subscription Beat { heartbeat(intervalSeconds: 1, count: 1) }', extensions: { traceparent: traceparent(own) } },
      { next: () => {}, error: reject, complete: resolve }))
    await new Promise<void>((resolve, reject) => ws.client.subscribe(
      { query: 'query Viewer { serverInfo { mode } }' }, { next: () => {}, error: reject, complete: resolve }))
    await eventually(() => expect(spans(connection.traceId)).toHaveLength(1), 5_000)
    expect(parentOf(one(spans(own.traceId), 'subscription.Beat'))).toBe(own.spanId)
    expect(parentOf(one(spans(connection.traceId), 'query.Viewer'))).toBe(connection.spanId)
    await ws.client.dispose()
  })

  it('ignores a malformed traceparent and starts a new trace', async () => {
    const before = new Set(exporter.getFinishedSpans())
    const r = await t.gql('query Malformed { serverInfo { mode } }', {}, { traceparent: '00-zz-not-a-trace' })
    expect(r.status).toBe(200)
    const op = exporter.getFinishedSpans().find((s) => !before.has(s) && s.name === 'query.Malformed')!
    expect(op).toBeDefined()
    expect(parentOf(op)).toBeUndefined()
  })

  it('makes a call of an MCP tool an execute_tool span of the run, of type extension', async () => {
    const created = await t.gql<{ createMcpServer: { mcpServer: { tools: { id: string; name: string }[] } } }>(
      'mutation($input: CreateMcpServerInput!) { createMcpServer(input: $input) { mcpServer { tools { id name } } } }',
      { input: { name: 'files', url: mcp.url, allowedTools: ['reverse'] } }, owner.headers)
    expect(created.body.errors, JSON.stringify(created.body.errors)).toBeUndefined()
    const [reverse] = created.body.data!.createMcpServer.mcpServer.tools
    const agent = await t.gql<{ createAgent: { agent: { id: string } } }>('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }',
      { input: { name: 'mcp traced', model: 'mock-1', toolIds: [reverse!.id], timeoutSeconds: 30, maxToolCalls: 2 } }, owner.headers)
    expect(agent.body.errors, JSON.stringify(agent.body.errors)).toBeUndefined()
    const caller = incoming()
    const r = await t.gql<{ runAgent: { execution: { id: string } } }>('mutation RunMcp($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }',
      { input: { agentId: agent.body.data!.createAgent.agent.id, prompt: `please ${reverse!.name} hello` } }, { ...owner.headers, traceparent: traceparent(caller) })
    expect(r.body.errors).toBeUndefined()
    expect((await until(t, owner, r.body.data!.runAgent.execution.id, ['SUCCEEDED'])).status).toBe('SUCCEEDED')
    await eventually(() => expect(spans(caller.traceId).some((s) => s.name === `execute_tool ${reverse!.name}`)).toBe(true), 5_000)
    const all = spans(caller.traceId)
    const tool = one(all, `execute_tool ${reverse!.name}`)
    expect(parentOf(tool)).toBe(one(all, /^invoke_agent /).spanContext().spanId)
    expect(tool.attributes).toMatchObject({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': reverse!.name, 'gen_ai.tool.type': 'extension' })
    expect(tool.attributes['error.type']).toBeUndefined()
    // And counted under its own kind.
    expect(await t.app.deps.metrics.render()).toMatch(/^tool_calls_total\{kind="mcp",outcome="ok"\} [1-9]/m)
  })

  it('makes each webhook delivery attempt a deliver_webhook span with its outcome, without URL or body', async () => {
    const before = new Set(exporter.getFinishedSpans())
    const receiver = await startReceiver()
    receiver.on('/traced', (n) => (n === 1 ? 503 : 204))
    const { webhook } = await createWebhook(t, owner, { url: receiver.url('/traced'), events: ['tool.create'] })
    await createEchoTool(t, owner, 'traced_echo')
    await eventually(async () => expect((await deliveries(t, owner, webhook.id)).map((d) => d.status)).toEqual(['SUCCEEDED']), 15_000)
    // The span ends just after the attempt is recorded.
    const attemptSpans = () => exporter.getFinishedSpans().filter((s) => !before.has(s) && s.name.startsWith('deliver_webhook'))
    await eventually(() => expect(attemptSpans()).toHaveLength(2), 5_000)
    const attempts = attemptSpans()
    expect(attempts.map((s) => [s.name, s.attributes['agent_platform.webhook.attempt'], s.attributes['http.response.status_code'], s.attributes['agent_platform.webhook.outcome']]))
      .toEqual([['deliver_webhook tool.create', 1, 503, 'failed'], ['deliver_webhook tool.create', 2, 204, 'succeeded']])
    expect(attempts[0]!.attributes['error.type']).toBe('503')
    expect(new Set(attempts.map((s) => s.attributes['agent_platform.webhook.delivery.id'])).size).toBe(1)
    for (const s of attempts) expect(s.parentSpanId).toBeUndefined()
    expect(JSON.stringify(attempts.map((s) => s.attributes))).not.toContain('127.0.0.1')
  })

  it('makes tools/call on /mcp a child of the MCP client traceparent, and the run it queues joins that trace', async () => {
    const tenant = await signUp(t)
    await seedAgent(t, tenant, { tools: ['calculator'] })
    const key = await createApiKey(t, tenant, ['EXECUTIONS_RUN'])
    const caller = incoming()
    const client = new Client({ name: 'traced-client', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${t.port}/mcp`), {
      requestInit: { headers: { authorization: key.headers.authorization, traceparent: traceparent(caller) } },
    }))
    let executionId: string
    try {
      const { tools } = await client.listTools()
      const result = await client.callTool({ name: tools[0]!.name, arguments: { prompt: 'use calculator to compute 2 + 3 * 4' } })
      expect(result.isError, JSON.stringify(result.content)).toBe(false)
      executionId = (result.structuredContent as { executionId: string }).executionId
    } finally {
      await client.close()
    }
    // tools/call waits for the run only so long; the worker's span ends with the run.
    expect((await until(t, tenant, executionId, ['SUCCEEDED'])).status).toBe('SUCCEEDED')
    await eventually(() => expect(spans(caller.traceId).some((s) => s.name.startsWith('invoke_agent'))).toBe(true), 5_000)
    const all = spans(caller.traceId)
    const call = one(all, /^tools\/call /)
    expect(parentOf(call)).toBe(caller.spanId)
    expect(call.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.operation.name': 'execute_tool' })
    expect(parentOf(one(all, /^invoke_agent /))).toBe(call.spanContext().spanId)
    expect(all.some((s) => s.name === 'execute_tool calculator')).toBe(true)
  })

  it('carries the traceparent of a retryExecution request into the retried run', async () => {
    const failed = await t.gql<{ runAgent: { execution: { id: string } } }>('mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }',
      { input: { agentId, prompt: 'fail now [[mock:fail=permanent]]' } }, owner.headers)
    expect(failed.body.errors).toBeUndefined()
    expect((await until(t, owner, failed.body.data!.runAgent.execution.id, ['FAILED'])).status).toBe('FAILED')
    const caller = incoming()
    const r = await t.gql<{ retryExecution: { execution: { id: string } } }>('mutation Retry($id: ID!) { retryExecution(input: { id: $id }) { execution { id } } }',
      { id: failed.body.data!.runAgent.execution.id }, { ...owner.headers, traceparent: traceparent(caller) })
    expect(r.body.errors).toBeUndefined()
    await until(t, owner, r.body.data!.retryExecution.execution.id, ['FAILED'])
    await eventually(() => expect(spans(caller.traceId).some((s) => s.name.startsWith('invoke_agent'))).toBe(true), 5_000)
    const all = spans(caller.traceId)
    expect(parentOf(one(all, /^invoke_agent /))).toBe(one(all, 'mutation.Retry').spanContext().spanId)
  })

  it('continues the traceparent of an AG-UI HTTP run (POST /agui/agents/:id) into the worker', async () => {
    const caller = incoming()
    const r = await fetch(`http://127.0.0.1:${t.port}/agui/agents/${encodeURIComponent(agentId)}`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...owner.headers, traceparent: traceparent(caller) },
      body: JSON.stringify({ threadId: randomUUID(), runId: randomUUID(), messages: [{ id: randomUUID(), role: 'user', content: 'hello there' }], tools: [], context: [], state: {}, forwardedProps: {} }),
    })
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('RUN_FINISHED')
    await eventually(() => expect(spans(caller.traceId).some((s) => s.name.startsWith('invoke_agent'))).toBe(true), 5_000)
    const all = spans(caller.traceId)
    const operation = all.find((s) => parentOf(s) === caller.spanId)!
    expect(operation.name).toMatch(/^mutation/)
    expect(parentOf(one(all, /^invoke_agent /))).toBe(operation.spanContext().spanId)
  })
})
