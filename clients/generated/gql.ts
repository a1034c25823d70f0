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
    "query ServerInfo {\n  serverInfo {\n    version\n    mode\n    redis\n  }\n}\n\nsubscription Heartbeat($intervalSeconds: Int, $count: Int) {\n  heartbeat(intervalSeconds: $intervalSeconds, count: $count)\n}": typeof types.ServerInfoDocument,
    "query TenantUsage {\n  tenant {\n    id\n    plan\n    usage {\n      executions\n      tokens\n      periodStart\n      periodEnd\n      limits {\n        executionsPerMonth\n        tokensPerMonth\n      }\n    }\n  }\n}": typeof types.TenantUsageDocument,
};
const documents: Documents = {
    "query ServerInfo {\n  serverInfo {\n    version\n    mode\n    redis\n  }\n}\n\nsubscription Heartbeat($intervalSeconds: Int, $count: Int) {\n  heartbeat(intervalSeconds: $intervalSeconds, count: $count)\n}": types.ServerInfoDocument,
    "query TenantUsage {\n  tenant {\n    id\n    plan\n    usage {\n      executions\n      tokens\n      periodStart\n      periodEnd\n      limits {\n        executionsPerMonth\n        tokensPerMonth\n      }\n    }\n  }\n}": types.TenantUsageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ServerInfo {\n  serverInfo {\n    version\n    mode\n    redis\n  }\n}\n\nsubscription Heartbeat($intervalSeconds: Int, $count: Int) {\n  heartbeat(intervalSeconds: $intervalSeconds, count: $count)\n}"): typeof import('./graphql').ServerInfoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TenantUsage {\n  tenant {\n    id\n    plan\n    usage {\n      executions\n      tokens\n      periodStart\n      periodEnd\n      limits {\n        executionsPerMonth\n        tokensPerMonth\n      }\n    }\n  }\n}"): typeof import('./graphql').TenantUsageDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
