// Authentication events land in the tenant's audit log (append-only), with reasons but never secrets.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { addMember, createApiKey, password, signUp, uniqueEmail } from '../helpers/tenants.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp()
})

const raw = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!

describe('audit of authentication events', () => {
  it('records each event once, with actor, outcome and reason, and no secret', async () => {
    const owner = await signUp(t)
    const secrets: string[] = [password, owner.accessToken, owner.refreshToken]
    await t.gql('mutation($e: String!) { login(input: { email: $e, password: "not the password" }) { accessToken } }', { e: owner.email })
    const ok = await t.gql<{ login: { refreshToken: string } }>('mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { refreshToken } }', { e: owner.email, p: password })
    const rt = ok.body.data!.login.refreshToken
    const refreshed = await t.gql<{ refreshToken: { refreshToken: string } }>('mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { refreshToken } }', { t: rt })
    secrets.push(rt, refreshed.body.data!.refreshToken.refreshToken)
    await t.gql('mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { refreshToken } }', { t: rt }) // reuse
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    secrets.push(key.secret)
    await t.gql('mutation($id: ID!) { rotateApiKey(input: { id: $id, gracePeriodSeconds: 0 }) { secret } }', { id: key.id }, owner.headers)
    await t.gql('mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }', { id: key.id }, owner.headers)
    const dev = await addMember(t, owner, 'DEVELOPER')
    await t.gql('mutation($id: ID!) { updateMemberRole(input: { id: $id, role: VIEWER }) { member { role } } }', { id: dev.userId }, owner.headers)
    await t.gql('mutation($id: ID!) { removeMember(input: { id: $id }) { removedId } }', { id: dev.userId }, owner.headers)
    const other = await addMember(t, owner, 'VIEWER')
    await t.gql('mutation($e: String!) { addMember(input: { email: $e, role: VIEWER }) { member { role } } }', { e: (await signUp(t)).email }, owner.headers)
    await t.gql('mutation($c: String!) { changePassword(input: { currentPassword: $c, newPassword: "a brand new passphrase" }) { accessToken } }', { c: password }, other.headers)
    await t.gql('mutation { logout { success } }', undefined, owner.headers)

    const rows = await t.app.deps.db.forTenant(raw(owner.tenantId)).client.auditLog.findMany({ orderBy: { id: 'asc' } })
    const seen = rows.map((r) => `${r.action}:${r.outcome}`)
    for (const expected of [
      'auth.signup:SUCCESS', 'auth.login:FAILURE', 'auth.login:SUCCESS', 'auth.refresh:SUCCESS',
      'auth.refresh_reuse_detected:FAILURE', 'api_key.create:SUCCESS', 'api_key.rotate:SUCCESS', 'api_key.revoke:SUCCESS',
      'member.invite:SUCCESS', 'member.join:SUCCESS', 'member.role_change:SUCCESS', 'member.remove:SUCCESS', 'member.add:SUCCESS',
      'auth.password_change:SUCCESS', 'auth.logout:SUCCESS',
    ]) expect(seen, expected).toContain(expected)
    expect(rows.find((r) => r.action === 'auth.login' && r.outcome === 'FAILURE')!.metadata).toEqual({ reason: 'wrong_password' })
    expect(rows.find((r) => r.action === 'member.role_change')!.changes).toEqual({ before: { role: 'DEVELOPER' }, after: { role: 'VIEWER' } })
    for (const r of rows) expect(r.requestId).toBeTruthy()
    expect(rows.filter((r) => r.action === 'auth.signup')).toHaveLength(1) // one entry per mutation
    const dump = JSON.stringify(rows)
    for (const s of secrets) expect(dump).not.toContain(s)
  })

  it('records a failed login for an unknown account without a tenant (no tenant sees it)', async () => {
    const email = uniqueEmail('ghost')
    await t.gql('mutation($e: String!) { login(input: { email: $e, password: "whatever it is" }) { accessToken } }', { e: email })
    const owner = await signUp(t)
    const rows = await t.app.deps.db.forTenant(raw(owner.tenantId)).client.auditLog.findMany()
    expect(JSON.stringify(rows)).not.toContain(email)
  })
})
