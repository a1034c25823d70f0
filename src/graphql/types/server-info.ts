import { modeOf } from '../../config.ts'
import { builder } from '../builder.ts'

const ServerInfo = builder.objectRef<{ version: string; mode: string; redis: string }>('ServerInfo').implement({
  description: 'What is serving this request.',
  fields: (t) => ({
    version: t.exposeString('version'),
    mode: t.exposeString('mode', { description: '`embedded` (PGlite in process) or `postgres`.' }),
    redis: t.exposeString('redis', { description: '`redis` or `memory` (in-process pub/sub and limiter).' }),
  }),
})

builder.queryField('serverInfo', (t) =>
  t.field({
    type: ServerInfo,
    authScopes: { public: true },
    resolve: (_root, _args, ctx) => {
      const mode = modeOf(ctx.deps.config)
      return { version: ctx.deps.config.version, mode: mode.database, redis: mode.redis }
    },
  }),
)

builder.subscriptionField('heartbeat', (t) =>
  t.field({
    type: 'DateTime',
    description: 'Emits the server time now and then every `intervalSeconds` (1–60), `count` times or until unsubscribed.',
    authScopes: { public: true },
    args: {
      intervalSeconds: t.arg.int({ defaultValue: 10 }),
      count: t.arg.int({ required: false }),
    },
    subscribe: (_root, { intervalSeconds, count }) => ticks(Math.min(Math.max(intervalSeconds ?? 10, 1), 60) * 1000, count ?? Infinity),
    resolve: (date) => date,
  }),
)

/** An async iterator of dates whose return() stops the timer at once (a generator would linger until the next tick). */
function ticks(intervalMs: number, count: number): AsyncIterableIterator<Date> {
  let emitted = 0
  let timer: NodeJS.Timeout | undefined
  let wake: ((r: IteratorResult<Date>) => void) | undefined
  const finished = { done: true, value: undefined } as const
  return {
    next() {
      if (emitted >= count) return Promise.resolve(finished)
      const delay = emitted === 0 ? 0 : intervalMs
      return new Promise((resolve) => {
        wake = resolve
        timer = setTimeout(() => {
          emitted++
          resolve({ done: false, value: new Date() })
        }, delay)
      })
    },
    return() {
      emitted = count
      clearTimeout(timer)
      wake?.(finished)
      return Promise.resolve(finished)
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}
