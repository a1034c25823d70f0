// PII redaction end to end: with `redactPii` on, a run's prompt, the messages and output, the tool arguments and
// results (as stored and as given back to the model), the event log, tenant events and audit entries hold
// `[REDACTED:<KIND>]` instead of what was typed or returned; with it off, nothing changes.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { run } from '../helpers/runs.ts'
import { codeOf, signUp, type Session } from '../helpers/tenants.ts'
import { json, startToolServer } from '../tools/tool-server.ts'
import { rawId } from '../catalog/support.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp({ HTTP_TOOLS_ALLOW_PRIVATE_NETWORKS: 'true', HTTP_TOOLS_ALLOW_INSECURE: 'true' })
})

const personal = {
  email: 'jane.doe@example.com',
  card: '4111 1111 1111 1111',
  phone: '+1 415 555 2671',
  iban: 'DE89 3704 0044 0532 0130 00',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
}
const prompt = `please echo ${personal.email} ${personal.card} ${personal.phone} ${personal.iban} ${personal.jwt}`

const setRedaction = async (s: Session, on: boolean) => {
  const r = await t.gql<{ updateTenant: { tenant: { redactPii: boolean } } }>('mutation($on: Boolean) { updateTenant(input: { redactPii: $on }) { tenant { redactPii } } }', { on }, s.headers)
  expect(r.body.errors).toBeUndefined()
  expect(r.body.data!.updateTenant.tenant.redactPii).toBe(on)
}

/** Everything stored for the tenant that redaction covers, as one string. */
async function stored(s: Session): Promise<string> {
  const db = t.app.deps.db.forTenant(rawId(s.tenantId)).client
  const [executions, events, threads, audit, tenantEvents] = await Promise.all([
    db.execution.findMany({ select: { input: true, output: true, messages: true, error: true } }),
    db.executionEvent.findMany({ select: { payload: true } }),
    db.thread.findMany({ select: { title: true } }),
    db.auditLog.findMany({ select: { changes: true, metadata: true } }),
    db.tenantEvent.findMany({ select: { data: true } }),
  ])
  return JSON.stringify({ executions, events, threads, audit, tenantEvents })
}

describe('redactPii', () => {
  it('is off by default: what is typed is stored as typed', async () => {
    const owner = await signUp(t)
    const agentId = await seedAgent(t, owner, { tools: ['echo'] })
    const done = await run(t, owner, { agentId, prompt, wait: true })
    expect(done.status).toBe('SUCCEEDED')
    const text = await stored(owner)
    for (const value of Object.values(personal)) expect(text).toContain(value)
  })

  it('redacts prompts, tool arguments, outputs, messages, events and audit entries before storing them', async () => {
    const owner = await signUp(t)
    await setRedaction(owner, true)
    const agentId = await seedAgent(t, owner, { tools: ['echo'] })
    const done = await run(t, owner, { agentId, prompt, wait: true })
    expect(done.status).toBe('SUCCEEDED')
    expect(done.output).toContain('[REDACTED:EMAIL]')
    const text = await stored(owner)
    for (const [kind, value] of Object.entries(personal)) {
      expect(text, kind).not.toContain(value)
      expect(text, kind).not.toContain(value.replace(/ /g, ''))
    }
    for (const kind of ['EMAIL', 'CARD', 'PHONE', 'IBAN', 'SECRET']) expect(text).toContain(`[REDACTED:${kind}]`)
    // The echo tool was called, and its arguments are stored redacted.
    const args = await t.app.deps.db.forTenant(rawId(owner.tenantId)).client.executionEvent.findMany({ where: { type: 'TOOL_CALL_ARGS' }, select: { payload: true } })
    expect(args.length).toBeGreaterThan(0)
    expect(JSON.stringify(args)).toContain('[REDACTED:EMAIL]')

    // A catalog change with personal data: the audit entry and the tenant event are redacted.
    const tool = await t.gql<{ createTool: { tool: { id: string } } }>(`mutation { createTool(input: { name: "contact", description: "ask ${personal.email}", kind: BUILTIN, handler: "echo" }) { tool { id } } }`, undefined, owner.headers)
    expect(tool.body.errors).toBeUndefined()
    const after = await stored(owner)
    expect(after).not.toContain(personal.email)
  })

  it('redacts tool results before they are stored or given back to the model', async () => {
    const server = await startToolServer((_req, res) => json(res, 200, { contact: 'bob.smith@corp.example', iban: 'GB82WEST12345698765432' }))
    {
      const owner = await signUp(t)
      await setRedaction(owner, true)
      const created = await t.gql<{ createTool: { tool: { id: string } } }>('mutation($u: String!) { createTool(input: { name: "lookup", description: "Looks up.", kind: HTTP, url: $u }) { tool { id } } }', { u: `http://127.0.0.1:${server.port}/lookup` }, owner.headers)
      expect(created.body.errors).toBeUndefined()
      const agent = await t.gql<{ createAgent: { agent: { id: string } } }>('mutation($t: ID!) { createAgent(input: { name: "looker", model: "mock-1", toolIds: [$t] }) { agent { id } } }', { t: created.body.data!.createTool.tool.id }, owner.headers)
      const done = await run(t, owner, { agentId: agent.body.data!.createAgent.agent.id, prompt: 'Please lookup the answer', wait: true })
      expect(done.status).toBe('SUCCEEDED')
      // The mock's answer quotes the tool result it was given: redacted, so the model never saw the values.
      expect(done.output).toContain('The lookup tool returned')
      expect(done.output).toContain('[REDACTED:EMAIL]')
      expect(done.output).toContain('[REDACTED:IBAN]')
      const text = await stored(owner)
      expect(text).not.toContain('bob.smith@corp.example')
      expect(text).not.toContain('GB82WEST12345698765432')
    }
  })

  it('takes a boolean only', async () => {
    const owner = await signUp(t)
    const r = await t.gql('mutation { updateTenant(input: { redactPii: "yes" }) { tenant { redactPii } } }', undefined, owner.headers)
    expect(codeOf(r)).toBe('VALIDATION_FAILED')
  })
})
