// Pub/sub topics. Messages are wake-ups (`{ seq }` or a signal), never the data: the database is the source of truth.
export const topics = {
  /** New events in an execution's log. */
  execution: (executionId: string) => `exec:${executionId}`,
  /** Control messages for the worker running an execution (cancel). */
  control: (executionId: string) => `exec-control:${executionId}`,
  /** New entries in a tenant's domain-event log. */
  tenant: (tenantId: string) => `tenant:${tenantId}`,
  /** Executions became claimable. */
  queue: 'executions:queued',
  /** Webhook deliveries became due. */
  webhooks: 'webhooks:due',
  /** An MCP server's cached tool list went stale (list_changed, a vanished tool). */
  mcpStale: 'mcp:stale',
  /** Tenant exports were requested. */
  exports: 'exports:queued',
}
