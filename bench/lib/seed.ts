// One tenant with an API key, 20 tools and 50 agents using 3 tools each: the catalog the scenarios read.
import { gql } from './procs.ts'

export interface Seeded { apiKey: string; agentId: string }

/** Seeds through the public API of the server at `url`. */
export async function seed(url: string, label: string): Promise<Seeded> {
  const { signUp } = await gql(url, 'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }', { i: { tenantName: `bench ${label}`, email: `bench-${label}-${Date.now()}@example.test`, password: 'a long bench password' } })
  const owner = { authorization: `Bearer ${signUp.accessToken}` }
  const { createApiKey } = await gql(url, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { name: 'bench', scopes: ['TOOLS_READ', 'AGENTS_READ', 'EXECUTIONS_RUN', 'EXECUTIONS_READ'] } }, owner)
  const tools: string[] = []
  for (let i = 0; i < 20; i++) {
    const { createTool } = await gql(url, 'mutation($i: CreateToolInput!) { createTool(input: $i) { tool { id } } }', { i: { name: `tool ${i}`, description: 'A tool of the benchmark catalog. '.repeat(8), kind: 'BUILTIN', handler: 'echo' } }, owner)
    tools.push(createTool.tool.id)
  }
  let agentId = ''
  for (let i = 0; i < 50; i++) {
    const { createAgent } = await gql(url, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { agent { id } } }', {
      i: { name: `agent ${i}`, model: 'mock-1', systemPrompt: 'You are a benchmark agent. '.repeat(40), toolIds: [0, 1, 2].map((k) => tools[(i + k * 7) % tools.length]) },
    }, owner)
    agentId = createAgent.agent.id
  }
  return { apiKey: createApiKey.secret, agentId }
}
