// Direct frames (src/graphql/direct-frames.ts): shared results written straight to the socket as graphql-ws `next`
// frames. Checked on the wire with a bare `ws` client speaking graphql-transport-ws, so every byte the server sends
// is seen: exact frames for each operation id, each subscriber its own cursor's suffix once and in order, nothing
// after a client's `complete` (also when it reuses the id), nothing across tenants, and a stalled socket among
// healthy ones.
import { beforeAll, describe, expect, it } from 'vitest'
import { ev, toWire } from '../../src/events/agui.ts'
import { appendAsWriter } from '../../src/services/runs/writer.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { claimedRun as claimedRunOf, range, rawSocket as rawSocketOf, WITH_BODY, type Frame } from '../helpers/raw-ws.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { eventually } from '../helpers/ws.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '0' }, { listen: true })
})

const rawSocket = (s: Session, query?: string) => rawSocketOf(t, s, query)
const claimedRun = (s: Session) => claimedRunOf(t, s)

describe('direct frames', () => {
  it('sends each subscriber exact graphql-ws frames for its own id and cursor, once and in order, then complete', async () => {
    const owner = await signUp(t)
    const r = await claimedRun(owner)
    const c = await rawSocket(owner)
    c.subscribe('full', { id: r.id })
    await eventually(() => expect(c.seqs('full')).toEqual([1, 2]))
    const cursorOf = (seq: number) => c.of('full').find((f) => f.payload?.data?.executionEvents.seq === seq)!.payload!.data!.executionEvents.cursor
    // Several subscribers on one socket, each resuming from a different cursor, while events keep coming.
    c.subscribe('after-1', { id: r.id, after: cursorOf(1) })
    c.subscribe('after-2', { id: r.id, after: cursorOf(2) })
    await r.append(4)
    c.subscribe('late', { id: r.id, after: cursorOf(1) })
    await r.append(3, 4)
    await r.end()
    const total = 2 + 7 + 2
    await eventually(() => ['full', 'after-1', 'after-2', 'late'].forEach((id) => expect(c.of(id).at(-1)?.type).toBe('complete')))
    expect(c.seqs('full')).toEqual(range(1, total))
    expect(c.seqs('after-1')).toEqual(range(2, total))
    expect(c.seqs('after-2')).toEqual(range(3, total))
    expect(c.seqs('late')).toEqual(range(2, total))
    // Byte for byte what graphql-ws sends: {"id","type","payload"} with the payload `{ data }`, no other member.
    for (const text of c.raw.filter((x) => x.includes('"next"'))) {
      const f = JSON.parse(text) as Frame
      expect(text).toBe(JSON.stringify({ id: f.id, type: 'next', payload: { data: f.payload!.data } }))
    }
    // Every subscriber of one seq got the same cursor (cursors are per tenant and run, not per subscriber).
    const next = c.frames.filter((f) => f.type === 'next')
    for (const seq of range(3, total)) expect(new Set(next.filter((f) => f.payload!.data!.executionEvents.seq === seq).map((f) => f.payload!.data!.executionEvents.cursor)).size).toBe(1)
    expect(c.frames.filter((f) => f.type === 'error')).toEqual([])
    c.socket.close()
  })

  it('sends nothing for an operation after the client completes it, also when the client reuses its id', async () => {
    const owner = await signUp(t)
    const r = await claimedRun(owner)
    const c = await rawSocket(owner)
    c.subscribe('a', { id: r.id })
    c.subscribe('b', { id: r.id })
    await eventually(() => expect(c.seqs('a')).toEqual([1, 2]))
    await r.append(2)
    await eventually(() => expect(c.seqs('a')).toEqual([1, 2, 3, 4]))
    c.complete('a')
    const seen = c.of('a').length
    // The same id again, resuming after seq 4 (its own cursor): a new operation that must start at 5, exactly once.
    const cursor4 = c.of('b').find((f) => f.payload?.data?.executionEvents.seq === 4)!.payload!.data!.executionEvents.cursor
    await r.append(3, 2)
    await eventually(() => expect(c.seqs('b')).toEqual(range(1, 7)))
    expect(c.of('a')).toHaveLength(seen)
    c.subscribe('a', { id: r.id, after: cursor4 })
    await r.append(2, 5)
    await r.end()
    await eventually(() => expect(c.of('b').at(-1)?.type).toBe('complete'))
    await eventually(() => expect(c.of('a').at(-1)?.type).toBe('complete'))
    expect(c.seqs('b')).toEqual(range(1, 11))
    expect(c.seqs('a')).toEqual([1, 2, 3, 4, ...range(5, 11)])
    expect(c.of('a').filter((f) => f.type === 'complete')).toHaveLength(1)
    c.socket.close()
  })

  it('never sends a tenant another tenant’s frame, though both follow a run with the same document', async () => {
    const [a, b] = [await signUp(t), await signUp(t)]
    const runs = [await claimedRun(a), await claimedRun(b)]
    const sockets = [await rawSocket(a), await rawSocket(b)]
    sockets.forEach((c, i) => c.subscribe('1', { id: runs[i]!.id }))
    // Tenant b asks for tenant a's run with the same document: not found, and nothing else.
    sockets[1]!.subscribe('foreign', { id: runs[0]!.id })
    await eventually(() => sockets.forEach((c) => expect(c.seqs('1')).toEqual([1, 2])))
    await Promise.all(runs.map((r, i) => r.append(3 + i)))
    await Promise.all(runs.map((r) => r.end()))
    await eventually(() => sockets.forEach((c) => expect(c.of('1').at(-1)?.type).toBe('complete')))
    expect(sockets[0]!.seqs('1')).toEqual(range(1, 7))
    expect(sockets[1]!.seqs('1')).toEqual(range(1, 8))
    // A refusal when the stream starts is a result with errors and no data, then complete: never an event of a's run.
    const foreign = sockets[1]!.of('foreign')
    expect(foreign.map((f) => f.type)).toEqual(['next', 'complete'])
    expect(foreign[0]!.payload!.data ?? null).toBeNull()
    expect(JSON.stringify(foreign[0]!.payload!.errors)).toMatch(/NOT_FOUND/)
    const cursors = sockets.map((c) => new Set(c.of('1').filter((f) => f.type === 'next').map((f) => f.payload!.data!.executionEvents.cursor)))
    for (const cursor of cursors[0]!) expect(cursors[1]!.has(cursor)).toBe(false)
    sockets.forEach((c) => c.socket.close())
  })
})

describe('direct frames and a stalled socket', () => {
  it('drops a socket that stops reading while the others following the same run get every event', async () => {
    const app = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '0', WS_STALL_BYTES: '65536', WS_STALL_MS: '300' }, { listen: true })
    const prev = t
    t = app
    try {
      const owner = await signUp(app)
      const r = await claimedRun(owner)
      const fast = await Promise.all([rawSocket(owner, WITH_BODY), rawSocket(owner, WITH_BODY), rawSocket(owner, WITH_BODY)])
      const slow = await rawSocket(owner, WITH_BODY)
      for (const c of [...fast, slow]) c.subscribe('1', { id: r.id })
      await eventually(() => [...fast, slow].forEach((c) => expect(c.seqs('1')).toEqual([1, 2])))
      const closed = new Promise<number>((resolve) => slow.socket.once('close', (code) => resolve(code)))
      ;(slow.socket as unknown as { _socket: { pause(): void } })._socket.pause() // stop reading: its frames pile up
      // Enough bytes to outgrow the kernel's buffers for the stalled socket (loopback buffers grow to tens of MB):
      // big events, the same selection for all.
      const big = 'x'.repeat(1_000_000)
      for (let i = 0; i < 40; i++) await appendAsWriter(app.app.deps, r.writer, [toWire(ev.textContent('m', big))])
      await r.end()
      await eventually(() => fast.forEach((c) => expect(c.of('1').at(-1)?.type).toBe('complete')), 20_000)
      for (const c of fast) expect(c.seqs('1')).toEqual(range(1, 2 + 40 + 2))
      ;(slow.socket as unknown as { _socket: { resume(): void } })._socket.resume()
      // 4008 when its close frame got through before the hard close a second later, else 1006: either way the server
      // dropped it.
      expect([4008, 1006]).toContain(await closed)
      // What it did receive is a gapless prefix of the log.
      expect(slow.seqs('1')).toEqual(range(1, slow.seqs('1').length))
      fast.forEach((c) => c.socket.close())
    } finally {
      t = prev
    }
  }, 60_000)
})
