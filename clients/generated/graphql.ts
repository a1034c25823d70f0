/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AcceptInvitationInput = {
  displayName?: string | null | undefined;
  /** The account's password, or the new account's when the email has none. */
  password: string;
  token: string;
};

export type ActorType =
  | 'ANONYMOUS'
  | 'API_KEY'
  | 'SYSTEM'
  | 'USER';

/** Adds a person who already has an account; use inviteMember for anyone else. */
export type AddMemberInput = {
  email: string;
  role: Role;
};

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

export type BudgetSubject =
  /** Runs of one agent (subjectId: an Agent id). */
  | 'AGENT'
  /** Runs started with one API key (subjectId: an ApiKey id). */
  | 'API_KEY'
  /** The whole tenant (no subjectId). */
  | 'TENANT'
  /** Runs started by one member (subjectId: a User id). */
  | 'USER';

export type ChangePasswordInput = {
  currentPassword: string;
  newPassword: string;
};

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

export type CreateMcpServerInput = {
  /** Sync only these tools (by their name on the server); absent or null: all. */
  allowedTools?: Array<string> | null | undefined;
  /** Sent with every request to the server (e.g. Authorization). */
  headers?: Array<HeaderInput> | null | undefined;
  name: string;
  /** Calls of its tools interrupt the run for approval (default false). */
  requiresApproval?: boolean | null | undefined;
  /** https (http and private addresses only where the server allows them). */
  url: string;
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

export type CreateWebhookInput = {
  /** Up to 2,000 characters. */
  description?: string | null | undefined;
  /** Event types (execution.succeeded, execution.failed, execution.cancelled, execution.timed_out, execution.interrupted, execution.status, tool.create, tool.update, tool.delete, agent.create, agent.update, agent.delete, thread.create, thread.update, thread.delete, budget.threshold), `prefix.*` wildcards or `*`. */
  events: Array<string>;
  /** An https URL of at most 2,048 characters; private, loopback, link-local and metadata addresses are refused. */
  url: string;
};

export type DeleteAgentInput = {
  id: string | number;
};

export type DeleteBudgetInput = {
  id: string | number;
};

export type DeleteMcpServerInput = {
  id: string | number;
};

export type DeleteTenantInput = {
  /** The tenant's name, exactly: a guard against deleting the wrong tenant. */
  confirmName: string;
};

export type DeleteThreadInput = {
  id: string | number;
};

export type DeleteToolInput = {
  /** Delete even if agents use the tool, removing it from them (otherwise TOOL_IN_USE). */
  force?: boolean | null | undefined;
  id: string | number;
};

export type DeleteWebhookInput = {
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

export type HeaderInput = {
  name: string;
  /** Write-only: stored encrypted, never returned or logged. */
  value: string;
};

/** A header sent with every call of an HTTP tool (e.g. `Authorization`). The value is write-only: stored encrypted, never returned. */
export type HttpHeaderInput = {
  /** An HTTP header name; transport headers (Host, Content-Type, Content-Length, Connection, Proxy-*, …) are refused. */
  name: string;
  /** Up to 4,096 printable characters. */
  value: string;
};

export type InviteMemberInput = {
  email: string;
  role: Role;
};

export type LoginInput = {
  email: string;
  password: string;
  /** Which of your tenants to sign in to (default: the first you joined). */
  tenantId?: string | number | null | undefined;
};

export type McpServerStatus =
  /** The last sync failed (lastError says why); tools from earlier syncs stay as they were. */
  | 'ERROR'
  /** The last sync succeeded; its tools are current as of lastSyncedAt. */
  | 'READY'
  /** Registered; its tool list is being fetched. */
  | 'SYNCING';

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

export type RedeliverWebhookInput = {
  deliveryId: string | number;
};

export type RefreshMcpServerInput = {
  id: string | number;
};

export type RefreshTokenInput = {
  refreshToken: string;
};

export type RemoveMemberInput = {
  /** Member (or User) id. */
  id: string | number;
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

export type RetryExecutionInput = {
  /** A FAILED, TIMED_OUT or CANCELLED execution. */
  id: string | number;
};

export type RevokeApiKeyInput = {
  id: string | number;
};

export type RevokeInvitationInput = {
  id: string | number;
};

export type Role =
  | 'ADMIN'
  | 'DEVELOPER'
  | 'OWNER'
  | 'VIEWER';

export type RotateApiKeyInput = {
  /** How long the old secret keeps working (0 = not at all; default from server config; at most 30 days). */
  gracePeriodSeconds?: number | null | undefined;
  id: string | number;
};

export type RotateWebhookSecretInput = {
  id: string | number;
};

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

/** Creates or replaces the budget of one subject. Give at least one limit; an absent limit is no cap. */
export type SetBudgetInput = {
  /** 0 to 1000000000. */
  maxExecutions?: number | null | undefined;
  /** A whole number from 0 to 1000000000000. */
  maxTokens?: number | null | undefined;
  subject: BudgetSubject;
  /** A User, ApiKey or Agent id of the tenant; for TENANT absent (or the tenant's own id). */
  subjectId?: string | number | null | undefined;
};

export type SignUpInput = {
  displayName?: string | null | undefined;
  email: string;
  password: string;
  tenantName: string;
};

export type TenantExportStatus =
  /** Gave up (see error); request a new export. */
  | 'FAILED'
  /** Waiting for a worker. */
  | 'PENDING'
  /** Being written. */
  | 'RUNNING'
  /** Ready: GET downloadUrl with the same kind of credential. */
  | 'SUCCEEDED';

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

export type UpdateMemberRoleInput = {
  /** Member (or User) id. */
  id: string | number;
  role: Role;
};

export type UpdateTenantInput = {
  /** At most 100 characters on one line. */
  name?: string | null | undefined;
  /** Redact personal data and secrets from what is stored or sent to a model from now on (not retroactive). */
  redactPii?: boolean | null | undefined;
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

/** Absent fields keep their value. Disabling drops the deliveries not yet made (DEAD, with the reason). */
export type UpdateWebhookInput = {
  enabled?: boolean | null | undefined;
  /** Event types (execution.succeeded, execution.failed, execution.cancelled, execution.timed_out, execution.interrupted, execution.status, tool.create, tool.update, tool.delete, agent.create, agent.update, agent.delete, thread.create, thread.update, thread.delete, budget.threshold), `prefix.*` wildcards or `*`. */
  events?: Array<string> | null | undefined;
  id: string | number;
  url?: string | null | undefined;
};

export type WebhookDeliveryFilter = {
  status?: WebhookDeliveryStatus | null | undefined;
};

export type WebhookDeliveryStatus =
  /** Given up after WEBHOOK_MAX_ATTEMPTS attempts, or dropped because the endpoint was disabled (see lastError). */
  | 'DEAD'
  /** The last attempt failed; the next one is due at nextAttemptAt. */
  | 'FAILED'
  /** Not attempted yet, or queued again by redeliverWebhook. */
  | 'PENDING'
  /** The endpoint answered 2xx. */
  | 'SUCCEEDED';

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

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { logout: { success: boolean } };

export type ChangePasswordMutationVariables = Exact<{
  input: ChangePasswordInput;
}>;


export type ChangePasswordMutation = { changePassword: { accessToken: string, refreshToken: string, expiresAt: string, user: { id: string, email: string | null }, tenant: { id: string, name: string } } };

export type ApiKeyFieldsFragment = { id: string, name: string, prefix: string, scopes: Array<Scope>, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null, rotatedAt: string | null, previousSecretExpiresAt: string | null };

export type ApiKeysQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ApiKeysQuery = { apiKeys: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, prefix: string, scopes: Array<Scope>, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null, rotatedAt: string | null, previousSecretExpiresAt: string | null } }> } };

export type RevokeApiKeyMutationVariables = Exact<{
  input: RevokeApiKeyInput;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { apiKey: { id: string, name: string, prefix: string, scopes: Array<Scope>, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null, rotatedAt: string | null, previousSecretExpiresAt: string | null } } };

export type RotateApiKeyMutationVariables = Exact<{
  input: RotateApiKeyInput;
}>;


export type RotateApiKeyMutation = { rotateApiKey: { secret: string, apiKey: { id: string, name: string, prefix: string, scopes: Array<Scope>, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null, rotatedAt: string | null, previousSecretExpiresAt: string | null } } };

export type McpServerFieldsFragment = { id: string, name: string, url: string, status: McpServerStatus, lastSyncedAt: string | null, lastError: string | null, toolsExpireAt: string | null, allowedTools: Array<string> | null, requiresApproval: boolean, headerNames: Array<string>, createdAt: string, tools: Array<{ id: string, name: string, description: string, available: boolean, inputSchema: unknown }> };

export type McpServersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type McpServersQuery = { mcpServers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, url: string, status: McpServerStatus, lastSyncedAt: string | null, lastError: string | null, toolsExpireAt: string | null, allowedTools: Array<string> | null, requiresApproval: boolean, headerNames: Array<string>, createdAt: string, tools: Array<{ id: string, name: string, description: string, available: boolean, inputSchema: unknown }> } }> } };

export type CreateMcpServerMutationVariables = Exact<{
  input: CreateMcpServerInput;
}>;


export type CreateMcpServerMutation = { createMcpServer: { mcpServer: { id: string, name: string, url: string, status: McpServerStatus, lastSyncedAt: string | null, lastError: string | null, toolsExpireAt: string | null, allowedTools: Array<string> | null, requiresApproval: boolean, headerNames: Array<string>, createdAt: string, tools: Array<{ id: string, name: string, description: string, available: boolean, inputSchema: unknown }> } } };

export type RefreshMcpServerMutationVariables = Exact<{
  input: RefreshMcpServerInput;
}>;


export type RefreshMcpServerMutation = { refreshMcpServer: { mcpServer: { id: string, name: string, url: string, status: McpServerStatus, lastSyncedAt: string | null, lastError: string | null, toolsExpireAt: string | null, allowedTools: Array<string> | null, requiresApproval: boolean, headerNames: Array<string>, createdAt: string, tools: Array<{ id: string, name: string, description: string, available: boolean, inputSchema: unknown }> } } };

export type DeleteMcpServerMutationVariables = Exact<{
  input: DeleteMcpServerInput;
}>;


export type DeleteMcpServerMutation = { deleteMcpServer: { deletedId: string } };

export type MemberFieldsFragment = { id: string, role: Role, createdAt: string, user: { id: string, email: string | null } };

export type InvitationFieldsFragment = { id: string, email: string, role: Role, createdAt: string, expiresAt: string };

export type MembersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MembersQuery = { members: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, role: Role, createdAt: string, user: { id: string, email: string | null } } }> } };

export type AddMemberMutationVariables = Exact<{
  input: AddMemberInput;
}>;


export type AddMemberMutation = { addMember: { member: { id: string, role: Role, createdAt: string, user: { id: string, email: string | null } } } };

export type UpdateMemberRoleMutationVariables = Exact<{
  input: UpdateMemberRoleInput;
}>;


export type UpdateMemberRoleMutation = { updateMemberRole: { member: { id: string, role: Role, createdAt: string, user: { id: string, email: string | null } } } };

export type RemoveMemberMutationVariables = Exact<{
  input: RemoveMemberInput;
}>;


export type RemoveMemberMutation = { removeMember: { removedId: string } };

export type InvitationsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type InvitationsQuery = { invitations: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, email: string, role: Role, createdAt: string, expiresAt: string } }> } };

export type InviteMemberMutationVariables = Exact<{
  input: InviteMemberInput;
}>;


export type InviteMemberMutation = { inviteMember: { token: string, invitation: { id: string, email: string, role: Role, createdAt: string, expiresAt: string } } };

export type RevokeInvitationMutationVariables = Exact<{
  input: RevokeInvitationInput;
}>;


export type RevokeInvitationMutation = { revokeInvitation: { invitation: { id: string, email: string, role: Role, createdAt: string, expiresAt: string } } };

export type AcceptInvitationMutationVariables = Exact<{
  input: AcceptInvitationInput;
}>;


export type AcceptInvitationMutation = { acceptInvitation: { accessToken: string, refreshToken: string, expiresAt: string, user: { id: string, email: string | null }, tenant: { id: string, name: string } } };

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

export type RetryExecutionMutationVariables = Exact<{
  input: RetryExecutionInput;
}>;


export type RetryExecutionMutation = { retryExecution: { execution: { id: string, status: ExecutionStatus, attempt: number, createdAt: string, retryOf: { id: string } | null } } };

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

export type NodeQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeQuery = { node:
    | { __typename: 'Agent', id: string }
    | { __typename: 'ApiKey', id: string }
    | { __typename: 'AuditLogEntry', id: string }
    | { __typename: 'Execution', id: string }
    | { __typename: 'Invitation', id: string }
    | { __typename: 'McpServer', id: string }
    | { __typename: 'Member', id: string }
    | { __typename: 'Tenant', id: string }
    | { __typename: 'Thread', id: string }
    | { __typename: 'Tool', id: string }
    | { __typename: 'User', id: string }
    | { __typename: 'Webhook', id: string }
    | { __typename: 'WebhookDelivery', id: string }
   | null };

export type TenantFieldsFragment = { id: string, name: string, plan: PlanTier, createdAt: string, deletionRequestedAt: string | null, deletionScheduledAt: string | null, redactPii: boolean };

export type UpdateTenantMutationVariables = Exact<{
  input: UpdateTenantInput;
}>;


export type UpdateTenantMutation = { updateTenant: { tenant: { id: string, name: string, plan: PlanTier, createdAt: string, deletionRequestedAt: string | null, deletionScheduledAt: string | null, redactPii: boolean } } };

export type DeleteTenantMutationVariables = Exact<{
  input: DeleteTenantInput;
}>;


export type DeleteTenantMutation = { deleteTenant: { deletionScheduledAt: string } };

export type CancelTenantDeletionMutationVariables = Exact<{ [key: string]: never; }>;


export type CancelTenantDeletionMutation = { cancelTenantDeletion: { tenant: { id: string, name: string, plan: PlanTier, createdAt: string, deletionRequestedAt: string | null, deletionScheduledAt: string | null, redactPii: boolean } } };

export type BudgetFieldsFragment = { id: string, subject: BudgetSubject, subjectId: string, maxExecutions: number | null, maxTokens: number | null, usedExecutions: number, usedTokens: number, periodStart: string, resetAt: string };

export type BudgetsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type BudgetsQuery = { budgets: { edges: Array<{ cursor: string, node: { id: string, subject: BudgetSubject, subjectId: string, maxExecutions: number | null, maxTokens: number | null, usedExecutions: number, usedTokens: number, periodStart: string, resetAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type SetBudgetMutationVariables = Exact<{
  input: SetBudgetInput;
}>;


export type SetBudgetMutation = { setBudget: { budget: { id: string, subject: BudgetSubject, subjectId: string, maxExecutions: number | null, maxTokens: number | null, usedExecutions: number, usedTokens: number, periodStart: string, resetAt: string } } };

export type DeleteBudgetMutationVariables = Exact<{
  input: DeleteBudgetInput;
}>;


export type DeleteBudgetMutation = { deleteBudget: { deletedId: string } };

export type TenantExportFieldsFragment = { id: string, status: TenantExportStatus, records: number, bytes: number, downloadUrl: string | null, error: string | null, createdAt: string, finishedAt: string | null, expiresAt: string | null };

export type ExportTenantDataMutationVariables = Exact<{ [key: string]: never; }>;


export type ExportTenantDataMutation = { exportTenantData: { export: { id: string, status: TenantExportStatus, records: number, bytes: number, downloadUrl: string | null, error: string | null, createdAt: string, finishedAt: string | null, expiresAt: string | null } } };

export type TenantExportQueryVariables = Exact<{
  id: string | number;
}>;


export type TenantExportQuery = { tenantExport: { id: string, status: TenantExportStatus, records: number, bytes: number, downloadUrl: string | null, error: string | null, createdAt: string, finishedAt: string | null, expiresAt: string | null } | null };

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

export type WebhookFieldsFragment = { id: string, url: string, events: Array<string>, enabled: boolean, description: string, createdAt: string, previousSecretExpiresAt: string | null };

export type WebhookDeliveryFieldsFragment = { id: string, webhookId: string, eventId: string, type: string, status: WebhookDeliveryStatus, attempts: number, lastStatusCode: number | null, lastError: string | null, nextAttemptAt: string | null, createdAt: string, deliveredAt: string | null };

export type WebhooksQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type WebhooksQuery = { webhooks: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, url: string, events: Array<string>, enabled: boolean, description: string, createdAt: string, previousSecretExpiresAt: string | null } }> } };

export type WebhookQueryVariables = Exact<{
  id: string | number;
}>;


export type WebhookQuery = { webhook: { id: string, url: string, events: Array<string>, enabled: boolean, description: string, createdAt: string, previousSecretExpiresAt: string | null } | null };

export type WebhookDeliveriesQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: WebhookDeliveryFilter | null | undefined;
}>;


export type WebhookDeliveriesQuery = { webhook: { id: string, deliveries: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, webhookId: string, eventId: string, type: string, status: WebhookDeliveryStatus, attempts: number, lastStatusCode: number | null, lastError: string | null, nextAttemptAt: string | null, createdAt: string, deliveredAt: string | null } }> } } | null };

export type CreateWebhookMutationVariables = Exact<{
  input: CreateWebhookInput;
}>;


export type CreateWebhookMutation = { createWebhook: { secret: string, webhook: { id: string, url: string, events: Array<string>, enabled: boolean, description: string, createdAt: string, previousSecretExpiresAt: string | null } } };

export type UpdateWebhookMutationVariables = Exact<{
  input: UpdateWebhookInput;
}>;


export type UpdateWebhookMutation = { updateWebhook: { webhook: { id: string, url: string, events: Array<string>, enabled: boolean, description: string, createdAt: string, previousSecretExpiresAt: string | null } } };

export type DeleteWebhookMutationVariables = Exact<{
  input: DeleteWebhookInput;
}>;


export type DeleteWebhookMutation = { deleteWebhook: { deletedId: string } };

export type RotateWebhookSecretMutationVariables = Exact<{
  input: RotateWebhookSecretInput;
}>;


export type RotateWebhookSecretMutation = { rotateWebhookSecret: { secret: string, webhook: { id: string, url: string, events: Array<string>, enabled: boolean, description: string, createdAt: string, previousSecretExpiresAt: string | null } } };

export type RedeliverWebhookMutationVariables = Exact<{
  input: RedeliverWebhookInput;
}>;


export type RedeliverWebhookMutation = { redeliverWebhook: { delivery: { id: string, webhookId: string, eventId: string, type: string, status: WebhookDeliveryStatus, attempts: number, lastStatusCode: number | null, lastError: string | null, nextAttemptAt: string | null, createdAt: string, deliveredAt: string | null } } };

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
export const ApiKeyFieldsFragmentDoc = new TypedDocumentString(`
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  scopes
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  rotatedAt
  previousSecretExpiresAt
}
    `, {"fragmentName":"ApiKeyFields"}) as unknown as TypedDocumentString<ApiKeyFieldsFragment, unknown>;
export const McpServerFieldsFragmentDoc = new TypedDocumentString(`
    fragment McpServerFields on McpServer {
  id
  name
  url
  status
  lastSyncedAt
  lastError
  toolsExpireAt
  allowedTools
  requiresApproval
  headerNames
  createdAt
  tools {
    id
    name
    description
    available
    inputSchema
  }
}
    `, {"fragmentName":"McpServerFields"}) as unknown as TypedDocumentString<McpServerFieldsFragment, unknown>;
export const MemberFieldsFragmentDoc = new TypedDocumentString(`
    fragment MemberFields on Member {
  id
  role
  createdAt
  user {
    id
    email
  }
}
    `, {"fragmentName":"MemberFields"}) as unknown as TypedDocumentString<MemberFieldsFragment, unknown>;
export const InvitationFieldsFragmentDoc = new TypedDocumentString(`
    fragment InvitationFields on Invitation {
  id
  email
  role
  createdAt
  expiresAt
}
    `, {"fragmentName":"InvitationFields"}) as unknown as TypedDocumentString<InvitationFieldsFragment, unknown>;
export const TenantFieldsFragmentDoc = new TypedDocumentString(`
    fragment TenantFields on Tenant {
  id
  name
  plan
  createdAt
  deletionRequestedAt
  deletionScheduledAt
  redactPii
}
    `, {"fragmentName":"TenantFields"}) as unknown as TypedDocumentString<TenantFieldsFragment, unknown>;
export const BudgetFieldsFragmentDoc = new TypedDocumentString(`
    fragment BudgetFields on Budget {
  id
  subject
  subjectId
  maxExecutions
  maxTokens
  usedExecutions
  usedTokens
  periodStart
  resetAt
}
    `, {"fragmentName":"BudgetFields"}) as unknown as TypedDocumentString<BudgetFieldsFragment, unknown>;
export const TenantExportFieldsFragmentDoc = new TypedDocumentString(`
    fragment TenantExportFields on TenantExport {
  id
  status
  records
  bytes
  downloadUrl
  error
  createdAt
  finishedAt
  expiresAt
}
    `, {"fragmentName":"TenantExportFields"}) as unknown as TypedDocumentString<TenantExportFieldsFragment, unknown>;
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
export const WebhookFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebhookFields on Webhook {
  id
  url
  events
  enabled
  description
  createdAt
  previousSecretExpiresAt
}
    `, {"fragmentName":"WebhookFields"}) as unknown as TypedDocumentString<WebhookFieldsFragment, unknown>;
export const WebhookDeliveryFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  webhookId
  eventId
  type
  status
  attempts
  lastStatusCode
  lastError
  nextAttemptAt
  createdAt
  deliveredAt
}
    `, {"fragmentName":"WebhookDeliveryFields"}) as unknown as TypedDocumentString<WebhookDeliveryFieldsFragment, unknown>;
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
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout {
  logout {
    success
  }
}
    `) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($input: ChangePasswordInput!) {
  changePassword(input: $input) {
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
}`) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const ApiKeysDocument = new TypedDocumentString(`
    query ApiKeys($first: Int, $after: String) {
  apiKeys(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...ApiKeyFields
      }
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  scopes
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  rotatedAt
  previousSecretExpiresAt
}`) as unknown as TypedDocumentString<ApiKeysQuery, ApiKeysQueryVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($input: RevokeApiKeyInput!) {
  revokeApiKey(input: $input) {
    apiKey {
      ...ApiKeyFields
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  scopes
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  rotatedAt
  previousSecretExpiresAt
}`) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const RotateApiKeyDocument = new TypedDocumentString(`
    mutation RotateApiKey($input: RotateApiKeyInput!) {
  rotateApiKey(input: $input) {
    apiKey {
      ...ApiKeyFields
    }
    secret
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  scopes
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  rotatedAt
  previousSecretExpiresAt
}`) as unknown as TypedDocumentString<RotateApiKeyMutation, RotateApiKeyMutationVariables>;
export const McpServersDocument = new TypedDocumentString(`
    query McpServers($first: Int, $after: String) {
  mcpServers(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...McpServerFields
      }
    }
  }
}
    fragment McpServerFields on McpServer {
  id
  name
  url
  status
  lastSyncedAt
  lastError
  toolsExpireAt
  allowedTools
  requiresApproval
  headerNames
  createdAt
  tools {
    id
    name
    description
    available
    inputSchema
  }
}`) as unknown as TypedDocumentString<McpServersQuery, McpServersQueryVariables>;
export const CreateMcpServerDocument = new TypedDocumentString(`
    mutation CreateMcpServer($input: CreateMcpServerInput!) {
  createMcpServer(input: $input) {
    mcpServer {
      ...McpServerFields
    }
  }
}
    fragment McpServerFields on McpServer {
  id
  name
  url
  status
  lastSyncedAt
  lastError
  toolsExpireAt
  allowedTools
  requiresApproval
  headerNames
  createdAt
  tools {
    id
    name
    description
    available
    inputSchema
  }
}`) as unknown as TypedDocumentString<CreateMcpServerMutation, CreateMcpServerMutationVariables>;
export const RefreshMcpServerDocument = new TypedDocumentString(`
    mutation RefreshMcpServer($input: RefreshMcpServerInput!) {
  refreshMcpServer(input: $input) {
    mcpServer {
      ...McpServerFields
    }
  }
}
    fragment McpServerFields on McpServer {
  id
  name
  url
  status
  lastSyncedAt
  lastError
  toolsExpireAt
  allowedTools
  requiresApproval
  headerNames
  createdAt
  tools {
    id
    name
    description
    available
    inputSchema
  }
}`) as unknown as TypedDocumentString<RefreshMcpServerMutation, RefreshMcpServerMutationVariables>;
export const DeleteMcpServerDocument = new TypedDocumentString(`
    mutation DeleteMcpServer($input: DeleteMcpServerInput!) {
  deleteMcpServer(input: $input) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteMcpServerMutation, DeleteMcpServerMutationVariables>;
export const MembersDocument = new TypedDocumentString(`
    query Members($first: Int, $after: String) {
  members(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...MemberFields
      }
    }
  }
}
    fragment MemberFields on Member {
  id
  role
  createdAt
  user {
    id
    email
  }
}`) as unknown as TypedDocumentString<MembersQuery, MembersQueryVariables>;
export const AddMemberDocument = new TypedDocumentString(`
    mutation AddMember($input: AddMemberInput!) {
  addMember(input: $input) {
    member {
      ...MemberFields
    }
  }
}
    fragment MemberFields on Member {
  id
  role
  createdAt
  user {
    id
    email
  }
}`) as unknown as TypedDocumentString<AddMemberMutation, AddMemberMutationVariables>;
export const UpdateMemberRoleDocument = new TypedDocumentString(`
    mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {
  updateMemberRole(input: $input) {
    member {
      ...MemberFields
    }
  }
}
    fragment MemberFields on Member {
  id
  role
  createdAt
  user {
    id
    email
  }
}`) as unknown as TypedDocumentString<UpdateMemberRoleMutation, UpdateMemberRoleMutationVariables>;
export const RemoveMemberDocument = new TypedDocumentString(`
    mutation RemoveMember($input: RemoveMemberInput!) {
  removeMember(input: $input) {
    removedId
  }
}
    `) as unknown as TypedDocumentString<RemoveMemberMutation, RemoveMemberMutationVariables>;
export const InvitationsDocument = new TypedDocumentString(`
    query Invitations($first: Int, $after: String) {
  invitations(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...InvitationFields
      }
    }
  }
}
    fragment InvitationFields on Invitation {
  id
  email
  role
  createdAt
  expiresAt
}`) as unknown as TypedDocumentString<InvitationsQuery, InvitationsQueryVariables>;
export const InviteMemberDocument = new TypedDocumentString(`
    mutation InviteMember($input: InviteMemberInput!) {
  inviteMember(input: $input) {
    invitation {
      ...InvitationFields
    }
    token
  }
}
    fragment InvitationFields on Invitation {
  id
  email
  role
  createdAt
  expiresAt
}`) as unknown as TypedDocumentString<InviteMemberMutation, InviteMemberMutationVariables>;
export const RevokeInvitationDocument = new TypedDocumentString(`
    mutation RevokeInvitation($input: RevokeInvitationInput!) {
  revokeInvitation(input: $input) {
    invitation {
      ...InvitationFields
    }
  }
}
    fragment InvitationFields on Invitation {
  id
  email
  role
  createdAt
  expiresAt
}`) as unknown as TypedDocumentString<RevokeInvitationMutation, RevokeInvitationMutationVariables>;
export const AcceptInvitationDocument = new TypedDocumentString(`
    mutation AcceptInvitation($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) {
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
}`) as unknown as TypedDocumentString<AcceptInvitationMutation, AcceptInvitationMutationVariables>;
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
export const RetryExecutionDocument = new TypedDocumentString(`
    mutation RetryExecution($input: RetryExecutionInput!) {
  retryExecution(input: $input) {
    execution {
      id
      status
      attempt
      createdAt
      retryOf {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RetryExecutionMutation, RetryExecutionMutationVariables>;
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
export const NodeDocument = new TypedDocumentString(`
    query Node($id: ID!) {
  node(id: $id) {
    __typename
    id
  }
}
    `) as unknown as TypedDocumentString<NodeQuery, NodeQueryVariables>;
export const UpdateTenantDocument = new TypedDocumentString(`
    mutation UpdateTenant($input: UpdateTenantInput!) {
  updateTenant(input: $input) {
    tenant {
      ...TenantFields
    }
  }
}
    fragment TenantFields on Tenant {
  id
  name
  plan
  createdAt
  deletionRequestedAt
  deletionScheduledAt
  redactPii
}`) as unknown as TypedDocumentString<UpdateTenantMutation, UpdateTenantMutationVariables>;
export const DeleteTenantDocument = new TypedDocumentString(`
    mutation DeleteTenant($input: DeleteTenantInput!) {
  deleteTenant(input: $input) {
    deletionScheduledAt
  }
}
    `) as unknown as TypedDocumentString<DeleteTenantMutation, DeleteTenantMutationVariables>;
export const CancelTenantDeletionDocument = new TypedDocumentString(`
    mutation CancelTenantDeletion {
  cancelTenantDeletion {
    tenant {
      ...TenantFields
    }
  }
}
    fragment TenantFields on Tenant {
  id
  name
  plan
  createdAt
  deletionRequestedAt
  deletionScheduledAt
  redactPii
}`) as unknown as TypedDocumentString<CancelTenantDeletionMutation, CancelTenantDeletionMutationVariables>;
export const BudgetsDocument = new TypedDocumentString(`
    query Budgets($first: Int, $after: String) {
  budgets(first: $first, after: $after) {
    edges {
      cursor
      node {
        ...BudgetFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment BudgetFields on Budget {
  id
  subject
  subjectId
  maxExecutions
  maxTokens
  usedExecutions
  usedTokens
  periodStart
  resetAt
}`) as unknown as TypedDocumentString<BudgetsQuery, BudgetsQueryVariables>;
export const SetBudgetDocument = new TypedDocumentString(`
    mutation SetBudget($input: SetBudgetInput!) {
  setBudget(input: $input) {
    budget {
      ...BudgetFields
    }
  }
}
    fragment BudgetFields on Budget {
  id
  subject
  subjectId
  maxExecutions
  maxTokens
  usedExecutions
  usedTokens
  periodStart
  resetAt
}`) as unknown as TypedDocumentString<SetBudgetMutation, SetBudgetMutationVariables>;
export const DeleteBudgetDocument = new TypedDocumentString(`
    mutation DeleteBudget($input: DeleteBudgetInput!) {
  deleteBudget(input: $input) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteBudgetMutation, DeleteBudgetMutationVariables>;
export const ExportTenantDataDocument = new TypedDocumentString(`
    mutation ExportTenantData {
  exportTenantData {
    export {
      ...TenantExportFields
    }
  }
}
    fragment TenantExportFields on TenantExport {
  id
  status
  records
  bytes
  downloadUrl
  error
  createdAt
  finishedAt
  expiresAt
}`) as unknown as TypedDocumentString<ExportTenantDataMutation, ExportTenantDataMutationVariables>;
export const TenantExportDocument = new TypedDocumentString(`
    query TenantExport($id: ID!) {
  tenantExport(id: $id) {
    ...TenantExportFields
  }
}
    fragment TenantExportFields on TenantExport {
  id
  status
  records
  bytes
  downloadUrl
  error
  createdAt
  finishedAt
  expiresAt
}`) as unknown as TypedDocumentString<TenantExportQuery, TenantExportQueryVariables>;
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
export const WebhooksDocument = new TypedDocumentString(`
    query Webhooks($first: Int, $after: String) {
  webhooks(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...WebhookFields
      }
    }
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  events
  enabled
  description
  createdAt
  previousSecretExpiresAt
}`) as unknown as TypedDocumentString<WebhooksQuery, WebhooksQueryVariables>;
export const WebhookDocument = new TypedDocumentString(`
    query Webhook($id: ID!) {
  webhook(id: $id) {
    ...WebhookFields
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  events
  enabled
  description
  createdAt
  previousSecretExpiresAt
}`) as unknown as TypedDocumentString<WebhookQuery, WebhookQueryVariables>;
export const WebhookDeliveriesDocument = new TypedDocumentString(`
    query WebhookDeliveries($id: ID!, $first: Int, $after: String, $filter: WebhookDeliveryFilter) {
  webhook(id: $id) {
    id
    deliveries(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...WebhookDeliveryFields
        }
      }
    }
  }
}
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  webhookId
  eventId
  type
  status
  attempts
  lastStatusCode
  lastError
  nextAttemptAt
  createdAt
  deliveredAt
}`) as unknown as TypedDocumentString<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>;
export const CreateWebhookDocument = new TypedDocumentString(`
    mutation CreateWebhook($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    webhook {
      ...WebhookFields
    }
    secret
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  events
  enabled
  description
  createdAt
  previousSecretExpiresAt
}`) as unknown as TypedDocumentString<CreateWebhookMutation, CreateWebhookMutationVariables>;
export const UpdateWebhookDocument = new TypedDocumentString(`
    mutation UpdateWebhook($input: UpdateWebhookInput!) {
  updateWebhook(input: $input) {
    webhook {
      ...WebhookFields
    }
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  events
  enabled
  description
  createdAt
  previousSecretExpiresAt
}`) as unknown as TypedDocumentString<UpdateWebhookMutation, UpdateWebhookMutationVariables>;
export const DeleteWebhookDocument = new TypedDocumentString(`
    mutation DeleteWebhook($input: DeleteWebhookInput!) {
  deleteWebhook(input: $input) {
    deletedId
  }
}
    `) as unknown as TypedDocumentString<DeleteWebhookMutation, DeleteWebhookMutationVariables>;
export const RotateWebhookSecretDocument = new TypedDocumentString(`
    mutation RotateWebhookSecret($input: RotateWebhookSecretInput!) {
  rotateWebhookSecret(input: $input) {
    webhook {
      ...WebhookFields
    }
    secret
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  events
  enabled
  description
  createdAt
  previousSecretExpiresAt
}`) as unknown as TypedDocumentString<RotateWebhookSecretMutation, RotateWebhookSecretMutationVariables>;
export const RedeliverWebhookDocument = new TypedDocumentString(`
    mutation RedeliverWebhook($input: RedeliverWebhookInput!) {
  redeliverWebhook(input: $input) {
    delivery {
      ...WebhookDeliveryFields
    }
  }
}
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  webhookId
  eventId
  type
  status
  attempts
  lastStatusCode
  lastError
  nextAttemptAt
  createdAt
  deliveredAt
}`) as unknown as TypedDocumentString<RedeliverWebhookMutation, RedeliverWebhookMutationVariables>;