// Sign-up, login, refresh rotation and reuse detection, logout, password change, throttling.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { codeOf, login, password, signUp, uniqueEmail } from '../helpers/tenants.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp()
})

const viewer = (headers: Record<string, string>) =>
  t.gql<{ viewer: { user: { email: string }; tenant: { id: string; plan: string }; role: string; scopes: string[]; principal: { kind: string } } }>(
    '{ viewer { user { email } tenant { id plan } role scopes principal { kind } } }', undefined, headers)
const refresh = (refreshToken: string) =>
  t.gql<{ refreshToken: { accessToken: string; refreshToken: string } }>('mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken refreshToken } }', { t: refreshToken })

describe('sign-up and login', () => {
  it('signUp creates a FREE tenant whose owner holds every scope', async () => {
    const s = await signUp(t)
    const r = await viewer(s.headers)
    expect(r.body.data!.viewer).toMatchObject({ user: { email: s.email }, tenant: { id: s.tenantId, plan: 'FREE' }, role: 'OWNER', principal: { kind: 'USER' } })
    expect(r.body.data!.viewer.scopes).toHaveLength(11)
    expect(r.body.data!.viewer.scopes).toContain('WEBHOOKS_MANAGE')
  })

  it('refuses weak passwords and bad input, naming each field', async () => {
    const r = await t.gql('mutation { signUp(input: { tenantName: "  ", email: "nope", password: "short" }) { accessToken } }')
    expect(codeOf(r)).toBe('VALIDATION_FAILED')
    expect(r.body.errors![0]!.extensions.fields).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'tenantName' }), expect.objectContaining({ path: 'email' }),
    ]))
    const weak = await t.gql('mutation($e: String!) { signUp(input: { tenantName: "x", email: $e, password: "Password123!" }) { accessToken } }', { e: uniqueEmail() })
    expect(weak.body.errors![0]!.extensions.fields).toEqual([expect.objectContaining({ path: 'password', message: 'is too common' })])
  })

  it('gives the same error for an unknown account and a wrong password', async () => {
    const s = await signUp(t)
    const wrong = await t.gql('mutation($e: String!) { login(input: { email: $e, password: "wrong password here" }) { accessToken } }', { e: s.email })
    const unknown = await t.gql('mutation($e: String!) { login(input: { email: $e, password: "wrong password here" }) { accessToken } }', { e: uniqueEmail() })
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401)
      expect(codeOf(r)).toBe('UNAUTHENTICATED')
    }
    expect(wrong.body.errors![0]!.message).toBe(unknown.body.errors![0]!.message)
  })

  it('logs in to a chosen tenant when the account owns several (email matched case-insensitively)', async () => {
    const first = await signUp(t)
    const second = await signUp(t, { email: first.email.toUpperCase(), password }) // same account, new tenant
    expect(second.userId).toBe(first.userId)
    expect(second.tenantId).not.toBe(first.tenantId)
    expect((await login(t, first.email)).tenantId).toBe(first.tenantId)
    expect((await login(t, first.email, password, second.tenantId)).tenantId).toBe(second.tenantId)
    const foreign = await signUp(t)
    const r = await t.gql('mutation($e: String!, $p: String!, $t: ID) { login(input: { email: $e, password: $p, tenantId: $t }) { accessToken } }', { e: first.email, p: password, t: foreign.tenantId })
    expect(codeOf(r)).toBe('UNAUTHENTICATED')
  })

  it('refuses sign-up with a taken email and the wrong password', async () => {
    const s = await signUp(t)
    const r = await t.gql('mutation($e: String!) { signUp(input: { tenantName: "x", email: $e, password: "some other long password" }) { accessToken } }', { e: s.email })
    expect(codeOf(r)).toBe('CONFLICT')
  })

  it('can be switched off', async () => {
    const closed = await startApp({ ALLOW_SIGNUP: 'false' })
    const r = await closed.gql('mutation($e: String!) { signUp(input: { tenantName: "x", email: $e, password: "a long enough password" }) { accessToken } }', { e: uniqueEmail() })
    expect(r.status).toBe(403)
    expect(codeOf(r)).toBe('FORBIDDEN')
  })
})

describe('refresh tokens', () => {
  it('rotate: each refresh token works once and yields a new pair', async () => {
    const s = await signUp(t)
    const r1 = await refresh(s.refreshToken)
    expect(r1.body.errors).toBeUndefined()
    const next = r1.body.data!.refreshToken
    expect(next.refreshToken).not.toBe(s.refreshToken)
    expect((await viewer({ authorization: `Bearer ${next.accessToken}` })).body.data!.viewer.role).toBe('OWNER')
    expect((await refresh(next.refreshToken)).body.errors).toBeUndefined()
  })

  it('reuse of a rotated token revokes the whole family', async () => {
    const s = await signUp(t)
    const rotated = (await refresh(s.refreshToken)).body.data!.refreshToken
    const reuse = await refresh(s.refreshToken)
    expect(codeOf(reuse)).toBe('UNAUTHENTICATED')
    // The legitimate-looking newest token of the family is dead too.
    expect(codeOf(await refresh(rotated.refreshToken))).toBe('UNAUTHENTICATED')
  })

  it('two concurrent uses of one token: at most one rotation succeeds', async () => {
    const s = await signUp(t)
    const results = await Promise.all([refresh(s.refreshToken), refresh(s.refreshToken)])
    expect(results.filter((r) => !r.body.errors).length).toBeLessThanOrEqual(1)
  })

  it('refuses garbage', async () => {
    for (const token of ['', 'rt_short', 'apk_' + 'a'.repeat(43), 'rt_' + 'a'.repeat(43)]) expect(codeOf(await refresh(token))).toBe('UNAUTHENTICATED')
  })
})

describe('logout and password change', () => {
  it('logout invalidates both the access token and the refresh token', async () => {
    const s = await signUp(t)
    const r = await t.gql<{ logout: { success: boolean } }>('mutation { logout { success } }', undefined, s.headers)
    expect(r.body.data!.logout.success).toBe(true)
    const after = await viewer(s.headers)
    expect(after.status).toBe(401)
    expect(codeOf(after)).toBe('UNAUTHENTICATED')
    expect(codeOf(await refresh(s.refreshToken))).toBe('UNAUTHENTICATED')
  })

  it('changePassword ends every other session and returns a working one', async () => {
    const s = await signUp(t)
    const other = await login(t, s.email)
    const wrong = await t.gql('mutation { changePassword(input: { currentPassword: "not it at all", newPassword: "another long passphrase" }) { accessToken } }', undefined, s.headers)
    expect(wrong.body.errors![0]!.extensions.fields).toEqual([expect.objectContaining({ path: 'currentPassword' })])
    const r = await t.gql<{ changePassword: { accessToken: string } }>('mutation($c: String!) { changePassword(input: { currentPassword: $c, newPassword: "another long passphrase" }) { accessToken } }', { c: password }, s.headers)
    expect(r.body.errors).toBeUndefined()
    expect(codeOf(await viewer(s.headers))).toBe('UNAUTHENTICATED')
    expect(codeOf(await viewer(other.headers))).toBe('UNAUTHENTICATED')
    expect(codeOf(await refresh(other.refreshToken))).toBe('UNAUTHENTICATED')
    expect((await viewer({ authorization: `Bearer ${r.body.data!.changePassword.accessToken}` })).body.data!.viewer.role).toBe('OWNER')
    await login(t, s.email, 'another long passphrase')
  })
})

describe('throttling', () => {
  it('locks an account after repeated failed logins, whatever the password', async () => {
    const app = await startApp({ LOGIN_FAILURES_PER_ACCOUNT: '3' })
    const s = await signUp(app)
    for (let i = 0; i < 3; i++) {
      expect(codeOf(await app.gql('mutation($e: String!) { login(input: { email: $e, password: "wrong password" }) { accessToken } }', { e: s.email }))).toBe('UNAUTHENTICATED')
    }
    const locked = await app.gql('mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { accessToken } }', { e: s.email, p: password })
    expect(locked.status).toBe(429)
    expect(codeOf(locked)).toBe('RATE_LIMITED')
    expect(locked.body.errors![0]!.extensions.retryAfter).toBeGreaterThan(0)
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/)
  })

  it('limits sign-up and login per client IP', async () => {
    const app = await startApp({ AUTH_RATE_LIMIT_PER_IP_PER_MINUTE: '3', TRUST_PROXY_HOPS: '1' })
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`
    // Our one trusted proxy appends the address it sees; whatever the client put before it is not trusted.
    const attempt = (from: string, spoofed = '198.51.100.7') =>
      app.gql('mutation($e: String!) { login(input: { email: $e, password: "whatever it is" }) { accessToken } }', { e: uniqueEmail() }, { 'x-forwarded-for': `${spoofed}, ${from}` })
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await attempt(ip, `198.51.100.${i}`)).status)
    expect(statuses).toEqual([401, 401, 401, 429, 429])
    expect((await attempt('198.51.100.8')).status).toBe(401) // another client is unaffected
  })
})
