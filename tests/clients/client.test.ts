// createClient against the real server: token refresh, retries that honour retryAfter, resumable subscriptions.
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { beforeAll, describe, expect, it } from 'vitest'
import { createClient, CreateAgentDocument, ExecutionEventsDocument, RunAgentDocument, ViewerDocument } from '../../clients/index.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { password, signUp } from '../helpers/tenants.ts'

let t: TestApp
let url: string
beforeAll(async () => {
  t = await startApp({}, { listen: true })
  url = `http://127.0.0.1:${t.port}/graphql`
})

describe('createClient', () => {
  it('signs up, runs an agent and streams its events to the end', async () => {
    const client = createClient({ url, webSocketImpl: WebSocket })
    await client.signUp({ tenantName: `T ${randomUUID().slice(0, 8)}`, email: `${randomUUID()}@example.test`, password })
    const { createAgent } = await client.request(CreateAgentDocument, { input: { name: 'a', model: 'mock-1', systemPrompt: 'You are helpful.' } })
    const { runAgent } = await client.request(RunAgentDocument, { input: { agentId: createAgent.agent.id, prompt: 'hi' } })
    const types: string[] = []
    await new Promise<void>((resolve, reject) => client.subscribe(ExecutionEventsDocument, { executionId: runAgent.execution.id, after: null }, { next: (d) => void types.push(d.executionEvents.type), complete: resolve, error: reject }))
    expect(types[0]).toBe('RUN_STARTED')
    expect(types.at(-1)).toBe('RUN_FINISHED')
    await client.dispose()
  })

  it('refreshes an access token the server refuses, once, and reports the new pair', async () => {
    const s = await signUp(t)
    const seen: string[] = []
    const client = createClient({ url, accessToken: 'expired.or.revoked', refreshToken: s.refreshToken, onTokens: (p) => void seen.push(p.accessToken) })
    const { viewer } = await client.request(ViewerDocument)
    expect(viewer.principal.kind).toBe('USER')
    expect(seen).toHaveLength(1)
    expect(client.tokens().refreshToken).not.toBe(s.refreshToken)
  })

  it('retries RATE_LIMITED and SERVICE_UNAVAILABLE after retryAfter, and gives up after maxRetries', async () => {
    const s = await signUp(t)
    let refusals = 2
    const calls: number[] = []
    // The refusal is simulated (a real one needs a 60 s window); the retried request goes to the real server.
    const flaky: typeof fetch = async (input, init) => {
      calls.push(Date.now())
      if (refusals-- > 0) return new Response(JSON.stringify({ errors: [{ message: 'slow down', extensions: { code: refusals ? 'RATE_LIMITED' : 'SERVICE_UNAVAILABLE', retryAfter: 0.2 } }] }), { status: 429 })
      return fetch(input, init)
    }
    const client = createClient({ url, accessToken: s.accessToken, fetch: flaky })
    expect((await client.request(ViewerDocument)).viewer.tenant.id).toBe(s.tenantId)
    expect(calls).toHaveLength(3)
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(190)
    const stubborn = createClient({ url, accessToken: s.accessToken, maxRetries: 1, fetch: async () => new Response(JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'RATE_LIMITED', retryAfter: 0 } }] }), { status: 429 }) })
    await expect(stubborn.request(ViewerDocument)).rejects.toMatchObject({ code: 'RATE_LIMITED' })
  })
})
