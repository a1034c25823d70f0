// Baseline: bare graphql-yoga answering `{ hello }` on node:http, nothing else.
import http from 'node:http'
import { createSchema, createYoga } from 'graphql-yoga'

const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }), logging: false })
const server = http.createServer(yoga)
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port })))
