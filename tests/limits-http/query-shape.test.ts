// Every query-shape limit at its limit (accepted) and one past it (QUERY_TOO_COMPLEX before execution), over HTTP
// and WebSocket: tokens, depth, aliases (including __typename), directives, cost (variables counted by value),
// string length (literals and variables); batching and body size over HTTP; message size over WebSocket.
import WebSocket from 'ws'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { connectWs, type WsConnection } from '../helpers/ws.ts'

const limits = {
  QUERY_MAX_TOKENS: '40',
  QUERY_MAX_DEPTH: '4',
  QUERY_MAX_ALIASES: '3',
  QUERY_MAX_DIRECTIVES: '2',
  QUERY_MAX_COST: '31',
  QUERY_MAX_STRING_LENGTH: '64',
  GRAPHQL_BATCH_LIMIT: '2',
  REQUEST_MAX_BODY_BYTES: '2048',
  WS_MAX_MESSAGE_BYTES: '2048',
}

let t: TestApp
let owner: Session
let ws: WsConnection
beforeAll(async () => {
  t = await startApp(limits, { listen: true })
  owner = await signUp(t)
  ws = connectWs(t.port!, { authorization: owner.headers.authorization })
  return () => ws.client.dispose()
})

// 20 tokens + one per scope (commas are not tokens); cheap in cost whatever its length.
const tokens = (n: number) => `mutation { createApiKey(input: { name: "k" scopes: [${Array.from({ length: n }, () => 'TOOLS_READ').join(', ')}] }) { secret } }`
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`
const directives = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `d${i}: __typename @include(if: true)`).join(' ')} }`
const costly = 'query($n: Int) { apiKeys(first: $n) { edges { node { id } } } }' // 1 + 3n
const string = (n: number) => 'x'.repeat(n)

interface Case {
  name: string
  reason: string
  ok: [string, Record<string, unknown>?]
  over: [string, Record<string, unknown>?]
  actual?: number
}

const cases: Case[] = [
  { name: 'tokens', reason: 'tokens', ok: [tokens(20)], over: [tokens(21)], actual: 41 },
  { name: 'depth', reason: 'depth', ok: ['{ viewer { tenant { usage { executions } } } }'], over: ['{ viewer { tenant { usage { limits { executionsPerMonth } } } } }'], actual: 5 },
  { name: 'depth through fragments', reason: 'depth', ok: ['{ viewer { ...T } } fragment T on Viewer { tenant { usage { executions } } }'], over: ['{ viewer { ...T } } fragment T on Viewer { tenant { usage { limits { tokensPerMonth } } } }'], actual: 5 },
  { name: 'aliases (including __typename)', reason: 'aliases', ok: [aliases(3)], over: [aliases(4)], actual: 4 },
  { name: 'directives', reason: 'directives', ok: [directives(2)], over: [directives(3)], actual: 3 },
  { name: 'cost, counting a variable page size by value', reason: 'cost', ok: [costly, { n: 10 }], over: [costly, { n: 11 }], actual: 34 },
  { name: 'cost, with a literal page size', reason: 'cost', ok: ['{ apiKeys(first: 10) { edges { node { id } } } }'], over: ['{ apiKeys(first: 11) { edges { node { id } } } }'], actual: 34 },
  { name: 'string variables', reason: 'string_length', ok: ['query($a: String) { apiKeys(after: $a) { totalCount } }', { a: string(64) }], over: ['query($a: String) { apiKeys(after: $a) { totalCount } }', { a: string(65) }], actual: 65 },
  { name: 'string literals', reason: 'string_length', ok: [`{ apiKeys(after: "${string(64)}") { totalCount } }`], over: [`{ apiKeys(after: "${string(65)}") { totalCount } }`], actual: 65 },
]

const codes = (errors?: readonly { extensions?: Record<string, unknown> }[]) => (errors ?? []).map((e) => e.extensions?.code)

describe('query-shape limits over HTTP', () => {
  it.each(cases)('$name: accepted at the limit, QUERY_TOO_COMPLEX one past it', async ({ reason, ok, over, actual }) => {
    const accepted = await t.gql(ok[0], ok[1], owner.headers)
    expect(codes(accepted.body.errors)).not.toContain('QUERY_TOO_COMPLEX')
    const refused = await t.gql(over[0], over[1], owner.headers)
    expect(refused.status).toBe(400)
    expect(refused.body.data ?? null).toBeNull()
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason, limit: expect.any(Number), requestId: expect.any(String), ...(actual && { actual }) })
  })

  it('bounds batching: GRAPHQL_BATCH_LIMIT operations accepted, one more refused', async () => {
    const batch = (n: number) => t.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(Array.from({ length: n }, () => ({ query: '{ __typename }' }))) })
    const ok = await batch(2)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual([{ data: { __typename: 'Query' } }, { data: { __typename: 'Query' } }])
    const over = await batch(3)
    expect(over.status).toBe(400)
    expect(((await over.json()) as { errors: { extensions: unknown }[] }).errors[0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'batch', limit: 2, actual: 3 })
  })

  it('refuses batches outright when batching is off (the default)', async () => {
    const plain = await startApp()
    const r = await plain.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ __typename }' }]) })
    expect(r.status).toBe(400)
    expect(((await r.json()) as { errors: { extensions: unknown }[] }).errors[0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'batch', limit: 0 })
  })

  it('bounds the request body: REQUEST_MAX_BODY_BYTES accepted, one byte more refused with 413', async () => {
    const body = (bytes: number) => {
      const json = JSON.stringify({ query: '{ __typename }' })
      return json + ' '.repeat(bytes - Buffer.byteLength(json))
    }
    const send = (bytes: number, chunked = false) => fetch(`http://127.0.0.1:${t.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Chunked: no Content-Length, so the size is only known while reading.
      body: chunked ? new Blob([body(bytes)]).stream() : body(bytes),
      ...(chunked && { duplex: 'half' }),
    } as RequestInit)
    for (const chunked of [false, true]) {
      const ok = await send(2048, chunked)
      expect(ok.status).toBe(200)
      const over = await send(2049, chunked)
      expect(over.status).toBe(413)
      expect(((await over.json()) as { errors: { extensions: unknown }[] }).errors[0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'body_size', limit: 2048 })
    }
  })
})

describe('query-shape limits over WebSocket', () => {
  it.each(cases)('$name: accepted at the limit, the operation’s error one past it (the socket stays open)', async ({ reason, ok, over, actual }) => {
    const [accepted] = await ws.collect(ok[0], ok[1]).catch((e: unknown) => [{ errors: e as { extensions: Record<string, unknown> }[] }])
    expect(codes(accepted!.errors as never)).not.toContain('QUERY_TOO_COMPLEX')
    const refused = await ws.collect(over[0], over[1]).then(() => undefined, (e: unknown) => e)
    expect(refused).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', reason, ...(actual && { actual }) }) })])
    expect(JSON.stringify(refused)).not.toMatch(/"http"|stack|originalError/)
    expect(ws.closes).toEqual([])
  })

  it('closes a socket that sends a message over WS_MAX_MESSAGE_BYTES with 1009, and accepts one at the limit', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${t.port}/graphql`, 'graphql-transport-ws')
    const messages: { type: string; id?: string }[] = []
    socket.on('message', (m) => messages.push(JSON.parse(String(m))))
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))
    await new Promise((r) => socket.once('open', r))
    socket.send(JSON.stringify({ type: 'connection_init' }))
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
    }
    await until(() => messages.some((m) => m.type === 'connection_ack'))
    const padded = (id: string, bytes: number) => {
      const json = JSON.stringify({ id, type: 'subscribe', payload: { query: '{ __typename }' } })
      return json + ' '.repeat(bytes - Buffer.byteLength(json))
    }
    socket.send(padded('at-limit', 2048))
    await until(() => messages.some((m) => m.id === 'at-limit' && m.type === 'complete'))
    expect(messages.filter((m) => m.id === 'at-limit').map((m) => m.type)).toEqual(['next', 'complete'])
    socket.send(padded('over', 2049))
    expect(await closed).toBe(1009)
  })
})
