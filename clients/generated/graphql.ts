/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type ActorType =
  | 'ANONYMOUS'
  | 'API_KEY'
  | 'SYSTEM'
  | 'USER';

export type AgentFilter = {
  /** Case-insensitive substring of the name, role or description. */
  search?: string | null | undefined;
  /** Only agents using the tool with this name (case-insensitive). */
  toolName?: string | null | undefined;
};

export type AuditLogFilter = {
  /** An action (`tool.update`), or all actions on a resource type (`tool.*`). */
  action?: string | null | undefined;
  /** A User or ApiKey id, as shown in `actor.id`. */
  actorId?: string | null | undefined;
  /** Entries at or after this instant. */
  from?: string | null | undefined;
  /** The id as shown on entries (a global id, or the stored id for non-node resources). */
  resourceId?: string | null | undefined;
  /** e.g. `Tool`, `Agent`, `Thread`, `ApiKey`, `Member`. */
  resourceType?: string | null | undefined;
  /** Entries before this instant. */
  to?: string | null | undefined;
};

export type AuditOutcome =
  /** A mutation refused for lack of permission. */
  | 'DENIED'
  /** An attempt that failed (e.g. a wrong password). */
  | 'FAILURE'
  /** The change was made. */
  | 'SUCCESS';

/** A tool the client runs itself (AG-UI frontend tool): a call of it ends the run with the call pending. */
export type ClientToolInput = {
  description?: string | null | undefined;
  /** Letters, digits, _ and -; not the name of one of the agent’s tools. */
  name: string;
  /** JSON Schema (type object) of the arguments. */
  parameters?: unknown;
};

export type CreateAgentInput = {
  /** Up to 2,000 characters. */
  description?: string | null | undefined;
  /** 1 to 100; default 5. */
  maxConcurrentExecutions?: number | null | undefined;
  /** 1 to 1000000. */
  maxTokens?: number | null | undefined;
  /** 0 to 100; default 10. */
  maxToolCalls?: number | null | undefined;
  /** A model of the server allowlist (INVALID_MODEL otherwise). */
  model: string;
  /** At most 100 characters: letters, digits, spaces and _ - . : */
  name: string;
  /** A short label of what the agent does (at most 200 characters). */
  role?: string | null | undefined;
  /** Instructions given to the model (length capped by the server, 20,000 characters by default). */
  systemPrompt?: string | null | undefined;
  /** 0 to 2. */
  temperature?: number | null | undefined;
  /** 1 to 3600; default 300. */
  timeoutSeconds?: number | null | undefined;
  /** Tools of your tenant, in the order the model sees them (at most 64). Any unknown id fails the whole call with NOT_FOUND. */
  toolIds?: Array<string | number> | null | undefined;
};

export type CreateApiKeyInput = {
  expiresAt?: string | null | undefined;
  name: string;
  /** A subset of your own scopes. */
  scopes: Array<Scope>;
};

export type CreateThreadInput = {
  /** At most 200 characters; blank or null for none. */
  title?: string | null | undefined;
};

export type CreateToolInput = {
  /** Up to 2,000 characters. */
  description: string;
  /** BUILTIN only: echo, calculator or current_time. */
  handler?: string | null | undefined;
  /** HTTP only: at most 20 headers sent with every call; their values are write-only. */
  headers?: Array<HttpHeaderInput> | null | undefined;
  /** JSON Schema (an object schema) of the arguments; defaults to the handler's schema for BUILTIN tools. */
  inputSchema?: unknown;
  kind: ToolKind;
  /** At most 100 characters: letters, digits, spaces and _ - . : */
  name: string;
  /** Each call interrupts the run (reason tool_approval) until resumeExecution answers it (default false). */
  requiresApproval?: boolean | null | undefined;
  /** HTTP only: an https URL (private and loopback addresses are refused unless the server allows them). */
  url?: string | null | undefined;
};

export type DeleteAgentInput = {
  id: string | number;
};

export type DeleteThreadInput = {
  id: string | number;
};

export type DeleteToolInput = {
  /** Delete even if agents use the tool, removing it from them (otherwise TOOL_IN_USE). */
  force?: boolean | null | undefined;
  id: string | number;
};

export type ExecutionFilter = {
  agentId?: string | number | null | undefined;
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  /** The run that ended with this interrupt (an AG-UI `resume[].interruptId`). */
  interruptId?: string | number | null | undefined;
  /** e.g. FAILED: the dead-letter view. */
  status?: ExecutionStatus | null | undefined;
  threadId?: string | number | null | undefined;
};

export type ExecutionStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'INTERRUPTED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'TIMED_OUT';

/** A header sent with every call of an HTTP tool (e.g. `Authorization`). The value is write-only: stored encrypted, never returned. */
export type HttpHeaderInput = {
  /** An HTTP header name; transport headers (Host, Content-Type, Content-Length, Connection, Proxy-*, …) are refused. */
  name: string;
  /** Up to 4,096 printable characters. */
  value: string;
};

export type LoginInput = {
  email: string;
  password: string;
  /** Which of your tenants to sign in to (default: the first you joined). */
  tenantId?: string | number | null | undefined;
};

/** What a run does to the runs already active on its thread. Runs of one thread never overlap. */
export type MultitaskStrategy =
  /** Wait for them; runs execute one at a time in creation order (default). */
  | 'ENQUEUE'
  /** Cancel them (their partial replies stay in the history), then run. */
  | 'INTERRUPT'
  /** Refuse with THREAD_BUSY. */
  | 'REJECT'
  /** Cancel them and remove their messages from the history, then run. */
  | 'ROLLBACK';

export type PlanTier =
  | 'ENTERPRISE'
  | 'FREE'
  | 'PRO';

export type PrincipalKind =
  | 'API_KEY'
  | 'USER';

export type RefreshTokenInput = {
  refreshToken: string;
};

export type ResumeEntryInput = {
  interruptId: string | number;
  /** Must match the interrupt's responseSchema, e.g. `{ editedArgs: { … } }` or `{ reason }`. */
  payload?: unknown;
  status: ResumeStatus;
};

export type ResumeExecutionInput = {
  /** An INTERRUPTED execution. */
  executionId: string | number;
  /** Repeating the request with the same key returns the same execution. */
  idempotencyKey?: string | null | undefined;
  /** One answer for every open interrupt. */
  resume: Array<ResumeEntryInput>;
  /** Client-chosen AG-UI run id of the continuation, unique per tenant. */
  runId?: string | null | undefined;
  /** Return only once the continuation has finished. */
  wait?: boolean | null | undefined;
};

export type ResumeStatus =
  /** Refused: the call does not run and the model is told so. */
  | 'CANCELLED'
  /** Answered: for a tool approval, the call runs (with `payload.editedArgs` when given). */
  | 'RESOLVED';

export type Role =
  | 'ADMIN'
  | 'DEVELOPER'
  | 'OWNER'
  | 'VIEWER';

export type RunAgentInput = {
  agentId: string | number;
  /** Tools the client runs; their calls end the run SUCCEEDED with `pendingToolCallIds` in RUN_FINISHED. */
  clientTools?: Array<ClientToolInput> | null | undefined;
  /** Repeating a request with the same key returns the same execution. */
  idempotencyKey?: string | null | undefined;
  /** New messages for the thread (its history is kept on the server). */
  messages?: Array<RunMessageInput> | null | undefined;
  /** Overrides the agent's model (must be allowed). */
  model?: string | null | undefined;
  /** Default ENQUEUE. */
  multitaskStrategy?: MultitaskStrategy | null | undefined;
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
  /** For a tool message: the result of the client tool call. */
  content: string;
  /** Your message id (kept in the thread); generated when absent. */
  id?: string | null | undefined;
  role: RunMessageRole;
  /** tool messages: the pending client tool call this answers (`pendingToolCallIds`). */
  toolCallId?: string | null | undefined;
};

export type RunMessageRole =
  | 'assistant'
  | 'system'
  | 'tool'
  | 'user';

/** A permission; roles grant sets of scopes, API keys carry their own. */
export type Scope =
  | 'AGENTS_READ'
  | 'AGENTS_WRITE'
  | 'AUDIT_READ'
  | 'EXECUTIONS_READ'
  | 'EXECUTIONS_RUN'
  | 'KEYS_MANAGE'
  | 'MEMBERS_MANAGE'
  | 'TENANT_ADMIN'
  | 'TOOLS_READ'
  | 'TOOLS_WRITE'
  | 'WEBHOOKS_MANAGE';

export type SignUpInput = {
  displayName?: string | null | undefined;
  email: string;
  password: string;
  tenantName: string;
};

export type ToolFilter = {
  /** Only tools used by the agent with this name (case-insensitive). */
  agentName?: string | null | undefined;
  /** Case-insensitive substring of the name or description. */
  search?: string | null | undefined;
};

export type ToolKind =
  /** A handler shipped with the server, named by `handler`. */
  | 'BUILTIN'
  /** An https endpoint (`url`) the worker POSTs the arguments to. */
  | 'HTTP'
  /** A tool of a registered MCP server (`mcpServer`), synced from its tool list. */
  | 'MCP';

/** Absent fields keep their value; null clears temperature and maxTokens. toolIds, when given, replaces the tools. */
export type UpdateAgentInput = {
  /** Up to 2,000 characters. */
  description?: string | null | undefined;
  /** Fail with CONFLICT unless the agent is still at this version. */
  expectedVersion?: number | null | undefined;
  id: string | number;
  /** 1 to 100; default 5. */
  maxConcurrentExecutions?: number | null | undefined;
  /** 1 to 1000000. */
  maxTokens?: number | null | undefined;
  /** 0 to 100; default 10. */
  maxToolCalls?: number | null | undefined;
  /** A model of the server allowlist (INVALID_MODEL otherwise). */
  model?: string | null | undefined;
  name?: string | null | undefined;
  /** A short label of what the agent does (at most 200 characters). */
  role?: string | null | undefined;
  /** Instructions given to the model (length capped by the server, 20,000 characters by default). */
  systemPrompt?: string | null | undefined;
  /** 0 to 2. */
  temperature?: number | null | undefined;
  /** 1 to 3600; default 300. */
  timeoutSeconds?: number | null | undefined;
  /** Tools of your tenant, in the order the model sees them (at most 64). Any unknown id fails the whole call with NOT_FOUND. */
  toolIds?: Array<string | number> | null | undefined;
};

export type UpdateThreadInput = {
  id: string | number;
  /** At most 200 characters; blank or null for none. */
  title?: string | null | undefined;
};

/** Absent fields keep their value. Changing `kind` drops the field of the previous kind. */
export type UpdateToolInput = {
  /** Up to 2,000 characters. */
  description?: string | null | undefined;
  /** Fail with CONFLICT unless the tool is still at this version. */
  expectedVersion?: number | null | undefined;
  /** BUILTIN only: echo, calculator or current_time. */
  handler?: string | null | undefined;
  /** HTTP only: at most 20 headers sent with every call; their values are write-only. Absent keeps them; an empty list removes them. */
  headers?: Array<HttpHeaderInput> | null | undefined;
  id: string | number;
  /** JSON Schema (an object schema) of the arguments; defaults to the handler's schema for BUILTIN tools. */
  inputSchema?: unknown;
  kind?: ToolKind | null | undefined;
  name?: string | null | undefined;
  /** Each call interrupts the run (reason tool_approval) until resumeExecution answers it (default false). */
  requiresApproval?: boolean | null | undefined;
  /** HTTP only: an https URL (private and loopback addresses are refused unless the server allows them). */
  url?: string | null | undefined;
};

export type AgentFieldsFragment = { id: string, name: string, role: string, description: string, systemPrompt: string, model: string, temperature: number | null, maxTokens: number | null, timeoutSeconds: number, maxConcurrentExecutions: number, maxToolCalls: number, version: number, createdAt: string, updatedAt: string, tools: Array<{ id: string, name: string }> };

export type AgentsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: AgentFilter | null | undefined;
}>;


export type AgentsQuery = { agents: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, name: string, role: string, description: string, systemPrompt: string, model: string, temperature: number | null, maxTokens: number | null, timeoutSeconds: number, maxConcurrentExecutions: number, maxToolCalls: number, version: number, createdAt: string, updatedAt: string, tools: Array<{ id: string, name: string }> } }> } };

export type AgentQueryVariables = Exact<{
  id: string | number;
}>;


export type AgentQuery = { agent: { id: string, name: string, role: string, description: string, systemPrompt: string, model: string, temperature: number | null, maxTokens: number | null, timeoutSeconds: number, maxConcurrentExecutions: number, maxToolCalls: number, version: number, createdAt: string, updatedAt: string, tools: Array<{ id: string, name: string }> } | null };

export type CreateAgentMutationVariables = Exact<{
  input: CreateAgentInput;
}>;


export type CreateAgentMutation = { createAgent: { agent: { id: string, name: string, role: string, description: string, systemPrompt: string, model: string, temperature: number | null, maxTokens: number | null, timeoutSeconds: number, maxConcurrentExecutions: number, maxToolCalls: number, version: number, createdAt: string, updatedAt: string, tools: Array<{ id: string, name: string }> } } };

export type UpdateAgentMutationVariables = Exact<{
  input: UpdateAgentInput;
}>;


export type UpdateAgentMutation = { updateAgent: { agent: { id: string, name: string, role: string, description: string, systemPrompt: string, model: string, temperature: number | null, maxTokens: number | null, timeoutSeconds: number, maxConcurrentExecutions: number, maxToolCalls: number, version: number, createdAt: string, updatedAt: string, tools: Array<{ id: string, name: string }> } } };

export type DeleteAgentMutationVariables = Exact<{
  input: DeleteAgentInput;
}>;


export type DeleteAgentMutation = { deleteAgent: { deletedId: string } };

export type AuditLogQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: AuditLogFilter | null | undefined;
}>;


export type AuditLogQuery = { auditLog: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, at: string, action: string, resourceType: string | null, resourceId: string | null, outcome: AuditOutcome, requestId: string | null, ipAddress: string | null, userAgent: string | null, changes: unknown, metadata: unknown, actor: { type: ActorType, id: string | null, label: string | null } } }> } };

export type AuthFieldsFragment = { accessToken: string, refreshToken: string, expiresAt: string, user: { id: string, email: string | null }, tenant: { id: string, name: string } };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { accessToken: string, refreshToken: string, expiresAt: string, user: { id: string, email: string | null }, tenant: { id: string, name: string } } };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login: { accessToken: string, refreshToken: string, expiresAt: string, user: { id: string, email: string | null }, tenant: { id: string, name: string } } };

export type RefreshTokenMutationVariables = Exact<{
  input: RefreshTokenInput;
}>;


export type RefreshTokenMutation = { refreshToken: { accessToken: string, refreshToken: string, expiresAt: string, user: { id: string, email: string | null }, tenant: { id: string, name: string } } };

export type CreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyMutation = { createApiKey: { secret: string, apiKey: { id: string, name: string, prefix: string, scopes: Array<Scope> } } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { scopes: Array<Scope>, role: Role | null, principal: { id: string, kind: PrincipalKind, name: string }, tenant: { id: string, name: string, plan: PlanTier } } };

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

export type ResumeExecutionMutationVariables = Exact<{
  input: ResumeExecutionInput;
}>;


export type ResumeExecutionMutation = { resumeExecution: { execution: { id: string, status: ExecutionStatus, runId: string | null } } };

export type ServerInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type ServerInfoQuery = { serverInfo: { version: string, mode: string, redis: string } };

export type HeartbeatSubscriptionVariables = Exact<{
  intervalSeconds?: number | null | undefined;
  count?: number | null | undefined;
}>;


export type HeartbeatSubscription = { heartbeat: string };

export type ThreadFieldsFragment = { id: string, title: string | null, createdAt: string, updatedAt: string };

export type ThreadsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ThreadsQuery = { threads: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, title: string | null, createdAt: string, updatedAt: string } }> } };

export type ThreadQueryVariables = Exact<{
  id: string | number;
}>;


export type ThreadQuery = { thread: { id: string, title: string | null, createdAt: string, updatedAt: string } | null };

export type CreateThreadMutationVariables = Exact<{
  input: CreateThreadInput;
}>;


export type CreateThreadMutation = { createThread: { thread: { id: string, title: string | null, createdAt: string, updatedAt: string } } };

export type UpdateThreadMutationVariables = Exact<{
  input: UpdateThreadInput;
}>;


export type UpdateThreadMutation = { updateThread: { thread: { id: string, title: string | null, createdAt: string, updatedAt: string } } };

export type DeleteThreadMutationVariables = Exact<{
  input: DeleteThreadInput;
}>;


export type DeleteThreadMutation = { deleteThread: { deletedId: string } };

export type ToolFieldsFragment = { id: string, name: string, description: string, kind: ToolKind, handler: string | null, url: string | null, inputSchema: unknown, version: number, createdAt: string, updatedAt: string };

export type ToolsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: ToolFilter | null | undefined;
}>;


export type ToolsQuery = { tools: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, name: string, description: string, kind: ToolKind, handler: string | null, url: string | null, inputSchema: unknown, version: number, createdAt: string, updatedAt: string, agents: Array<{ id: string, name: string }> } }> } };

export type ToolQueryVariables = Exact<{
  id: string | number;
}>;


export type ToolQuery = { tool: { id: string, name: string, description: string, kind: ToolKind, handler: string | null, url: string | null, inputSchema: unknown, version: number, createdAt: string, updatedAt: string, agents: Array<{ id: string, name: string }> } | null };

export type CreateToolMutationVariables = Exact<{
  input: CreateToolInput;
}>;


export type CreateToolMutation = { createTool: { tool: { id: string, name: string, description: string, kind: ToolKind, handler: string | null, url: string | null, inputSchema: unknown, version: number, createdAt: string, updatedAt: string } } };

export type UpdateToolMutationVariables = Exact<{
  input: UpdateToolInput;
}>;


export type UpdateToolMutation = { updateTool: { tool: { id: string, name: string, description: string, kind: ToolKind, handler: string | null, url: string | null, inputSchema: unknown, version: number, createdAt: string, updatedAt: string } } };

export type DeleteToolMutationVariables = Exact<{
  input: DeleteToolInput;
}>;


export type DeleteToolMutation = { deleteTool: { deletedId: string } };

export type TenantUsageQueryVariables = Exact<{ [key: string]: never; }>;


export type TenantUsageQuery = { tenant: { id: string, plan: PlanTier, usage: { executions: number, tokens: number, periodStart: string, periodEnd: string, limits: { executionsPerMonth: number | null, tokensPerMonth: number | null } } } };

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
export const AgentFieldsFragmentDoc = new TypedDocumentString(`
    fragment AgentFields on Agent {
  id
  name
  role
  description
  systemPrompt
  model
  temperature
  maxTokens
  timeoutSeconds
  maxConcurrentExecutions
  maxToolCalls
  version
  createdAt
  updatedAt
  tools {
    id
    name
  }
}
    `, {"fragmentName":"AgentFields"}) as unknown as TypedDocumentString<AgentFieldsFragment, unknown>;
export const AuthFieldsFragmentDoc = new TypedDocumentString(`
    fragment AuthFields on AuthPayload {
  accessToken
  refreshToken
  expiresAt
  user {
    id
    email
  }
  tenant {
    id
    name
  }
}
    `, {"fragmentName":"AuthFields"}) as unknown as TypedDocumentString<AuthFieldsFragment, unknown>;
export const ThreadFieldsFragmentDoc = new TypedDocumentString(`
    fragment ThreadFields on Thread {
  id
  title
  createdAt
  updatedAt
}
    `, {"fragmentName":"ThreadFields"}) as unknown as TypedDocumentString<ThreadFieldsFragment, unknown>;
export const ToolFieldsFragmentDoc = new TypedDocumentString(`
    fragment ToolFields on Tool {
  id
  name
  description
  kind
  handler
  url
  inputSchema
  version
  createdAt
  updatedAt
}
    `, {"fragmentName":"ToolFields"}) as unknown as TypedDocumentString<ToolFieldsFragment, unknown>;
export const AgentsDocument = new TypedDocumentString(`
    query Agents($first: Int, $after: String, $filter: AgentFilter) {
  agents(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...AgentFields
      }
    }
  }
}
    fragment AgentFields on Agent {
  id
  name
  role
  description
  systemPrompt
  model
  temperature
  maxTokens
  timeoutSeconds
  maxConcurrentExecutions
  maxToolCalls
  version
  createdAt
  updatedAt
  tools {
    id
    name
  }
}`) as unknown as TypedDocumentString<AgentsQuery, AgentsQueryVariables>;
export const AgentDocument = new TypedDocumentString(`
    query Agent($id: ID!) {
  agent(id: $id) {
    ...AgentFields
  }
}
    fragment AgentFields on Agent {
  id
  name
  role
  description
  systemPrompt
  model
  temperature
  maxTokens
  timeoutSeconds
  maxConcurrentExecutions
  maxToolCalls
  version
  createdAt
  updatedAt
  tools {
    id
    name
  }
}`) as unknown as TypedDocumentString<AgentQuery, AgentQueryVariables>;
export const CreateAgentDocument = new TypedDocumentString(`
    mutation CreateAgent($input: CreateAgentInput!) {
  createAgent(input: $input) {
    agent {
      ...AgentFields
    }
  }
}
    fragment AgentFields on Agent {
  id
  name
  role
  description
  systemPrompt
  model
  temperature
  maxTokens
  timeoutSeconds
  maxConcurrentExecutions
  maxToolCalls
  version
  createdAt
  updatedAt
  tools {
    id
    name
  }
}`) as unknown as TypedDocumentString<CreateAgentMutation, CreateAgentMutationVariables>;
export const UpdateAgentDocument = new TypedDocumentString(`
    mutation UpdateAgent($input: UpdateAgentInput!) {
  updateAgent(input: $input) {
    agent {
      ...AgentFields
    }
  }
}
    fragment AgentFields on Agent {
  id
  name
  role
  description
  systemPrompt
  model
  temperature
  maxTokens
  timeoutSeconds
  maxConcurrentExecutions
  maxToolCalls
  version
  createdAt
  updatedAt
  tools {
    id
    name
  }
}`) as unknown as TypedDocumentString<UpdateAgentMutation, UpdateAgentMutationVariables>;
export const DeleteAgentDocument = new TypedDocumentString(`
    mutation DeleteAgent($input: DeleteAgentInput!) {
  deleteAgent(input: $input) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteAgentMutation, DeleteAgentMutationVariables>;
export const AuditLogDocument = new TypedDocumentString(`
    query AuditLog($first: Int, $after: String, $filter: AuditLogFilter) {
  auditLog(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        at
        action
        actor {
          type
          id
          label
        }
        resourceType
        resourceId
        outcome
        requestId
        ipAddress
        userAgent
        changes
        metadata
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AuditLogQuery, AuditLogQueryVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    ...AuthFields
  }
}
    fragment AuthFields on AuthPayload {
  accessToken
  refreshToken
  expiresAt
  user {
    id
    email
  }
  tenant {
    id
    name
  }
}`) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($input: LoginInput!) {
  login(input: $input) {
    ...AuthFields
  }
}
    fragment AuthFields on AuthPayload {
  accessToken
  refreshToken
  expiresAt
  user {
    id
    email
  }
  tenant {
    id
    name
  }
}`) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const RefreshTokenDocument = new TypedDocumentString(`
    mutation RefreshToken($input: RefreshTokenInput!) {
  refreshToken(input: $input) {
    ...AuthFields
  }
}
    fragment AuthFields on AuthPayload {
  accessToken
  refreshToken
  expiresAt
  user {
    id
    email
  }
  tenant {
    id
    name
  }
}`) as unknown as TypedDocumentString<RefreshTokenMutation, RefreshTokenMutationVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    apiKey {
      id
      name
      prefix
      scopes
    }
    secret
  }
}
    `) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    scopes
    role
    principal {
      id
      kind
      name
    }
    tenant {
      id
      name
      plan
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
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
export const ResumeExecutionDocument = new TypedDocumentString(`
    mutation ResumeExecution($input: ResumeExecutionInput!) {
  resumeExecution(input: $input) {
    execution {
      id
      status
      runId
    }
  }
}
    `) as unknown as TypedDocumentString<ResumeExecutionMutation, ResumeExecutionMutationVariables>;
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
export const ThreadsDocument = new TypedDocumentString(`
    query Threads($first: Int, $after: String) {
  threads(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...ThreadFields
      }
    }
  }
}
    fragment ThreadFields on Thread {
  id
  title
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ThreadsQuery, ThreadsQueryVariables>;
export const ThreadDocument = new TypedDocumentString(`
    query Thread($id: ID!) {
  thread(id: $id) {
    ...ThreadFields
  }
}
    fragment ThreadFields on Thread {
  id
  title
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ThreadQuery, ThreadQueryVariables>;
export const CreateThreadDocument = new TypedDocumentString(`
    mutation CreateThread($input: CreateThreadInput!) {
  createThread(input: $input) {
    thread {
      ...ThreadFields
    }
  }
}
    fragment ThreadFields on Thread {
  id
  title
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<CreateThreadMutation, CreateThreadMutationVariables>;
export const UpdateThreadDocument = new TypedDocumentString(`
    mutation UpdateThread($input: UpdateThreadInput!) {
  updateThread(input: $input) {
    thread {
      ...ThreadFields
    }
  }
}
    fragment ThreadFields on Thread {
  id
  title
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<UpdateThreadMutation, UpdateThreadMutationVariables>;
export const DeleteThreadDocument = new TypedDocumentString(`
    mutation DeleteThread($input: DeleteThreadInput!) {
  deleteThread(input: $input) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteThreadMutation, DeleteThreadMutationVariables>;
export const ToolsDocument = new TypedDocumentString(`
    query Tools($first: Int, $after: String, $filter: ToolFilter) {
  tools(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...ToolFields
        agents {
          id
          name
        }
      }
    }
  }
}
    fragment ToolFields on Tool {
  id
  name
  description
  kind
  handler
  url
  inputSchema
  version
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ToolsQuery, ToolsQueryVariables>;
export const ToolDocument = new TypedDocumentString(`
    query Tool($id: ID!) {
  tool(id: $id) {
    ...ToolFields
    agents {
      id
      name
    }
  }
}
    fragment ToolFields on Tool {
  id
  name
  description
  kind
  handler
  url
  inputSchema
  version
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ToolQuery, ToolQueryVariables>;
export const CreateToolDocument = new TypedDocumentString(`
    mutation CreateTool($input: CreateToolInput!) {
  createTool(input: $input) {
    tool {
      ...ToolFields
    }
  }
}
    fragment ToolFields on Tool {
  id
  name
  description
  kind
  handler
  url
  inputSchema
  version
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<CreateToolMutation, CreateToolMutationVariables>;
export const UpdateToolDocument = new TypedDocumentString(`
    mutation UpdateTool($input: UpdateToolInput!) {
  updateTool(input: $input) {
    tool {
      ...ToolFields
    }
  }
}
    fragment ToolFields on Tool {
  id
  name
  description
  kind
  handler
  url
  inputSchema
  version
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<UpdateToolMutation, UpdateToolMutationVariables>;
export const DeleteToolDocument = new TypedDocumentString(`
    mutation DeleteTool($input: DeleteToolInput!) {
  deleteTool(input: $input) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteToolMutation, DeleteToolMutationVariables>;
export const TenantUsageDocument = new TypedDocumentString(`
    query TenantUsage {
  tenant {
    id
    plan
    usage {
      executions
      tokens
      periodStart
      periodEnd
      limits {
        executionsPerMonth
        tokensPerMonth
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TenantUsageQuery, TenantUsageQueryVariables>;