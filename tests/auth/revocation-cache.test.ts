// Each process reuses authenticated principals for a few seconds (PRINCIPAL_CACHE_SECONDS); revocations made on one
// process must still be refused within a second on every other one, pushed over Redis pub/sub.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { services } from '../helpers/env.ts'
import { password } from '../helpers/tenants.ts'
import { post, startServerProcess } from '../limits-http/processes.ts'

const shared = services.databaseTarget === 'postgres' && services.redisUrl

const refused = async (base: string, headers: Record<string, string>) =>
  (await post(base, '{ viewer { principal { kind } } }', undefined, headers)).body.errors?.[0]?.extensions.code === 'UNAUTHENTICATED'

/** Polls with `headers` until the server refuses them; returns the milliseconds that took (or more than `limitMs`). */
async function refusedWithin(base: string, headers: Record<string, string>, limitMs: number) {
  const t0 = performance.now()
  for (;;) {
    if (await refused(base, headers)) return performance.now() - t0
    if (performance.now() - t0 > limitMs) return Infinity
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe.skipIf(!shared)('principal cache across two server processes', () => {
  const env = {
    NODE_ENV: 'test', DATABASE_URL: services.postgresUrl, REDIS_URL: services.redisUrl, WORKERS: '0',
    JWT_SECRET: 'revocation-cache-secret-revocation-cache-secret', AUTH_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
    // Far longer than the 1 s allowed: only the pushed revocation can explain a refusal or a new name in time.
    PRINCIPAL_CACHE_SECONDS: '300', LOG_LEVELS: 'operations=warn',
  }
  it('refuses a revoked API key and a logged-out token within 1 s on the other process', async () => {
    const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)])
    const ok = async (base: string, headers: Record<string, string>) => {
      const r = await post(base, '{ viewer { principal { kind } } }', undefined, headers)
      expect(r.body.errors).toBeUndefined()
    }
    const signUp = await post(a.base, 'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }', {
      i: { tenantName: 'revocations', email: `rev-${randomUUID()}@example.test`, password },
    })
    const owner = { authorization: `Bearer ${(signUp.body.data!.signUp as { accessToken: string }).accessToken}` }
    const created = await post(a.base, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id } secret } }', { i: { name: 'k', scopes: ['TOOLS_READ'] } }, owner)
    const { apiKey, secret } = created.body.data!.createApiKey as { apiKey: { id: string }; secret: string }
    const key = { 'x-api-key': secret }

    // Both processes have the key and the owner's token cached now.
    for (const base of [a.base, b.base]) {
      await ok(base, key)
      await ok(base, owner)
    }
    const revoked = await post(a.base, 'mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { apiKey { id } } }', { i: { id: apiKey.id } }, owner)
    expect(revoked.body.errors).toBeUndefined()
    expect(await refusedWithin(b.base, key, 1_000)).toBeLessThan(1_000)
    // The process that made the change refuses the very next request.
    expect(await refused(a.base, key)).toBe(true)

    const out = await post(b.base, 'mutation { logout { success } }', undefined, owner)
    expect(out.body.errors).toBeUndefined()
    expect(await refused(b.base, owner)).toBe(true)
    expect(await refusedWithin(a.base, owner, 1_000)).toBeLessThan(1_000)
  }, 120_000)

  it('refuses a tenant\'s cached credentials within 1 s on the other process once its deletion is scheduled, and accepts them again after a cancel', async () => {
    const deleting = { ...env, TENANT_DELETION_GRACE_SECONDS: '3600' }
    const [a, b] = await Promise.all([startServerProcess(deleting), startServerProcess(deleting)])
    const tenantName = `deleting-${randomUUID()}`
    const signUp = await post(a.base, 'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }', {
      i: { tenantName, email: `del-${randomUUID()}@example.test`, password },
    })
    const owner = { authorization: `Bearer ${(signUp.body.data!.signUp as { accessToken: string }).accessToken}` }
    const created = await post(a.base, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { name: 'k', scopes: ['TOOLS_READ'] } }, owner)
    const key = { 'x-api-key': (created.body.data!.createApiKey as { secret: string }).secret }
    const tools = '{ tools(first: 1) { edges { node { id } } } }'
    const codeOn = async (base: string) => (await post(base, tools, undefined, key)).body.errors?.[0]?.extensions.code
    // Both processes have the key cached.
    for (const base of [a.base, b.base]) expect(await codeOn(base)).toBeUndefined()
    /** Polls process `base` until the key's answer has `code`; returns the milliseconds that took (Infinity past 1 s). */
    const until = async (base: string, code: string | undefined) => {
      const t0 = performance.now()
      while (performance.now() - t0 <= 1_000) {
        if ((await codeOn(base)) === code) return performance.now() - t0
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return Infinity
    }
    const deleted = await post(a.base, 'mutation($c: String!) { deleteTenant(input: { confirmName: $c }) { deletionScheduledAt } }', { c: tenantName }, owner)
    expect(deleted.body.errors).toBeUndefined()
    expect(await codeOn(a.base)).toBe('FORBIDDEN')
    expect(await until(b.base, 'FORBIDDEN')).toBeLessThan(1_000)
    const cancelled = await post(b.base, 'mutation { cancelTenantDeletion { tenant { id } } }', undefined, owner)
    expect(cancelled.body.errors).toBeUndefined()
    expect(await codeOn(b.base)).toBeUndefined()
    expect(await until(a.base, undefined)).toBeLessThan(1_000)
  }, 120_000)

  it('answers a tenant\'s new name within 1 s on the other process after a rename (the name is cached with the principal)', async () => {
    const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)])
    const signUp = await post(a.base, 'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }', {
      i: { tenantName: 'before the rename', email: `ren-${randomUUID()}@example.test`, password },
    })
    const owner = { authorization: `Bearer ${(signUp.body.data!.signUp as { accessToken: string }).accessToken}` }
    const created = await post(a.base, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { name: 'k', scopes: ['TOOLS_READ'] } }, owner)
    const key = { 'x-api-key': (created.body.data!.createApiKey as { secret: string }).secret }
    const nameOn = async (base: string, headers: Record<string, string>) =>
      ((await post(base, '{ viewer { tenant { name } } }', undefined, headers)).body.data?.viewer as { tenant: { name: string } } | undefined)?.tenant.name
    // Both processes have both credentials (and so the name) cached.
    for (const base of [a.base, b.base]) for (const h of [key, owner]) expect(await nameOn(base, h)).toBe('before the rename')
    const renamed = await post(b.base, 'mutation { updateTenant(input: { name: "after the rename" }) { tenant { name } } }', undefined, owner)
    expect(renamed.body.errors).toBeUndefined()
    for (const h of [key, owner]) expect(await nameOn(b.base, h)).toBe('after the rename')
    const t0 = performance.now()
    for (const h of [key, owner]) {
      while (performance.now() - t0 <= 1_000 && (await nameOn(a.base, h)) !== 'after the rename') await new Promise((resolve) => setTimeout(resolve, 20))
      expect(await nameOn(a.base, h)).toBe('after the rename')
    }
    expect(performance.now() - t0).toBeLessThan(1_000)
  }, 120_000)
})
