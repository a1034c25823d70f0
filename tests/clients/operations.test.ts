// The client package covers the whole public API: a document for every root field of the schema, and the documents
// added for members, invitations, API keys, logout, webhooks, MCP servers and the tenant lifecycle work end to end
// through createClient against the real server.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../clients/index.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { password, uniqueEmail } from '../helpers/tenants.ts'
import { eventually } from '../helpers/ws.ts'
import { startTestMcpServer, type TestMcpServer } from '../mcp/mcp-test-server.ts'

const root = path.resolve(import.meta.dirname, '../..')

describe('client documents', () => {
  it('has a document for every query, mutation and subscription of the schema', () => {
    const schema = buildSchema(fs.readFileSync(path.join(root, 'schema/schema.graphql'), 'utf8'))
    const dir = path.join(root, 'clients/operations')
    const used = new Set<string>()
    for (const file of fs.readdirSync(dir)) {
      for (const def of parse(fs.readFileSync(path.join(dir, file), 'utf8')).definitions) {
        if (def.kind !== Kind.OPERATION_DEFINITION) continue
        const op = def as OperationDefinitionNode
        for (const sel of op.selectionSet.selections) if (sel.kind === Kind.FIELD) used.add(`${op.operation}.${sel.name.value}`)
      }
    }
    const missing: string[] = []
    for (const [operation, type] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()], ['subscription', schema.getSubscriptionType()]] as const) {
      for (const field of Object.keys(type?.getFields() ?? {})) if (!used.has(`${operation}.${field}`)) missing.push(`${operation}.${field}`)
    }
    expect(missing).toEqual([])
  })
})

describe('createClient across the account, webhook, MCP and tenant operations', () => {
  let t: TestApp
  let url: string
  let mcp: TestMcpServer
  const hooks: string[] = []
  let receiver: http.Server
  beforeAll(async () => {
    t = await startApp({ MCP_ALLOW_PRIVATE_NETWORKS: 'true', MCP_ALLOW_INSECURE: 'true', WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOKS_ALLOW_INSECURE: 'true', WEBHOOK_RETRY_BASE_MS: '200' }, { listen: true })
    url = `http://127.0.0.1:${t.port}/graphql`
    mcp = await startTestMcpServer()
    receiver = http.createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c)).on('end', () => {
        hooks.push(body)
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  })
  afterAll(async () => {
    await mcp.close()
    receiver.close()
  })
  const owner = async () => {
    const client = api.createClient({ url })
    const auth = await client.signUp({ tenantName: `T ${randomUUID().slice(0, 8)}`, email: uniqueEmail('owner'), password })
    return { client, auth }
  }

  it('invites, accepts, changes roles and removes members; lists and revokes invitations', async () => {
    const { client } = await owner()
    const email = uniqueEmail('dev')
    const { inviteMember } = await client.request(api.InviteMemberDocument, { input: { email, role: 'DEVELOPER' } })
    expect((await client.request(api.InvitationsDocument, { first: 10 })).invitations.edges.map((e) => e.node.email)).toEqual([email])
    const invitee = api.createClient({ url })
    const joined = await invitee.acceptInvitation({ token: inviteMember.token, password })
    expect(joined.user.email).toBe(email)
    expect((await invitee.request(api.ViewerDocument)).viewer.role).toBe('DEVELOPER')

    const { members } = await client.request(api.MembersDocument, { first: 10 })
    expect(members.totalCount).toBe(2)
    const dev = members.edges.find((e) => e.node.user.email === email)!.node
    expect((await client.request(api.UpdateMemberRoleDocument, { input: { id: dev.id, role: 'VIEWER' } })).updateMemberRole.member.role).toBe('VIEWER')
    expect((await client.request(api.RemoveMemberDocument, { input: { id: dev.id } })).removeMember.removedId).toBe(dev.id)

    const second = await client.request(api.InviteMemberDocument, { input: { email: uniqueEmail('later'), role: 'VIEWER' } })
    await client.request(api.RevokeInvitationDocument, { input: { id: second.inviteMember.invitation.id } })
    expect((await client.request(api.InvitationsDocument, { first: 10 })).invitations.edges.map((e) => e.node.id)).not.toContain(second.inviteMember.invitation.id)
  })

  it('rotates and revokes API keys, changes the password and logs out', async () => {
    const { client, auth } = await owner()
    const { createApiKey } = await client.request(api.CreateApiKeyDocument, { input: { name: 'ci', scopes: ['AGENTS_READ'] } })
    const rotated = await client.request(api.RotateApiKeyDocument, { input: { id: createApiKey.apiKey.id, gracePeriodSeconds: 0 } })
    expect(rotated.rotateApiKey.secret).not.toBe(createApiKey.secret)
    const keyClient = api.createClient({ url, apiKey: rotated.rotateApiKey.secret })
    expect((await keyClient.request(api.ViewerDocument)).viewer.principal.kind).toBe('API_KEY')
    await client.request(api.RevokeApiKeyDocument, { input: { id: createApiKey.apiKey.id } })
    await expect(keyClient.request(api.ViewerDocument)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    expect((await client.request(api.ApiKeysDocument, { first: 10 })).apiKeys.edges[0]!.node.revokedAt).toBeTruthy()

    const changed = await client.changePassword({ currentPassword: password, newPassword: `${password} again` })
    expect(client.tokens().accessToken).toBe(changed.accessToken)
    expect(changed.accessToken).not.toBe(auth.accessToken)
    const stale = api.createClient({ url, accessToken: changed.accessToken })
    expect((await client.logout()).success).toBe(true)
    expect(client.tokens()).toEqual({ accessToken: undefined, refreshToken: undefined })
    await expect(stale.request(api.ViewerDocument)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
  })

  it('manages a webhook, reads its deliveries and redelivers one', async () => {
    const { client } = await owner()
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    const { createWebhook } = await client.request(api.CreateWebhookDocument, { input: { url: hookUrl, events: ['agent.*'], description: 'ci' } })
    expect(createWebhook.secret).toMatch(/^whsec_/)
    const id = createWebhook.webhook.id
    expect((await client.request(api.WebhooksDocument, { first: 10 })).webhooks.edges.map((e) => e.node.id)).toEqual([id])
    await client.request(api.CreateAgentDocument, { input: { name: 'hooked', model: 'mock-1', systemPrompt: 'You are helpful.' } })
    let delivered: api.WebhookDeliveryFieldsFragment | undefined
    await eventually(async () => {
      const { webhook } = await client.request(api.WebhookDeliveriesDocument, { id, first: 10, filter: { status: 'SUCCEEDED' } })
      expect(webhook!.deliveries.edges).toHaveLength(1)
      delivered = webhook!.deliveries.edges[0]!.node
    }, 15_000)
    if (!delivered) throw new Error('no delivery')
    expect(delivered).toMatchObject({ type: 'agent.create', attempts: 1, lastStatusCode: 204 })
    expect((await client.request(api.RedeliverWebhookDocument, { input: { deliveryId: delivered.id } })).redeliverWebhook.delivery.status).toBe('PENDING')

    const updated = await client.request(api.UpdateWebhookDocument, { input: { id, enabled: false, events: ['*'] } })
    expect(updated.updateWebhook.webhook).toMatchObject({ enabled: false, events: ['*'] })
    const rotated = await client.request(api.RotateWebhookSecretDocument, { input: { id } })
    expect(rotated.rotateWebhookSecret.secret).not.toBe(createWebhook.secret)
    expect((await client.request(api.WebhookDocument, { id })).webhook!.previousSecretExpiresAt).toBeTruthy()
    expect((await client.request(api.DeleteWebhookDocument, { input: { id } })).deleteWebhook.deletedId).toBe(id)
  })

  it('registers, refreshes, lists and deletes an MCP server', async () => {
    const { client } = await owner()
    const { createMcpServer } = await client.request(api.CreateMcpServerDocument, { input: { name: 'files', url: mcp.url, headers: [{ name: 'Authorization', value: 'Bearer s3cret' }], allowedTools: ['reverse'] } })
    expect(createMcpServer.mcpServer).toMatchObject({ status: 'READY', headerNames: ['Authorization'], tools: [{ name: 'files__reverse', available: true }] })
    const { refreshMcpServer } = await client.request(api.RefreshMcpServerDocument, { input: { id: createMcpServer.mcpServer.id } })
    expect(refreshMcpServer.mcpServer.status).toBe('READY')
    expect((await client.request(api.McpServersDocument, { first: 10 })).mcpServers.edges.map((e) => e.node.name)).toEqual(['files'])
    expect((await client.request(api.DeleteMcpServerDocument, { input: { id: createMcpServer.mcpServer.id } })).deleteMcpServer.deletedId).toBe(createMcpServer.mcpServer.id)
  })

  it('renames the tenant, schedules its deletion and cancels it', async () => {
    const { client } = await owner()
    const name = `Renamed ${randomUUID().slice(0, 8)}`
    expect((await client.request(api.UpdateTenantDocument, { input: { name } })).updateTenant.tenant.name).toBe(name)
    const { deleteTenant } = await client.request(api.DeleteTenantDocument, { input: { confirmName: name } })
    expect(Date.parse(deleteTenant.deletionScheduledAt)).toBeGreaterThan(Date.now())
    await expect(client.request(api.AgentsDocument, { first: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const { cancelTenantDeletion } = await client.request(api.CancelTenantDeletionDocument)
    expect(cancelTenantDeletion.tenant.deletionScheduledAt).toBeNull()
    expect((await client.request(api.AgentsDocument, { first: 1 })).agents.edges).toEqual([])
  })
})
