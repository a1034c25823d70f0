// Per-operation context: who is calling (filled in by auth), request metadata and the app's dependencies.
import type { Config } from './config.ts'
import type { Database } from './db/client.ts'
import type { Logger } from './logger.ts'
import type { PubSub } from './pubsub/pubsub.ts'

/** Long-lived dependencies built once per process. */
export interface AppDeps {
  config: Config
  logger: Logger
  db: Database
  pubsub: PubSub
}

export interface RequestMeta {
  requestId: string
  transport: 'http' | 'ws'
  ip?: string
  userAgent?: string
}

export interface Context extends RequestMeta {
  deps: AppDeps
  logger: Logger
}

/** Builds the context for one HTTP request or one WebSocket operation. */
export function createContext(deps: AppDeps, meta: RequestMeta): Context {
  return { ...meta, deps, logger: deps.logger.child({ requestId: meta.requestId }) }
}
