/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment AgentFields on Agent {\n  id\n  name\n  role\n  description\n  systemPrompt\n  model\n  temperature\n  maxTokens\n  timeoutSeconds\n  maxConcurrentExecutions\n  maxToolCalls\n  version\n  createdAt\n  updatedAt\n  tools {\n    id\n    name\n  }\n}\n\nquery Agents($first: Int, $after: String, $filter: AgentFilter) {\n  agents(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...AgentFields\n      }\n    }\n  }\n}\n\nquery Agent($id: ID!) {\n  agent(id: $id) {\n    ...AgentFields\n  }\n}\n\nmutation CreateAgent($input: CreateAgentInput!) {\n  createAgent(input: $input) {\n    agent {\n      ...AgentFields\n    }\n  }\n}\n\nmutation UpdateAgent($input: UpdateAgentInput!) {\n  updateAgent(input: $input) {\n    agent {\n      ...AgentFields\n    }\n  }\n}\n\nmutation DeleteAgent($input: DeleteAgentInput!) {\n  deleteAgent(input: $input) {\n    deletedId\n  }\n}": typeof types.AgentFieldsFragmentDoc,
    "query ServerInfo {\n  serverInfo {\n    version\n    mode\n    redis\n  }\n}\n\nsubscription Heartbeat($intervalSeconds: Int, $count: Int) {\n  heartbeat(intervalSeconds: $intervalSeconds, count: $count)\n}": typeof types.ServerInfoDocument,
    "fragment ToolFields on Tool {\n  id\n  name\n  description\n  kind\n  handler\n  url\n  inputSchema\n  version\n  createdAt\n  updatedAt\n}\n\nquery Tools($first: Int, $after: String, $filter: ToolFilter) {\n  tools(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...ToolFields\n        agents {\n          id\n          name\n        }\n      }\n    }\n  }\n}\n\nquery Tool($id: ID!) {\n  tool(id: $id) {\n    ...ToolFields\n    agents {\n      id\n      name\n    }\n  }\n}\n\nmutation CreateTool($input: CreateToolInput!) {\n  createTool(input: $input) {\n    tool {\n      ...ToolFields\n    }\n  }\n}\n\nmutation UpdateTool($input: UpdateToolInput!) {\n  updateTool(input: $input) {\n    tool {\n      ...ToolFields\n    }\n  }\n}\n\nmutation DeleteTool($input: DeleteToolInput!) {\n  deleteTool(input: $input) {\n    deletedId\n  }\n}": typeof types.ToolFieldsFragmentDoc,
};
const documents: Documents = {
    "fragment AgentFields on Agent {\n  id\n  name\n  role\n  description\n  systemPrompt\n  model\n  temperature\n  maxTokens\n  timeoutSeconds\n  maxConcurrentExecutions\n  maxToolCalls\n  version\n  createdAt\n  updatedAt\n  tools {\n    id\n    name\n  }\n}\n\nquery Agents($first: Int, $after: String, $filter: AgentFilter) {\n  agents(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...AgentFields\n      }\n    }\n  }\n}\n\nquery Agent($id: ID!) {\n  agent(id: $id) {\n    ...AgentFields\n  }\n}\n\nmutation CreateAgent($input: CreateAgentInput!) {\n  createAgent(input: $input) {\n    agent {\n      ...AgentFields\n    }\n  }\n}\n\nmutation UpdateAgent($input: UpdateAgentInput!) {\n  updateAgent(input: $input) {\n    agent {\n      ...AgentFields\n    }\n  }\n}\n\nmutation DeleteAgent($input: DeleteAgentInput!) {\n  deleteAgent(input: $input) {\n    deletedId\n  }\n}": types.AgentFieldsFragmentDoc,
    "query ServerInfo {\n  serverInfo {\n    version\n    mode\n    redis\n  }\n}\n\nsubscription Heartbeat($intervalSeconds: Int, $count: Int) {\n  heartbeat(intervalSeconds: $intervalSeconds, count: $count)\n}": types.ServerInfoDocument,
    "fragment ToolFields on Tool {\n  id\n  name\n  description\n  kind\n  handler\n  url\n  inputSchema\n  version\n  createdAt\n  updatedAt\n}\n\nquery Tools($first: Int, $after: String, $filter: ToolFilter) {\n  tools(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...ToolFields\n        agents {\n          id\n          name\n        }\n      }\n    }\n  }\n}\n\nquery Tool($id: ID!) {\n  tool(id: $id) {\n    ...ToolFields\n    agents {\n      id\n      name\n    }\n  }\n}\n\nmutation CreateTool($input: CreateToolInput!) {\n  createTool(input: $input) {\n    tool {\n      ...ToolFields\n    }\n  }\n}\n\nmutation UpdateTool($input: UpdateToolInput!) {\n  updateTool(input: $input) {\n    tool {\n      ...ToolFields\n    }\n  }\n}\n\nmutation DeleteTool($input: DeleteToolInput!) {\n  deleteTool(input: $input) {\n    deletedId\n  }\n}": types.ToolFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment AgentFields on Agent {\n  id\n  name\n  role\n  description\n  systemPrompt\n  model\n  temperature\n  maxTokens\n  timeoutSeconds\n  maxConcurrentExecutions\n  maxToolCalls\n  version\n  createdAt\n  updatedAt\n  tools {\n    id\n    name\n  }\n}\n\nquery Agents($first: Int, $after: String, $filter: AgentFilter) {\n  agents(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...AgentFields\n      }\n    }\n  }\n}\n\nquery Agent($id: ID!) {\n  agent(id: $id) {\n    ...AgentFields\n  }\n}\n\nmutation CreateAgent($input: CreateAgentInput!) {\n  createAgent(input: $input) {\n    agent {\n      ...AgentFields\n    }\n  }\n}\n\nmutation UpdateAgent($input: UpdateAgentInput!) {\n  updateAgent(input: $input) {\n    agent {\n      ...AgentFields\n    }\n  }\n}\n\nmutation DeleteAgent($input: DeleteAgentInput!) {\n  deleteAgent(input: $input) {\n    deletedId\n  }\n}"): typeof import('./graphql').AgentFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ServerInfo {\n  serverInfo {\n    version\n    mode\n    redis\n  }\n}\n\nsubscription Heartbeat($intervalSeconds: Int, $count: Int) {\n  heartbeat(intervalSeconds: $intervalSeconds, count: $count)\n}"): typeof import('./graphql').ServerInfoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ToolFields on Tool {\n  id\n  name\n  description\n  kind\n  handler\n  url\n  inputSchema\n  version\n  createdAt\n  updatedAt\n}\n\nquery Tools($first: Int, $after: String, $filter: ToolFilter) {\n  tools(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...ToolFields\n        agents {\n          id\n          name\n        }\n      }\n    }\n  }\n}\n\nquery Tool($id: ID!) {\n  tool(id: $id) {\n    ...ToolFields\n    agents {\n      id\n      name\n    }\n  }\n}\n\nmutation CreateTool($input: CreateToolInput!) {\n  createTool(input: $input) {\n    tool {\n      ...ToolFields\n    }\n  }\n}\n\nmutation UpdateTool($input: UpdateToolInput!) {\n  updateTool(input: $input) {\n    tool {\n      ...ToolFields\n    }\n  }\n}\n\nmutation DeleteTool($input: DeleteToolInput!) {\n  deleteTool(input: $input) {\n    deletedId\n  }\n}"): typeof import('./graphql').ToolFieldsFragmentDoc;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
