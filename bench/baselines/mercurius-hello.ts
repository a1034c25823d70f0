// Baseline: fastify + mercurius with graphql-jit (every query compiled after its first run) answering `{ hello }`.
import Fastify from 'fastify'
import mercurius from 'mercurius'

const app = Fastify({ logger: false })
await app.register(mercurius, { schema: 'type Query { hello: String! }', resolvers: { Query: { hello: async () => 'world' } }, jit: 1 })
await app.listen({ port: 0, host: '127.0.0.1' })
console.log(JSON.stringify({ port: (app.server.address() as { port: number }).port }))
