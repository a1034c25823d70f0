// Running agents and reading their event logs in tests.
import { expect } from 'vitest'
import { verifyEvents, type BaseEvent } from '@ag-ui/client'
import { from, lastValueFrom, toArray } from 'rxjs'
import type { TestApp } from './app.ts'
import type { Session } from './tenants.ts'

export interface RunResult {
  id: string
  status: string
  output: string | null
  attempt: number
  error: { code: string; message: string } | null
  usage: { promptTokens: number; completionTokens: number; totalTokens: number }
}

const fields = 'id status output attempt error usage { promptTokens completionTokens totalTokens }'

/** runAgent; returns the execution (finished when `wait`). */
export async function run(t: TestApp, s: Session, input: Record<string, unknown>): Promise<RunResult> {
  const r = await t.gql<{ runAgent: { execution: RunResult } }>(`mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { ${fields} } } }`, { input }, s.headers)
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  return r.body.data!.runAgent.execution
}

export async function execution(t: TestApp, s: Session, id: string): Promise<RunResult> {
  const r = await t.gql<{ execution: RunResult }>(`query($id: ID!) { execution(id: $id) { ${fields} } }`, { id }, s.headers)
  return r.body.data!.execution
}

/** Polls until the execution reaches one of `statuses`. */
export async function until(t: TestApp, s: Session, id: string, statuses: string[], ms = 20_000): Promise<RunResult> {
  const end = Date.now() + ms
  for (;;) {
    const e = await execution(t, s, id)
    if (statuses.includes(e.status) || Date.now() > end) return e
    await new Promise((r) => setTimeout(r, 50))
  }
}

export interface LoggedEvent {
  seq: number
  cursor: string
  type: string
  event: BaseEvent & Record<string, unknown>
}

/** The whole event log through `execution.events`. */
export async function eventLog(t: TestApp, s: Session, id: string): Promise<LoggedEvent[]> {
  const out: LoggedEvent[] = []
  let after: string | null = null
  for (;;) {
    const r: { body: { data?: { execution: { events: { edges: { node: LoggedEvent }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } | null } } =
      await t.gql('query($id: ID!, $after: String) { execution(id: $id) { events(first: 200, after: $after) { edges { node { seq cursor type event } } pageInfo { hasNextPage endCursor } } } }', { id, after }, s.headers)
    const events = r.body.data!.execution.events
    out.push(...events.edges.map((e) => e.node))
    if (!events.pageInfo.hasNextPage) return out
    after = events.pageInfo.endCursor
  }
}

/** Passes the events through @ag-ui/client's protocol verifier; rejects on the first violation. */
export const verify = (events: BaseEvent[]) => lastValueFrom(from(events).pipe(verifyEvents(false), toArray()))

/** seq 1..n, each exactly once, in order. */
export function expectGapless(events: { seq: number }[]) {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
}
