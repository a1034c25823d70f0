// The run state machine. The lifecycle's table refuses every status change it does not list, through `transition`
// (the one write that changes a status), and the database trigger executions_status_transition agrees with it.
import { beforeAll, describe, expect, it } from 'vitest'
import type { ExecutionStatus } from '../../src/generated/prisma/enums.ts'
import { transition, transitions } from '../../src/services/runs/lifecycle.ts'
import type { TenantDb } from '../../src/db/scope.ts'
import { raw } from '../helpers/agents.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { signUp } from '../helpers/tenants.ts'

const statuses = Object.keys(transitions) as ExecutionStatus[]
const changes = statuses.flatMap((from) => statuses.filter((to) => to !== from).map((to) => [from, to] as const))
const legal = changes.filter(([from, to]) => transitions[from].includes(to))
const illegal = changes.filter(([from, to]) => !transitions[from].includes(to))

let t: TestApp
let db: TenantDb
beforeAll(async () => {
  t = await startApp({ WORKERS: '0' }) // no worker may claim the rows these tests move by hand
  db = t.app.deps.db.forTenant(raw((await signUp(t)).tenantId))
})

const move = (id: string, from: ExecutionStatus, to: ExecutionStatus) => db.tx((tx) => transition(t.app.deps, tx, { id, from, to }))
const statusOf = async (id: string) => (await db.client.execution.findUniqueOrThrow({ where: { id } })).status

/** A new run in `status`, reached through legal changes only. */
async function runIn(status: ExecutionStatus): Promise<string> {
  const thread = await db.client.thread.create({ data: { tenantId: db.tenantId } })
  const { id } = await db.client.execution.create({ data: { tenantId: db.tenantId, threadId: thread.id, requestHash: 'h', model: 'mock-1', input: {}, agentSnapshot: {} } })
  const path: ExecutionStatus[] = status === 'QUEUED' ? [] : status === 'RUNNING' ? ['RUNNING'] : ['RUNNING', status]
  let from: ExecutionStatus = 'QUEUED'
  for (const to of path) {
    expect(await move(id, from, to)).toBeDefined()
    from = to
  }
  return id
}

describe('transition', () => {
  it('has illegal changes to refuse (the table is not trivially permissive)', () => {
    expect(illegal.length).toBe(34)
  })

  it.each(illegal)('refuses %s -> %s', async (from, to) => {
    const id = await runIn(from)
    await expect(move(id, from, to)).rejects.toThrow(`invalid execution transition ${from} -> ${to}`)
    expect(await statusOf(id)).toBe(from)
  })

  it.each(legal)('makes %s -> %s, only while the run is still in its source status', async (from, to) => {
    const id = await runIn(from)
    expect(await move(id, from, to)).toMatchObject({ id, tenantId: db.tenantId })
    expect(await statusOf(id)).toBe(to)
    expect(await move(id, from, to)).toBeUndefined()
    expect(await statusOf(id)).toBe(to)
  })
})

describe('the database trigger', () => {
  it.each(changes)('agrees with the table on %s -> %s', async (from, to) => {
    const id = await runIn(from)
    const write = db.tx((tx) => tx.$executeRaw`UPDATE executions SET status = ${to}::"ExecutionStatus" WHERE id = ${id}::uuid`)
    if (transitions[from].includes(to)) await expect(write).resolves.toBe(1)
    else await expect(write).rejects.toThrow(`invalid execution status transition ${from} -> ${to}`)
    expect(await statusOf(id)).toBe(transitions[from].includes(to) ? to : from)
  })
})
