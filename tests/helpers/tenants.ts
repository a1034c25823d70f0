// Seeds a tenant through the public API: each test makes its own, so tests never share state.
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import type { TestApp } from './app.ts'

export const password = 'correct horse battery staple'

export interface Session {
  email: string
  password: string
  accessToken: string
  refreshToken: string
  userId: string
  tenantId: string
  /** Authorization header for this session. */
  headers: Record<string, string>
}

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID()}@example.test`

const authFields = 'accessToken refreshToken expiresAt user { id } tenant { id }'

interface AuthData {
  accessToken: string
  refreshToken: string
  user: { id: string }
  tenant: { id: string }
}

const toSession = (d: AuthData, email: string, pw: string): Session => ({
  email,
  password: pw,
  accessToken: d.accessToken,
  refreshToken: d.refreshToken,
  userId: d.user.id,
  tenantId: d.tenant.id,
  headers: { authorization: `Bearer ${d.accessToken}` },
})

/** Signs up a new tenant and its owner. */
export async function signUp(t: TestApp, opts: { email?: string; tenantName?: string; password?: string } = {}): Promise<Session> {
  const email = opts.email ?? uniqueEmail('owner')
  const pw = opts.password ?? password
  const r = await t.gql<{ signUp: AuthData }>(`mutation($input: SignUpInput!) { signUp(input: $input) { ${authFields} } }`, {
    input: { tenantName: opts.tenantName ?? `Tenant ${randomUUID().slice(0, 8)}`, email, password: pw },
  })
  expect(r.body.errors).toBeUndefined()
  return toSession(r.body.data!.signUp, email, pw)
}

/** Logs in (optionally to a given tenant). */
export async function login(t: TestApp, email: string, pw = password, tenantId?: string): Promise<Session> {
  const r = await t.gql<{ login: AuthData }>(`mutation($input: LoginInput!) { login(input: $input) { ${authFields} } }`, { input: { email, password: pw, tenantId } })
  expect(r.body.errors).toBeUndefined()
  return toSession(r.body.data!.login, email, pw)
}

/** Adds a member with `role` to the owner's tenant (via invitation) and returns their session there. */
export async function addMember(t: TestApp, owner: Session, role: 'OWNER' | 'ADMIN' | 'DEVELOPER' | 'VIEWER'): Promise<Session> {
  const email = uniqueEmail(role.toLowerCase())
  const invited = await t.gql<{ inviteMember: { token: string } }>('mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token } }', { input: { email, role } }, owner.headers)
  expect(invited.body.errors).toBeUndefined()
  const accepted = await t.gql<{ acceptInvitation: AuthData }>(`mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${authFields} } }`, {
    input: { token: invited.body.data!.inviteMember.token, password },
  })
  expect(accepted.body.errors).toBeUndefined()
  return toSession(accepted.body.data!.acceptInvitation, email, password)
}

/** Creates an API key in the session's tenant; returns its id and secret. */
export async function createApiKey(t: TestApp, s: Session, scopes: string[], extra: Record<string, unknown> = {}) {
  const r = await t.gql<{ createApiKey: { apiKey: { id: string; prefix: string }; secret: string } }>(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id prefix } secret } }',
    { input: { name: `key ${randomUUID().slice(0, 8)}`, scopes, ...extra } }, s.headers)
  expect(r.body.errors).toBeUndefined()
  const { apiKey, secret } = r.body.data!.createApiKey
  return { id: apiKey.id, prefix: apiKey.prefix, secret, headers: { authorization: `Bearer ${secret}` } }
}

/** The first error's code of a response. */
export const codeOf = (r: { body: { errors?: { extensions: { code: string } }[] } }) => r.body.errors?.[0]?.extensions.code
