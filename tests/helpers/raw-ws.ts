// A bare graphql-transport-ws client (the `ws` package, no graphql-ws client) that records every frame the server
// sends, raw and parsed, and a run the test writes itself as its claimed writer: for checking frames on the wire.
import { expect } from 'vitest'
import WebSocket from 'ws'
import { ev, toWire } from '../../src/events/agui.ts'
import { claimNext } from '../../src/services/runs/claims.ts'
import { endRun } from '../../src/services/runs/terminal.ts'
import { appendAsWriter } from '../../src/services/runs/writer.ts'
import { rawId } from '../catalog/support.ts'
import type { TestApp } from './app.ts'
import { seedAgent } from './agents.ts'
import { run } from './runs.ts'
import type { Session } from './tenants.ts'
import { eventually } from './ws.ts'

export const EVENTS = 'subscription($id: ID!, $after: String) { executionEvents(executionId: $id, after: $after) { seq cursor type } }'
export const WITH_BODY = 'subscription($id: ID!, $after: String) { executionEvents(executionId: $id, after: $after) { seq cursor type event } }'
export type Frame = { id?: string; type: string; payload?: { data?: { executionEvents: { seq: number; cursor: string; type: string } }; errors?: unknown } }

/** A connected, acknowledged bare socket of `s`. */
export async function rawSocket(t: TestApp, s: Session, query = EVENTS) {
  const socket = new WebSocket(`ws://127.0.0.1:${t.port}/graphql`, 'graphql-transport-ws')
  const raw: string[] = []
  const frames: Frame[] = []
  socket.on('message', (data) => {
    raw.push(String(data))
    frames.push(JSON.parse(String(data)) as Frame)
  })
  await new Promise((r) => socket.once('open', r))
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: s.headers.authorization } }))
  await eventually(() => expect(frames.some((f) => f.type === 'connection_ack')).toBe(true))
  const of = (id: string) => frames.filter((f) => f.id === id)
  return {
    socket,
    raw,
    frames,
    subscribe: (id: string, variables: Record<string, unknown>) => socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } })),
    complete: (id: string) => socket.send(JSON.stringify({ id, type: 'complete' })),
    of,
    seqs: (id: string) => of(id).filter((f) => f.type === 'next').map((f) => f.payload!.data!.executionEvents.seq),
    cursorOf: (id: string, seq: number) => of(id).find((f) => f.payload?.data?.executionEvents.seq === seq)!.payload!.data!.executionEvents.cursor,
  }
}

/** A queued run of `s` claimed by the test, with RUN_STARTED and TEXT_MESSAGE_START in its log (seq 1 and 2). */
export async function claimedRun(t: TestApp, s: Session) {
  const e = await run(t, s, { agentId: await seedAgent(t, s), prompt: 'raw frames' })
  const claimed = await claimNext(t.app.deps, 'raw-ws-test')
  expect(claimed?.id).toBe(rawId(e.id))
  const writer = { tenantId: rawId(s.tenantId), executionId: claimed!.id, claim: claimed!.claim }
  const append = (n: number, from = 0, text = (i: number) => `w${i} `) => (async () => {
    for (let i = 0; i < n; i++) await appendAsWriter(t.app.deps, writer, [toWire(ev.textContent('m', text(from + i)))])
  })()
  await appendAsWriter(t.app.deps, writer, [toWire(ev.runStarted('t', 'r')), toWire(ev.textStart('m'))])
  const end = () => endRun(t.app.deps, writer, [toWire(ev.textEnd('m')), toWire(ev.runFinished('t', 'r', { promptTokens: 0, completionTokens: 0 }, 'mock-1', 'success'))], { status: 'SUCCEEDED' })
  return { id: e.id, writer, append, end }
}

export const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)
