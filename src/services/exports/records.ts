// What an export contains: every tenant-owned record, table by table, read in keyset batches (never a whole table in
// memory), with secrets left out: password hashes (members are read without them), API key and invitation hashes,
// sealed tool and MCP headers (also inside run snapshots), webhook signing secrets, refresh tokens.
import type { Database } from '../../db/client.ts'
import { publicAgentSnapshot, publicToolUrl } from '../tool-secrets.ts'

type Row = Record<string, unknown>

interface TableSpec {
  /** The record type written on each line. */
  type: string
  table: string
  /** The keyset columns (besides the tenant) with their SQL types, in order. */
  key: [column: string, sqlType: string][]
  /** Columns never exported. */
  omit?: string[]
  /** A jsonb expression over `x` instead of the row minus `omit`. */
  select?: string
  from?: string
  tenantColumn?: string
  clean?: (row: Row) => Row
}

const uuid = 'uuid'

/** Every exported table, in a readable order: the tenant, its people and keys, its catalog, its runs, its logs. */
export const exportedTables: TableSpec[] = [
  { type: 'Tenant', table: 'tenants', key: [['id', uuid]], tenantColumn: 'id', omit: ['event_seq'] },
  {
    type: 'Member', table: 'memberships', key: [['user_id', uuid]],
    // The person without their password hash (a user's account is global; only what the tenant knows of it).
    select: `jsonb_build_object('user_id', x.user_id, 'email', u.email, 'display_name', u.display_name, 'role', x.role, 'created_at', x.created_at, 'updated_at', x.updated_at)`,
    from: 'memberships x JOIN users u ON u.id = x.user_id',
  },
  { type: 'Invitation', table: 'invitations', key: [['id', uuid]], omit: ['token_hash'] },
  { type: 'ApiKey', table: 'api_keys', key: [['id', uuid]], omit: ['secret_hash', 'previous_secret_hash'] },
  { type: 'McpServer', table: 'mcp_servers', key: [['id', uuid]], omit: ['headers_sealed'] },
  { type: 'Tool', table: 'tools', key: [['id', uuid]], omit: ['headers_sealed'], clean: (r) => ({ ...r, url: publicToolUrl((r.url as string | null) ?? null) }) },
  { type: 'Agent', table: 'agents', key: [['id', uuid]] },
  { type: 'AgentTool', table: 'agent_tools', key: [['agent_id', uuid], ['tool_id', uuid]] },
  { type: 'Budget', table: 'budgets', key: [['id', uuid]] },
  { type: 'Thread', table: 'threads', key: [['id', uuid]] },
  { type: 'Execution', table: 'executions', key: [['id', uuid]], clean: (r) => ({ ...r, agent_snapshot: publicAgentSnapshot(r.agent_snapshot) }) },
  { type: 'ExecutionEvent', table: 'execution_events', key: [['execution_id', uuid], ['seq', 'int']] },
  { type: 'TenantEvent', table: 'tenant_events', key: [['seq', 'int']] },
  { type: 'AuditLogEntry', table: 'audit_log', key: [['id', uuid]] },
  { type: 'TenantUsage', table: 'tenant_usage', key: [['period_start', 'date']] },
  { type: 'SubjectUsage', table: 'subject_usage', key: [['subject', '"BudgetSubject"'], ['subject_id', uuid], ['period_start', 'date']] },
  { type: 'Webhook', table: 'webhooks', key: [['id', uuid]], omit: ['secret', 'previous_secret'] },
  { type: 'WebhookDelivery', table: 'webhook_deliveries', key: [['id', uuid]] },
]

/** Tenant tables deliberately not exported, and why (a test requires every tenant table to be in one list). */
export const excludedTables: Record<string, string> = {
  refresh_tokens: 'session credentials (hashes of refresh tokens), no content of the tenant',
  tenant_exports: 'the export jobs themselves',
  tenant_export_chunks: 'the exports themselves',
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())
const camelKeys = (row: Row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v]))

/** One exported record: its type and its columns (camelCase; database ids). */
export interface ExportRecord {
  type: string
  data: Row
}

/**
 * Yields every exported record of the tenant, `batch` rows per query, each query in a short transaction of its own (a
 * long one would hold a connection, and PGlite's only one, for the whole export).
 */
export async function* tenantRecords(db: Database, tenantId: string, batch: number): AsyncGenerator<ExportRecord> {
  const scoped = db.forTenant(tenantId)
  for (const spec of exportedTables) {
    let after: string[] | null = null
    for (;;) {
      const sql = batchSql(spec, after !== null, batch)
      const params = [tenantId, spec.omit ?? [], ...(after ?? [])]
      const rows: { row: Row; k: string[] }[] = await scoped.tx((tx) => tx.$queryRawUnsafe(sql, ...params))
      for (const r of rows) yield { type: spec.type, data: camelKeys(spec.clean ? spec.clean(r.row) : r.row) }
      if (rows.length < batch) break
      after = rows.at(-1)!.k
    }
  }
}

// Identifiers come from the fixed specs above, never from input; values are parameters.
function batchSql(spec: TableSpec, paged: boolean, batch: number): string {
  const cols = spec.key.map(([c]) => `x.${c}`)
  const select = spec.select ?? 'to_jsonb(x) - $2::text[]'
  const from = spec.from ?? `${spec.table} x`
  const after = paged ? ` AND (${cols.join(', ')}) > (${spec.key.map(([, type], i) => `$${i + 3}::${type}`).join(', ')})` : ''
  const omitUsed = spec.select ? ' AND cardinality($2::text[]) >= 0' : ''
  return `SELECT ${select} AS row, ARRAY[${cols.map((c) => `${c}::text`).join(', ')}] AS k FROM ${from}
    WHERE x.${spec.tenantColumn ?? 'tenant_id'} = $1::uuid${omitUsed}${after} ORDER BY ${cols.join(', ')} LIMIT ${Math.trunc(batch)}`
}
