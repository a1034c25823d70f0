// Starts the real app in process. HTTP requests go through yoga.fetch; `listen: true` also binds a port for
// WebSocket and process-level tests.
import { afterAll } from 'vitest'
import { buildApp, type App } from '../../src/app.ts'
import type { DepsOptions } from '../../src/deps.ts'
import { testConfig } from './env.ts'

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number
  headers: Headers
  body: {
    data?: T | null
    errors?: { message: string; path?: (string | number)[]; extensions: Record<string, unknown> & { code: string } }[]
  }
}

export interface TestApp {
  app: App
  port?: number
  /** POSTs one operation; resolves with status, headers and parsed body. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>
  /** Raw request against the app (any path, method, body). */
  fetch(path: string, init?: RequestInit): Promise<Response>
  stop(): Promise<void>
}

/** Builds (and optionally listens) an app; it is stopped after the file's tests. `clock` and `logger` go to buildApp. */
export async function startApp(env: Record<string, string | undefined> = {}, opts: { listen?: boolean } & DepsOptions = {}): Promise<TestApp> {
  const { listen: _listen, ...build } = opts
  const app = await buildApp(testConfig(env), build)
  const port = opts.listen ? await app.listen() : undefined
  const doFetch = (path: string, init?: RequestInit) => Promise.resolve(app.yoga.fetch(new URL(path, 'http://localhost'), init ?? {}))
  const t: TestApp = {
    app,
    port,
    fetch: doFetch,
    async gql(query, variables, headers) {
      const res = await doFetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      })
      return { status: res.status, headers: res.headers, body: await res.json() }
    },
    stop: () => app.stop(),
  }
  afterAll(() => app.stop())
  return t
}
