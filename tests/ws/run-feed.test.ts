// Run feeds (src/events/feed.ts): once a subscriber has caught up with its run, one follower per run and process
// pushes it each new event and its frame is written in the same call. Checked on the wire with bare sockets: many
// subscribers resuming from different cursors while the run goes on, a consumer that falls behind and catches up
// again, a client completing mid-stream, a socket closed mid-stream, another tenant, and the run's end.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { claimedRun, range, rawSocket, WITH_BODY } from '../helpers/raw-ws.ts'
import { signUp } from '../helpers/tenants.ts'
import { eventually } from '../helpers/ws.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '0' }, { listen: true })
})

type Socket = Awaited<ReturnType<typeof rawSocket>>
const feedSize = (app: TestApp = t) => app.app.deps.feeds.size

/** Every operation got `expected` as its `next` frames, then exactly one `complete`, and nothing after it. */
function expectWholeThenComplete(c: Socket, id: string, expected: number[]) {
  expect(c.seqs(id)).toEqual(expected)
  const frames = c.of(id)
  expect(frames.at(-1)?.type).toBe('complete')
  expect(frames.filter((f) => f.type !== 'next').map((f) => f.type)).toEqual(['complete'])
}

describe('run feed', () => {
  it('gives subscribers resuming from many cursors mid-run every event once and in order, through one feed', async () => {
    const owner = await signUp(t)
    const r = await claimedRun(t, owner)
    const sockets = await Promise.all([0, 1, 2, 3].map(() => rawSocket(t, owner)))
    sockets[0]!.subscribe('head', { id: r.id })
    await eventually(() => expect(sockets[0]!.seqs('head')).toEqual([1, 2]))
    // Every caught-up subscriber of the run is a member of its one feed.
    await eventually(() => expect(feedSize()).toBe(1))
    const joins: { socket: Socket; id: string; after: number }[] = []
    let written = 2
    for (let wave = 0; wave < 4; wave++) {
      // New subscribers from every cursor seen so far (and from the start), on every socket, while the run goes on.
      for (const [i, socket] of sockets.entries()) {
        const after = (wave * 4 + i) % (written + 1)
        const id = `w${wave}-${i}`
        socket.subscribe(id, after ? { id: r.id, after: sockets[0]!.cursorOf('head', after) } : { id: r.id })
        joins.push({ socket, id, after })
      }
      const appending = r.append(5, written - 2)
      await eventually(() => expect(sockets[0]!.seqs('head').length).toBeGreaterThan(written))
      await appending
      written += 5
      await eventually(() => expect(sockets[0]!.seqs('head')).toEqual(range(1, written)))
    }
    expect(feedSize()).toBe(1)
    await r.end()
    const total = written + 2
    await eventually(() => joins.forEach(({ socket, id }) => expect(socket.of(id).at(-1)?.type).toBe('complete')))
    await eventually(() => expect(sockets[0]!.of('head').at(-1)?.type).toBe('complete'))
    expectWholeThenComplete(sockets[0]!, 'head', range(1, total))
    for (const { socket, id, after } of joins) expectWholeThenComplete(socket, id, range(after + 1, total))
    // The run ended: its feed is gone.
    await eventually(() => expect(feedSize()).toBe(0))
    sockets.forEach((c) => c.socket.close())
  })

  it('stops sending to a subscriber that completes mid-stream, or whose socket closes, and goes on for the rest', async () => {
    const owner = await signUp(t)
    const r = await claimedRun(t, owner)
    const [a, b] = [await rawSocket(t, owner), await rawSocket(t, owner)]
    for (const id of ['stays', 'leaves']) a.subscribe(id, { id: r.id })
    b.subscribe('closes', { id: r.id })
    await eventually(() => [a.seqs('stays'), a.seqs('leaves'), b.seqs('closes')].forEach((s) => expect(s).toEqual([1, 2])))
    await r.append(3)
    await eventually(() => expect(a.seqs('leaves')).toEqual(range(1, 5)))
    a.complete('leaves')
    const closed = new Promise((resolve) => b.socket.once('close', resolve))
    b.socket.close()
    await closed
    const seenByLeaver = a.of('leaves').length
    await r.append(4, 3)
    await r.end()
    await eventually(() => expect(a.of('stays').at(-1)?.type).toBe('complete'))
    expectWholeThenComplete(a, 'stays', range(1, 2 + 7 + 2))
    // Nothing after the client's complete: not a frame, not a `complete` of ours.
    expect(a.of('leaves')).toHaveLength(seenByLeaver)
    expect(a.of('leaves').every((f) => f.type === 'next')).toBe(true)
    await eventually(() => expect(feedSize()).toBe(0))
    a.socket.close()
  })

  it('never pushes one tenant’s events to another tenant following a run with the same document', async () => {
    const [x, y] = [await signUp(t), await signUp(t)]
    const runs = [await claimedRun(t, x), await claimedRun(t, y)]
    const sockets = [await rawSocket(t, x), await rawSocket(t, y)]
    for (const [i, c] of sockets.entries()) for (const id of ['1', '2']) c.subscribe(id, { id: runs[i]!.id })
    await eventually(() => sockets.forEach((c) => ['1', '2'].forEach((id) => expect(c.seqs(id)).toEqual([1, 2]))))
    await eventually(() => expect(feedSize()).toBe(2)) // one per run (and tenant)
    await Promise.all([runs[0]!.append(3), runs[1]!.append(5, 100)])
    await Promise.all(runs.map((r) => r.end()))
    await eventually(() => sockets.forEach((c) => ['1', '2'].forEach((id) => expect(c.of(id).at(-1)?.type).toBe('complete'))))
    for (const id of ['1', '2']) {
      expectWholeThenComplete(sockets[0]!, id, range(1, 7))
      expectWholeThenComplete(sockets[1]!, id, range(1, 9))
    }
    // Tenant y's words (w100…) never reached tenant x's socket, nor x's words y's.
    expect(sockets[0]!.raw.some((f) => f.includes('w10'))).toBe(false)
    expect(sockets[1]!.raw.some((f) => /w[0-2] /.test(f))).toBe(false)
    sockets.forEach((c) => c.socket.close())
  })
})

describe('run feed and a consumer that falls behind', () => {
  it('takes a subscriber whose socket backs up off the feed, lets it catch up by itself, and loses nothing', async () => {
    // No stall detection within the test: the slow socket is paused, not dead.
    const app = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '0', WS_STALL_MS: '60000' }, { listen: true })
    const owner = await signUp(app)
    const r = await claimedRun(app, owner)
    const fast = await Promise.all([0, 1, 2].map(() => rawSocket(app, owner, WITH_BODY)))
    const slow = await rawSocket(app, owner, WITH_BODY)
    for (const c of [...fast, slow]) c.subscribe('1', { id: r.id })
    await eventually(() => [...fast, slow].forEach((c) => expect(c.seqs('1')).toEqual([1, 2])))
    await eventually(() => expect(feedSize(app)).toBe(1))
    const tcp = (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket
    tcp.pause()
    // Well above the 64 KiB rule for the paused socket, far below any kernel or lag limit.
    const big = (i: number) => `${i}:${'x'.repeat(200_000)} `
    await r.append(20, 0, big)
    await eventually(() => fast.forEach((c) => expect(c.seqs('1')).toEqual(range(1, 22))))
    tcp.resume()
    await r.append(5, 20)
    await r.end()
    const total = 2 + 25 + 2
    await eventually(() => [...fast, slow].forEach((c) => expect(c.of('1').at(-1)?.type).toBe('complete')), 20_000)
    for (const c of [...fast, slow]) expectWholeThenComplete(c, '1', range(1, total))
    await eventually(() => expect(feedSize(app)).toBe(0))
    for (const c of [...fast, slow]) c.socket.close()
  }, 60_000)

  it('ends a subscriber that fell SUBSCRIPTION_MAX_LAG behind with SLOW_CONSUMER and its last cursor; the others get everything', async () => {
    const app = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '0', WS_STALL_MS: '60000', SUBSCRIPTION_MAX_LAG: '10' }, { listen: true })
    const owner = await signUp(app)
    const r = await claimedRun(app, owner)
    const fast = await rawSocket(app, owner)
    const slow = await rawSocket(app, owner, WITH_BODY)
    fast.subscribe('1', { id: r.id })
    slow.subscribe('1', { id: r.id })
    await eventually(() => [fast, slow].forEach((c) => expect(c.seqs('1')).toEqual([1, 2])))
    const tcp = (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket
    tcp.pause()
    // Enough to fill the kernel's buffers for the paused socket, so its writes stop completing and it falls behind.
    const big = (i: number) => `${i}:${'x'.repeat(1_000_000)} `
    await r.append(40, 0, big)
    await eventually(() => expect(fast.seqs('1')).toEqual(range(1, 42)), 20_000)
    tcp.resume()
    await r.end()
    await eventually(() => [fast, slow].forEach((c) => expect(c.of('1').at(-1)?.type).toBe('complete')), 20_000)
    expectWholeThenComplete(fast, '1', range(1, 44))
    // A gapless prefix of the log, then one result with the error and no data, then complete.
    const frames = slow.of('1')
    const got = frames.slice(0, -2).map((f) => f.payload!.data!.executionEvents.seq)
    expect(got).toEqual(range(1, got.length))
    expect(got.length).toBeLessThan(44)
    expect(frames.at(-2)!.payload!.data ?? null).toBeNull()
    const failure = frames.at(-2)!.payload as { errors: { extensions: { code: string; reason: string; cursor: string } }[] }
    expect(failure.errors[0]!.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'SLOW_CONSUMER' })
    expect(failure.errors[0]!.extensions.cursor).toBe(slow.cursorOf('1', got.at(-1)!))
    await eventually(() => expect(feedSize(app)).toBe(0))
    for (const c of [fast, slow]) c.socket.close()
  }, 60_000)
})
