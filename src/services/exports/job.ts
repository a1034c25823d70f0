// Producing exports (workers): claim a PENDING export (or one whose worker went silent), write the tenant's records
// as NDJSON chunks under that claim, then mark it SUCCEEDED (or FAILED, its partial content removed). Expired exports
// are deleted by the same workers.
import { applySettings, systemTx } from '../../db/scope.ts'
import type { AppDeps } from '../session.ts'
import { tenantRecords } from './records.ts'

const CHUNK_BYTES = 256 * 1024
/** The export format, on the first line of every export. */
const EXPORT_FORMAT = 'agent-platform-export/1'

export interface ClaimedExport {
  id: string
  tenantId: string
  createdAt: Date
}

/** Claims the oldest export waiting for a worker, or one whose worker stopped heartbeating (it starts over). */
export async function claimExport(deps: Pick<AppDeps, 'db' | 'config'>, workerId: string): Promise<ClaimedExport | undefined> {
  return systemTx(deps.db.prisma, { purpose: 'worker' }, async (tx) => {
    const stale = deps.config.worker.staleMs / 1000
    const [candidate] = await tx.$queryRaw<{ id: string; tenant_id: string }[]>`
      SELECT id, tenant_id FROM tenant_exports
       WHERE status = 'PENDING' OR (status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => ${stale}))
       ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1`
    if (!candidate) return undefined
    await applySettings(tx, { tenantId: candidate.tenant_id, purpose: 'worker' })
    await tx.$executeRaw`DELETE FROM tenant_export_chunks WHERE export_id = ${candidate.id}::uuid`
    const [row] = await tx.$queryRaw<{ created_at: Date }[]>`
      UPDATE tenant_exports SET status = 'RUNNING', claimed_by = ${workerId}, heartbeat_at = now(), started_at = now(), records = 0, bytes = 0
       WHERE id = ${candidate.id}::uuid RETURNING created_at`
    return { id: candidate.id, tenantId: candidate.tenant_id, createdAt: row!.created_at }
  })
}

class ClaimLost extends Error {}

/** Writes the claimed export; returns its final status ('lost': another worker took it over). */
export async function runExport(deps: Pick<AppDeps, 'db' | 'config' | 'logger'>, job: ClaimedExport, workerId: string): Promise<'SUCCEEDED' | 'FAILED' | 'lost'> {
  const db = deps.db.forTenant(job.tenantId)
  let seq = 0
  let records = 0
  let bytes = 0
  let buffer = ''
  // Each chunk is written under the claim, which also heartbeats: a worker that lost it stops at its next chunk.
  const flush = async () => {
    if (!buffer) return
    const data = buffer
    buffer = ''
    await db.tx(async (tx) => {
      const held = await tx.$executeRaw`UPDATE tenant_exports SET heartbeat_at = now() WHERE id = ${job.id}::uuid AND claimed_by = ${workerId} AND status = 'RUNNING'`
      if (!held) throw new ClaimLost()
      await tx.tenantExportChunk.create({ data: { tenantId: job.tenantId, exportId: job.id, seq, data } })
    })
    seq++
    bytes += Buffer.byteLength(data)
  }
  const write = async (line: object) => {
    buffer += `${JSON.stringify(line)}\n`
    if (buffer.length >= CHUNK_BYTES) await flush()
  }
  try {
    await write({ type: 'Export', data: { id: job.id, tenantId: job.tenantId, format: EXPORT_FORMAT, createdAt: job.createdAt.toISOString() } })
    for await (const record of tenantRecords(deps.db, job.tenantId, deps.config.tenants.exportBatchRows)) {
      records++
      await write(record)
    }
    await flush()
    const retention = deps.config.tenants.exportRetentionHours * 3600
    const done = await db.tx((tx) => tx.$executeRaw`
      UPDATE tenant_exports SET status = 'SUCCEEDED', claimed_by = NULL, finished_at = now(), records = ${records}, bytes = ${bytes},
             expires_at = now() + make_interval(secs => ${retention})
       WHERE id = ${job.id}::uuid AND claimed_by = ${workerId} AND status = 'RUNNING'`)
    return done ? 'SUCCEEDED' : 'lost'
  } catch (err) {
    if (err instanceof ClaimLost) return 'lost'
    deps.logger.error({ err, exportId: job.id, tenantId: job.tenantId }, 'tenant export failed')
    const failed = await db.tx(async (tx) => {
      const n = await tx.$executeRaw`UPDATE tenant_exports SET status = 'FAILED', claimed_by = NULL, finished_at = now(), error = 'The export failed; request a new one.'
        WHERE id = ${job.id}::uuid AND claimed_by = ${workerId} AND status = 'RUNNING'`
      if (n) await tx.$executeRaw`DELETE FROM tenant_export_chunks WHERE export_id = ${job.id}::uuid`
      return n
    })
    return failed ? 'FAILED' : 'lost'
  }
}

/** Deletes exports (and their content) past their expiry, in every tenant; returns how many. */
export async function deleteExpiredExports(deps: Pick<AppDeps, 'db'>): Promise<number> {
  const expired = await systemTx(deps.db.prisma, { purpose: 'worker' }, (tx) =>
    tx.$queryRaw<{ id: string; tenant_id: string }[]>`SELECT id, tenant_id FROM tenant_exports WHERE expires_at < now() LIMIT 1000`)
  for (const e of expired) await deps.db.forTenant(e.tenant_id).client.tenantExport.deleteMany({ where: { id: e.id } })
  return expired.length
}
