// Exports as the tenant sees them: requesting one (at most one in progress per tenant: a second request, even a
// concurrent one, gets the export already under way), reading its status, and streaming a finished one back.
import { afterCommit } from '../../db/scope.ts'
import { uuidv7 } from '../../db/ids.ts'
import { AppError, notFound } from '../../errors.ts'
import { topics } from '../../events/topics.ts'
import type { TenantExport } from '../../generated/prisma/client.ts'
import { actorOf, recordAudit } from '../audit.ts'
import type { Session } from '../session.ts'

/**
 * Queues an export of every record of the caller's tenant for a worker, or returns the one already PENDING or
 * RUNNING (a partial unique index decides between concurrent requests: exactly one job).
 */
export async function exportTenantData(s: Session): Promise<TenantExport> {
  const tenantId = s.principal.tenantId
  return s.db.tx(async (tx) => {
    const requestedById = s.principal.kind === 'USER' ? s.principal.userId : null
    const requestedByApiKeyId = s.principal.kind === 'API_KEY' ? s.principal.apiKeyId : null
    const [created] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO tenant_exports (id, tenant_id, requested_by_id, requested_by_api_key_id)
      VALUES (${uuidv7()}::uuid, ${tenantId}::uuid, ${requestedById}::uuid, ${requestedByApiKeyId}::uuid)
      ON CONFLICT (tenant_id) WHERE status IN ('PENDING', 'RUNNING') DO NOTHING
      RETURNING id`
    // Lost the race (or one was under way): the active one. Its row is committed, or the insert above would have waited.
    const job = created
      ? await tx.tenantExport.findUniqueOrThrow({ where: { id: created.id } })
      : await tx.tenantExport.findFirst({ where: { status: { in: ['PENDING', 'RUNNING'] } } })
    if (!job) throw new AppError('CONFLICT', 'An export finished while this one was requested; request again.')
    await recordAudit(tx, tenantId, actorOf(s.principal), s.meta, { action: 'tenant.export', outcome: 'SUCCESS', resourceType: 'TenantExport', resourceId: job.id, metadata: { reused: !created } })
    if (created) afterCommit(tx, () => void s.deps.pubsub.publish(topics.exports, {}))
    return job
  })
}

/** One export of the caller's tenant; NOT_FOUND for a missing, foreign or expired one. */
export async function getExport(s: Session, id: string): Promise<TenantExport> {
  const job = await s.db.client.tenantExport.findUnique({ where: { id } })
  if (!job || (job.expiresAt && job.expiresAt.getTime() <= s.deps.clock())) throw notFound('Export')
  return job
}

/**
 * A finished export's NDJSON, chunk by chunk (one chunk in memory at a time), after auditing the download;
 * CONFLICT while it is not SUCCEEDED.
 */
export async function openExportDownload(s: Session, id: string): Promise<{ job: TenantExport; chunks: AsyncGenerator<string> }> {
  const job = await getExport(s, id)
  if (job.status !== 'SUCCEEDED') throw new AppError('CONFLICT', `The export is ${job.status}; download it once it has SUCCEEDED.`, { reason: job.status })
  await s.db.tx((tx) => recordAudit(tx, job.tenantId, actorOf(s.principal), s.meta, { action: 'tenant.export_download', outcome: 'SUCCESS', resourceType: 'TenantExport', resourceId: job.id, metadata: { bytes: Number(job.bytes) } }))
  return { job, chunks: readChunks(s, job.id) }
}

async function* readChunks(s: Session, exportId: string): AsyncGenerator<string> {
  for (let seq = 0; ; seq++) {
    const chunk = await s.db.client.tenantExportChunk.findUnique({ where: { exportId_seq: { exportId, seq } }, select: { data: true } })
    if (!chunk) return
    yield chunk.data
  }
}
