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
    "mutation RunAgent($input: RunAgentInput!) {\n  runAgent(input: $input) {\n    execution {\n      id\n      status\n      runId\n      output\n      usage {\n        promptTokens\n        completionTokens\n        totalTokens\n      }\n    }\n  }\n}\n\nmutation CancelExecution($id: ID!) {\n  cancelExecution(input: {id: $id}) {\n    execution {\n      id\n      status\n    }\n  }\n}\n\nquery Execution($id: ID!) {\n  execution(id: $id) {\n    id\n    status\n    output\n    error\n    attempt\n    createdAt\n    startedAt\n    finishedAt\n  }\n}\n\nquery Executions($first: Int, $after: String, $filter: ExecutionFilter) {\n  executions(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        status\n        createdAt\n      }\n    }\n  }\n}\n\nsubscription ExecutionEvents($executionId: ID!, $after: String) {\n  executionEvents(executionId: $executionId, after: $after) {\n    cursor\n    seq\n    type\n    event\n  }\n}\n\nsubscription ExecutionProgress($executionId: ID!) {\n  executionProgress(executionId: $executionId) {\n    status\n    step\n    percent\n    tokens\n    updatedAt\n  }\n}\n\nsubscription TenantEvents($types: [String!], $after: String) {\n  tenantEvents(types: $types, after: $after) {\n    cursor\n    type\n    resourceType\n    resourceId\n    at\n    data\n  }\n}": typeof types.RunAgentDocument,
    "query ServerInfo {\n  serverInfo {\n    version\n    mode\n    redis\n  }\n}\n\nsubscription Heartbeat($intervalSeconds: Int, $count: Int) {\n  heartbeat(intervalSeconds: $intervalSeconds, count: $count)\n}": typeof types.ServerInfoDocument,
};
const documents: Documents = {
    "mutation RunAgent($input: RunAgentInput!) {\n  runAgent(input: $input) {\n    execution {\n      id\n      status\n      runId\n      output\n      usage {\n        promptTokens\n        completionTokens\n        totalTokens\n      }\n    }\n  }\n}\n\nmutation CancelExecution($id: ID!) {\n  cancelExecution(input: {id: $id}) {\n    execution {\n      id\n      status\n    }\n  }\n}\n\nquery Execution($id: ID!) {\n  execution(id: $id) {\n    id\n    status\n    output\n    error\n    attempt\n    createdAt\n    startedAt\n    finishedAt\n  }\n}\n\nquery Executions($first: Int, $after: String, $filter: ExecutionFilter) {\n  executions(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        status\n        createdAt\n      }\n    }\n  }\n}\n\nsubscription ExecutionEvents($executionId: ID!, $after: String) {\n  executionEvents(executionId: $executionId, after: $after) {\n    cursor\n    seq\n    type\n    event\n  }\n}\n\nsubscription ExecutionProgress($executionId: ID!) {\n  executionProgress(executionId: $executionId) {\n    status\n    step\n    percent\n    tokens\n    updatedAt\n  }\n}\n\nsubscription TenantEvents($types: [String!], $after: String) {\n  tenantEvents(types: $types, after: $after) {\n    cursor\n    type\n    resourceType\n    resourceId\n    at\n    data\n  }\n}": types.RunAgentDocument,
    "query ServerInfo {\n  serverInfo {\n    version\n    mode\n    redis\n  }\n}\n\nsubscription Heartbeat($intervalSeconds: Int, $count: Int) {\n  heartbeat(intervalSeconds: $intervalSeconds, count: $count)\n}": types.ServerInfoDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RunAgent($input: RunAgentInput!) {\n  runAgent(input: $input) {\n    execution {\n      id\n      status\n      runId\n      output\n      usage {\n        promptTokens\n        completionTokens\n        totalTokens\n      }\n    }\n  }\n}\n\nmutation CancelExecution($id: ID!) {\n  cancelExecution(input: {id: $id}) {\n    execution {\n      id\n      status\n    }\n  }\n}\n\nquery Execution($id: ID!) {\n  execution(id: $id) {\n    id\n    status\n    output\n    error\n    attempt\n    createdAt\n    startedAt\n    finishedAt\n  }\n}\n\nquery Executions($first: Int, $after: String, $filter: ExecutionFilter) {\n  executions(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        status\n        createdAt\n      }\n    }\n  }\n}\n\nsubscription ExecutionEvents($executionId: ID!, $after: String) {\n  executionEvents(executionId: $executionId, after: $after) {\n    cursor\n    seq\n    type\n    event\n  }\n}\n\nsubscription ExecutionProgress($executionId: ID!) {\n  executionProgress(executionId: $executionId) {\n    status\n    step\n    percent\n    tokens\n    updatedAt\n  }\n}\n\nsubscription TenantEvents($types: [String!], $after: String) {\n  tenantEvents(types: $types, after: $after) {\n    cursor\n    type\n    resourceType\n    resourceId\n    at\n    data\n  }\n}"): typeof import('./graphql').RunAgentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ServerInfo {\n  serverInfo {\n    version\n    mode\n    redis\n  }\n}\n\nsubscription Heartbeat($intervalSeconds: Int, $count: Int) {\n  heartbeat(intervalSeconds: $intervalSeconds, count: $count)\n}"): typeof import('./graphql').ServerInfoDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
