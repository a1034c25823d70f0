// WebSocket authentication: on connection_init, and again while the socket lives.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { createApiKey, signUp, type Session } from '../helpers/tenants.ts'
import { connectWs, eventually } from '../helpers/ws.ts'

let t: TestApp
let owner: Session
beforeAll(async () => {
  t = await startApp({ WS_AUTH_RECHECK_SECONDS: '1', ACCESS_TOKEN_TTL_SECONDS: '6' }, { listen: true })
  owner = await signUp(t)
})

describe('graphql-ws authentication', () => {
  it('accepts a bearer token in connectionParams (any case of the key)', async () => {
    for (const params of [{ authorization: `Bearer ${owner.accessToken}` }, { Authorization: `Bearer ${owner.accessToken}` }]) {
      const ws = connectWs(t.port!, params)
      const [r] = await ws.collect<{ viewer: { role: string } }>('{ viewer { role } }')
      expect(r!.data!.viewer.role).toBe('OWNER')
      await ws.client.dispose()
    }
  })

  it.each([
    ['a forged token', { authorization: 'Bearer not.a.token' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['a bad API key', { apiKey: 'apk_nope' }],
  ])('closes the connection with 4401 for %s', async (_n, params) => {
    const ws = connectWs(t.port!, params)
    expect((await ws.closed).code).toBe(4401)
  })

  it('lets anonymous sockets run public operations but not protected ones', async () => {
    const ws = connectWs(t.port!)
    const [r] = await ws.collect<{ serverInfo: { version: string } }>('{ serverInfo { version } }')
    expect(r!.data!.serverInfo.version).toBeTruthy()
    const err = await ws.collect('{ viewer { role } }').catch((e: unknown) => e)
    expect(JSON.stringify(err)).toContain('UNAUTHENTICATED')
    expect(ws.closes).toEqual([])
    await ws.client.dispose()
  })

  it('closes a socket within seconds of its API key being revoked', async () => {
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    const ws = connectWs(t.port!, { apiKey: key.secret })
    const live = ws.start('subscription { heartbeat(intervalSeconds: 1) }')
    await eventually(() => expect(live.results.length).toBeGreaterThan(0))
    await t.gql('mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }', { id: key.id }, owner.headers)
    const revokedAt = Date.now()
    expect((await ws.closed).code).toBe(4401)
    expect(Date.now() - revokedAt).toBeLessThan(5_000)
  })

  it('closes a socket when its access token expires', async () => {
    const s = await signUp(t)
    const ws = connectWs(t.port!, { authorization: `Bearer ${s.accessToken}` })
    ws.start('subscription { heartbeat(intervalSeconds: 1) }')
    const closed = await ws.closed
    expect(closed.code).toBe(4401)
  }, 20_000)
})
