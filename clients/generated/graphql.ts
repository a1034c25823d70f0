/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type ExecutionFilter = {
  agentId?: string | number | null | undefined;
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  /** e.g. FAILED: the dead-letter view. */
  status?: ExecutionStatus | null | undefined;
  threadId?: string | number | null | undefined;
};

export type ExecutionStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'TIMED_OUT';

export type RunAgentInput = {
  agentId: string | number;
  /** Repeating a request with the same key returns the same execution. */
  idempotencyKey?: string | null | undefined;
  /** New messages for the thread (its history is kept on the server). */
  messages?: Array<RunMessageInput> | null | undefined;
  /** Overrides the agent's model (must be allowed). */
  model?: string | null | undefined;
  /** A single user message. Give either prompt or messages. */
  prompt?: string | null | undefined;
  /** Client-chosen AG-UI run id, unique per tenant; repeating it returns the same execution. */
  runId?: string | null | undefined;
  /** Continue this thread; a new one is created when absent. */
  threadId?: string | number | null | undefined;
  /** Return only once the run has finished. */
  wait?: boolean | null | undefined;
};

export type RunMessageInput = {
  content: string;
  /** Your message id (kept in the thread); generated when absent. */
  id?: string | null | undefined;
  role: RunMessageRole;
};

export type RunMessageRole =
  | 'assistant'
  | 'system'
  | 'user';

export type RunAgentMutationVariables = Exact<{
  input: RunAgentInput;
}>;


export type RunAgentMutation = { runAgent: { execution: { id: string, status: ExecutionStatus, runId: string | null, output: string | null, usage: { promptTokens: number, completionTokens: number, totalTokens: number } } } };

export type CancelExecutionMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelExecutionMutation = { cancelExecution: { execution: { id: string, status: ExecutionStatus } } };

export type ExecutionQueryVariables = Exact<{
  id: string | number;
}>;


export type ExecutionQuery = { execution: { id: string, status: ExecutionStatus, output: string | null, error: unknown, attempt: number, createdAt: string, startedAt: string | null, finishedAt: string | null } };

export type ExecutionsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: ExecutionFilter | null | undefined;
}>;


export type ExecutionsQuery = { executions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, status: ExecutionStatus, createdAt: string } }> } };

export type ExecutionEventsSubscriptionVariables = Exact<{
  executionId: string | number;
  after?: string | null | undefined;
}>;


export type ExecutionEventsSubscription = { executionEvents: { cursor: string, seq: number, type: string, event: unknown } };

export type ExecutionProgressSubscriptionVariables = Exact<{
  executionId: string | number;
}>;


export type ExecutionProgressSubscription = { executionProgress: { status: ExecutionStatus, step: string, percent: number, tokens: number, updatedAt: string } };

export type TenantEventsSubscriptionVariables = Exact<{
  types?: Array<string> | string | null | undefined;
  after?: string | null | undefined;
}>;


export type TenantEventsSubscription = { tenantEvents: { cursor: string, type: string, resourceType: string, resourceId: string, at: string, data: unknown } };

export type ServerInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type ServerInfoQuery = { serverInfo: { version: string, mode: string, redis: string } };

export type HeartbeatSubscriptionVariables = Exact<{
  intervalSeconds?: number | null | undefined;
  count?: number | null | undefined;
}>;


export type HeartbeatSubscription = { heartbeat: string };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const RunAgentDocument = new TypedDocumentString(`
    mutation RunAgent($input: RunAgentInput!) {
  runAgent(input: $input) {
    execution {
      id
      status
      runId
      output
      usage {
        promptTokens
        completionTokens
        totalTokens
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RunAgentMutation, RunAgentMutationVariables>;
export const CancelExecutionDocument = new TypedDocumentString(`
    mutation CancelExecution($id: ID!) {
  cancelExecution(input: {id: $id}) {
    execution {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<CancelExecutionMutation, CancelExecutionMutationVariables>;
export const ExecutionDocument = new TypedDocumentString(`
    query Execution($id: ID!) {
  execution(id: $id) {
    id
    status
    output
    error
    attempt
    createdAt
    startedAt
    finishedAt
  }
}
    `) as unknown as TypedDocumentString<ExecutionQuery, ExecutionQueryVariables>;
export const ExecutionsDocument = new TypedDocumentString(`
    query Executions($first: Int, $after: String, $filter: ExecutionFilter) {
  executions(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        status
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ExecutionsQuery, ExecutionsQueryVariables>;
export const ExecutionEventsDocument = new TypedDocumentString(`
    subscription ExecutionEvents($executionId: ID!, $after: String) {
  executionEvents(executionId: $executionId, after: $after) {
    cursor
    seq
    type
    event
  }
}
    `) as unknown as TypedDocumentString<ExecutionEventsSubscription, ExecutionEventsSubscriptionVariables>;
export const ExecutionProgressDocument = new TypedDocumentString(`
    subscription ExecutionProgress($executionId: ID!) {
  executionProgress(executionId: $executionId) {
    status
    step
    percent
    tokens
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<ExecutionProgressSubscription, ExecutionProgressSubscriptionVariables>;
export const TenantEventsDocument = new TypedDocumentString(`
    subscription TenantEvents($types: [String!], $after: String) {
  tenantEvents(types: $types, after: $after) {
    cursor
    type
    resourceType
    resourceId
    at
    data
  }
}
    `) as unknown as TypedDocumentString<TenantEventsSubscription, TenantEventsSubscriptionVariables>;
export const ServerInfoDocument = new TypedDocumentString(`
    query ServerInfo {
  serverInfo {
    version
    mode
    redis
  }
}
    `) as unknown as TypedDocumentString<ServerInfoQuery, ServerInfoQueryVariables>;
export const HeartbeatDocument = new TypedDocumentString(`
    subscription Heartbeat($intervalSeconds: Int, $count: Int) {
  heartbeat(intervalSeconds: $intervalSeconds, count: $count)
}
    `) as unknown as TypedDocumentString<HeartbeatSubscription, HeartbeatSubscriptionVariables>;