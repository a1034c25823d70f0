// Direct frames: a WebSocket subscription whose event result is shared (src/graphql/fan-out.ts) and carries no errors
// is written to its socket as a ready-made graphql-ws `next` frame, without passing through envelop's result hooks,
// graphql-ws's `for await` loop, its `onNext`/stringify and a promise per send. The profile of `bench:fanout` gave
// that chain the largest share of a delivery's cost (docs/performance.md, S4). The payload is serialised once per
// shared result and each frame is the subscriber's prefix (its operation id) plus that string, so the bytes are
// exactly the ones graphql-ws would have sent.
//
// Everything else still takes the ordinary path, in order: the iterator handed to graphql-ws takes events from the
// source (pushed by the run's feed once caught up, else pulled) and writes frames itself until it meets a result that
// must go through graphql-ws (errors, a stream's failure, a result not shared), which it returns as its next value
// once its own frames are written (as graphql-ws awaits each send); graphql-ws sends it and only then asks for more,
// so frames never overtake each other. Completion, errors and `complete` frames stay graphql-ws's, and reach the
// socket only after every frame of the operation was written.
import type { ExecutionResult } from 'graphql'
import type { Pushable } from '../events/pushable.ts'

/** Where a WebSocket operation's frames go (built by the transport, src/ws.ts). */
export interface FrameSink {
  /** The start of this operation's `next` frame: `{"id":"…","type":"next","payload":` */
  readonly prefix: string
  /** Whether this operation may still send: the socket is open and the client has not completed the operation. */
  open(): boolean
  /** Sends a frame; returns a promise (resolved once written) when the socket's buffer is above its high-water mark. */
  send(frame: string): Promise<void> | undefined
  /** What to wait for before graphql-ws sends on this operation again (direct frames still being written), if any. */
  settled(): Promise<void> | undefined
}

const sinks = new WeakMap<object, FrameSink>()
const serialised = new WeakMap<object, string>()

/** Lets the subscription built with `contextValue` write its shared results straight to `sink`. */
export function attachFrameSink(contextValue: object, sink: FrameSink) {
  sinks.set(contextValue, sink)
}

/** The sink attached to this operation's context, if its transport has one. */
export const frameSinkOf = (contextValue: unknown): FrameSink | undefined =>
  typeof contextValue === 'object' && contextValue !== null ? sinks.get(contextValue) : undefined

/** A shared result's payload text, serialised once for all its subscribers. */
function payloadOf(result: ExecutionResult): string {
  let text = serialised.get(result)
  if (text === undefined) serialised.set(result, (text = JSON.stringify(result)))
  return text
}

type Step = { result: ExecutionResult | Promise<ExecutionResult>; shared: boolean }

/**
 * An iterator for graphql-ws over `source`: shared results without errors are written to `sink` directly; the rest
 * are yielded. Once the source has caught up with its run's live feed, it is pushed each event synchronously and
 * writes its frame in the same call, without an async step per event (src/events/feed.ts). While the socket's buffer
 * is above its high-water mark it waits for the write before taking more, so a slow client holds at most that much
 * plus one page (its follower falls behind and is ended as before).
 */
export function directFrames<T>(source: Pushable<T>, sink: FrameSink, step: (value: T) => Step): AsyncIterableIterator<ExecutionResult> {
  const done = { done: true, value: undefined } as IteratorReturnResult<undefined>
  let ended = false
  const end = async () => {
    ended = true
    await source.return?.()
    return done
  }
  // Why a push stopped: a result graphql-ws must send (in order, after our frames), a write to wait for, a gone sink.
  let held: Step['result'] | undefined
  let writing: Promise<void> | undefined
  let gone = false
  /** Writes one value's frame; false when it cannot (then `held`, `writing` or `gone` says why). */
  const write = (value: T): boolean => {
    const { result, shared } = step(value)
    if (!shared || result instanceof Promise || result.errors !== undefined) {
      held = result
      return false
    }
    if (!sink.open()) {
      gone = true
      return false
    }
    writing = sink.send(sink.prefix + payloadOf(result) + '}')
    return writing === undefined
  }
  const push = (value: T) => !ended && write(value)
  return {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      while (!ended) {
        if (!gone && held === undefined) {
          const pushed = sink.open() ? source.pushTo?.(push) : undefined
          if (pushed) await pushed
          else {
            const r = await source.next()
            if (r.done) {
              await sink.settled()
              return done
            }
            write(r.value)
          }
        }
        if (held !== undefined) {
          const result = held
          held = undefined
          await sink.settled()
          return { done: false, value: await result }
        }
        if (gone) {
          await sink.settled()
          return end()
        }
        if (writing) await writing
        writing = undefined
      }
      return done
    },
    return: end,
    async throw(e?: unknown) {
      await end()
      throw e
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}
