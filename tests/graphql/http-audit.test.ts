// The GraphQL-over-HTTP reference audit (graphql-http's auditServer) against the started server: every check
// passes, warnings and notices included.
import { auditServer } from 'graphql-http'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { testEnv } from '../helpers/env.ts'

describe('GraphQL over HTTP conformance', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startApp(testEnv(), { listen: true })
  })

  it('passes the graphql-http server audit with no warning or notice', async () => {
    const url = `http://127.0.0.1:${t.port}/graphql`
    // The CSRF rule asks GETs for a header no cross-site form can send; a non-browser client sends it (tested below).
    const fetchFn = (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers)
      headers.set('x-graphql-yoga-csrf', '1')
      return fetch(input, { ...init, headers })
    }
    const results = await auditServer({ url, fetchFn })
    const failing = results.filter((r) => r.status !== 'ok').map((r) => `${r.status} ${r.id} ${r.name}: ${r.reason}`)
    expect(failing).toEqual([])
    expect(results.length).toBeGreaterThan(50)
  })

  it('keeps 400 for application/graphql-response+json and GETs behind the CSRF rule', async () => {
    const post = (accept: string, query: string) => fetch(`http://127.0.0.1:${t.port}/graphql`, { method: 'POST', headers: { accept, 'content-type': 'application/json' }, body: JSON.stringify({ query }) })
    for (const query of ['{', '{ nope }']) {
      expect((await post('application/graphql-response+json', query)).status).toBe(400)
      const legacy = await post('application/json', query)
      expect(legacy.status).toBe(200)
      expect((await legacy.json()).errors[0].extensions.code).toBe('VALIDATION_FAILED')
    }
    const get = await fetch(`http://127.0.0.1:${t.port}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json' } })
    expect(get.status).toBe(403)
  })
})
