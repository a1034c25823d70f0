// Plain Node example of @agent-platform/client: sign up, create an agent on the mock model, run it and print the
// run's AG-UI event types as they stream in. Usage: API_URL=http://localhost:4000/graphql node watch-run.mjs
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { createClient, CreateAgentDocument, ExecutionEventsDocument, RunAgentDocument } from '@agent-platform/client'

const client = createClient({ url: process.env.API_URL ?? 'http://localhost:4000/graphql', webSocketImpl: WebSocket })
await client.signUp({ tenantName: `Example ${randomUUID().slice(0, 8)}`, email: `${randomUUID()}@example.com`, password: 'correct horse battery staple' })
const { createAgent } = await client.request(CreateAgentDocument, { input: { name: 'helper', model: 'mock-1', systemPrompt: 'You are helpful.' } })
const { runAgent } = await client.request(RunAgentDocument, { input: { agentId: createAgent.agent.id, prompt: 'Hello there!' } })
const types = []
await new Promise((resolve, reject) => {
  client.subscribe(ExecutionEventsDocument, { executionId: runAgent.execution.id, after: null }, {
    next: (data) => types.push(data.executionEvents.type),
    complete: resolve,
    error: reject,
  })
})
console.log(JSON.stringify({ executionId: runAgent.execution.id, types }))
await client.dispose()
