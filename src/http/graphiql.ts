// GraphiQL, bundled: its script, styles and editor workers are inlined from @graphql-yoga/render-graphiql, so the
// page works on a network without internet and the CSP names no external origin.
import type { GraphiQLOptions } from 'graphql-yoga'

const placeholder = JSON.stringify({ Authorization: 'Bearer <accessToken from signUp/login, or an API key>' }, null, 2)

/** Example operations, one tab each; the first needs no credential, so the schema loads on first open. */
const tabs: { query: string; variables?: object; auth?: boolean }[] = [
  {
    query: `# Create a tenant and its owner; copy accessToken into the Authorization header of the other tabs.
mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { accessToken refreshToken expiresAt user { id email } tenant { id name } }
}`,
    variables: { input: { tenantName: 'Acme', email: 'me@example.com', password: 'correct horse battery staple' } },
  },
  {
    query: `query Viewer {
  viewer { scopes user { email } tenant { name } }
  agents(first: 10) { edges { node { id name model } } }
}`,
    auth: true,
  },
  {
    query: `mutation RunAgent($input: RunAgentInput!) {
  runAgent(input: $input) { execution { id status thread { id } } }
}`,
    variables: { input: { agentId: '<Agent id>', messages: [{ role: 'user', content: 'Hello!' }] } },
    auth: true,
  },
  {
    query: `# Streams over WebSocket (graphql-ws); pass a cursor as "after" to resume.
subscription ExecutionEvents($executionId: ID!) {
  executionEvents(executionId: $executionId) { cursor event }
}`,
    variables: { executionId: '<Execution id>' },
    auth: true,
  },
]

/** GraphiQL options: our title, WebSocket subscriptions and the example tabs with an Authorization placeholder. */
export const graphiqlOptions: GraphiQLOptions & { variables?: string } = {
  // GraphiQL fills the first tab's variables editor from this option, not from defaultTabs.
  variables: JSON.stringify(tabs[0]!.variables, null, 2),
  title: 'Agent Platform API',
  subscriptionsProtocol: 'WS',
  defaultTabs: tabs.map((t) => ({
    query: t.query,
    variables: t.variables ? JSON.stringify(t.variables, null, 2) : null,
    // An invalid credential is refused (401), introspection included: only tabs that need one carry the placeholder.
    headers: t.auth ? placeholder : '{}',
  })),
}

let page: Promise<string> | undefined

/**
 * The page is 9 MB of inlined assets and never changes while the process runs: render it once. The module (about
 * 30 MB of heap, 70 MB of RSS once loaded) is imported on the first request for the page, never in production.
 */
export function renderBundledGraphiQL(opts?: GraphiQLOptions): Promise<string> {
  page ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(opts))
  return page
}
