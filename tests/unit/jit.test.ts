// The jit plugin's own rules, on a small schema: a bounded compile cache, graphql-js for what it does not compile.
import { describe, expect, it } from 'vitest'
import { envelop, useEngine, useSchema } from '@envelop/core'
import { buildSchema, execute, parse, subscribe, validate, specifiedRules } from 'graphql'
import { compileQuery } from 'graphql-jit'
import { jitPlugin } from '../../src/graphql/jit.ts'
import { LruCache } from '../../src/graphql/lru.ts'

const schema = buildSchema('type Query { hello(name: String!): String! } type Subscription { ticks: Int }')
schema.getQueryType()!.getFields().hello!.resolve = (_, { name }: { name: string }) => `hello ${name}`
const root = {}

function run(plugin: ReturnType<typeof jitPlugin>, source: string, variableValues?: Record<string, unknown>) {
  const getEnveloped = envelop({ plugins: [useEngine({ parse, validate, execute, subscribe, specifiedRules }), useSchema(schema), plugin] })
  const { execute: exec, schema: s } = getEnveloped()
  return exec({ schema: s, document: parse(source), rootValue: root, variableValues })
}

describe('jit plugin', () => {
  it('compiles each document and operation once, and keeps at most cacheSize of them', async () => {
    let compiled = 0
    const plugin = jitPlugin({ cacheSize: 2, compile: (...a) => (compiled++, compileQuery(...a)) })
    for (const name of ['a', 'b', 'a', 'c', 'd', 'a']) expect(await run(plugin, `{ hello(name: "${name}") }`)).toEqual({ data: { hello: `hello ${name}` } })
    expect(compiled).toBe(5) // a, b, (a cached), c, d, a again once evicted
    expect(plugin.cache.size).toBe(2)
  })

  it('falls back to graphql-js when compilation fails or throws, once per document', async () => {
    const reasons: unknown[] = []
    const plugin = jitPlugin({ cacheSize: 10, compile: () => { throw new Error('unsupported') }, onFallback: (r) => reasons.push(r) })
    expect(await run(plugin, '{ hello(name: "x") }')).toEqual({ data: { hello: 'hello x' } })
    expect(await run(plugin, '{ hello(name: "x") }')).toEqual({ data: { hello: 'hello x' } })
    expect(reasons).toHaveLength(1)
  })

  it('never compiles introspection; bad variables are answered by graphql-js', async () => {
    let compiled = 0
    const plugin = jitPlugin({ cacheSize: 10, compile: (...a) => (compiled++, compileQuery(...a)) })
    const introspection = await run(plugin, '{ __type(name: "Query") { name } }')
    expect(introspection).toEqual({ data: { __type: { name: 'Query' } } })
    expect(compiled).toBe(0)
    const bad = await run(plugin, 'query($n: String!) { hello(name: $n) }', { n: 3 })
    expect(bad).toEqual(await execute({ schema, document: parse('query($n: String!) { hello(name: $n) }'), rootValue: root, variableValues: { n: 3 } }))
  })

  it('LruCache forgets the least recently used key first', () => {
    const lru = new LruCache<string, number>(2)
    lru.set('a', 1); lru.set('b', 2); lru.get('a'); lru.set('c', 3)
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3])
  })
})
