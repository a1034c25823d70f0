// graphql-ws on the same port and path: operations run through the yoga pipeline, one bad operation never closes
// the socket, and a graceful stop closes sockets with 1001.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { connectWs, eventually } from '../helpers/ws.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp({}, { listen: true })
})

describe('graphql-ws', () => {
  it('streams a subscription and completes it', async () => {
    const ws = connectWs(t.port!)
    const results = await ws.collect<{ heartbeat: string }>('subscription { heartbeat(intervalSeconds: 1, count: 2) }')
    expect(results).toHaveLength(2)
    for (const r of results) expect(Date.parse(r.data!.heartbeat)).toBeGreaterThan(Date.now() - 10_000)
    await ws.client.dispose()
  })

  it('runs queries too', async () => {
    const ws = connectWs(t.port!)
    const [r] = await ws.collect<{ serverInfo: { version: string } }>('{ serverInfo { version } }')
    expect(r!.data!.serverInfo.version).toMatch(/^\d+\./)
    await ws.client.dispose()
  })

  it('answers invalid operations with an error for that id and keeps the socket and its other subscriptions', async () => {
    const ws = connectWs(t.port!)
    const live = ws.start<{ heartbeat: string }>('subscription { heartbeat(intervalSeconds: 1) }')
    await eventually(() => expect(live.results.length).toBeGreaterThan(0))

    for (const bad of ['subscription { nope }', 'subscription { heartbeat(', '{ serverInfo { mode } } { serverInfo { mode } }']) {
      const err = await ws.collect(bad).then(() => undefined, (e: unknown) => e)
      expect(err).toEqual(expect.arrayContaining([expect.anything()]))
      for (const e of err as { extensions: unknown }[]) {
        expect(e.extensions).toEqual(expect.objectContaining({ code: 'VALIDATION_FAILED', requestId: expect.any(String) }))
      }
      expect(JSON.stringify(err)).not.toMatch(/originalError|stack|"http"/)
    }

    const seen = live.results.length
    await eventually(() => expect(live.results.length).toBeGreaterThan(seen), 3_000)
    expect(ws.closes).toEqual([])
    live.stop()
    await ws.client.dispose()
  })

  it('closes open sockets with 1001 on a graceful stop', async () => {
    const other = await startApp({}, { listen: true })
    const ws = connectWs(other.port!)
    const live = ws.start('subscription { heartbeat(intervalSeconds: 60) }')
    await eventually(() => expect(live.results.length).toBe(1))
    await other.stop()
    expect((await ws.closed).code).toBe(1001)
    await expect(fetch(`http://127.0.0.1:${other.port}/health/live`)).rejects.toThrow()
  })
})
