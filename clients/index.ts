// The package entry: createClient and every typed document and type of the public operations.
export { createClient, type AgentPlatformClient, type ClientOptions, type SubscribeHandlers } from './client.ts'
export { createHttpClient, GraphQLRequestError, type GraphQLErrorShape, type HttpClientOptions } from './http.ts'
export { createResumableClient, subscribeResumable, type ResumableOptions } from './ws.ts'
export * from './generated/graphql.ts'
