import { sessionOf } from '../../context.ts'
import { encodeGlobalId } from '../../global-ids.ts'
import type { TenantExport } from '../../generated/prisma/client.ts'
import { exportTenantData, getExport } from '../../services/exports/exports.ts'
import { builder } from '../builder.ts'
import { decodeId } from '../ids.ts'

const TenantExportStatusEnum = builder.enumType('TenantExportStatus', {
  values: {
    PENDING: { description: 'Waiting for a worker.' },
    RUNNING: { description: 'Being written.' },
    SUCCEEDED: { description: 'Ready: GET downloadUrl with the same kind of credential.' },
    FAILED: { description: 'Gave up (see error); request a new export.' },
  } as const,
})

/** Where a finished export is downloaded (relative to the server's origin). */
export const downloadPath = (id: string) => `/exports/${encodeURIComponent(encodeGlobalId('TenantExport', id))}/download`

const TenantExportRef = builder.objectRef<TenantExport>('TenantExport').implement({
  description: 'An export of every record of the tenant as newline-delimited JSON (docs/tenants.md#export), produced in the background.',
  fields: (t) => ({
    id: t.id({ resolve: (e) => encodeGlobalId('TenantExport', e.id) }),
    status: t.field({ type: TenantExportStatusEnum, resolve: (e) => e.status }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'When a finished export is deleted (EXPORT_RETENTION_HOURS after it finished).' }),
    records: t.exposeInt('records', { description: 'Records written (the header line not counted); final once SUCCEEDED.' }),
    bytes: t.float({ description: 'Size of the NDJSON (a whole number); final once SUCCEEDED.', resolve: (e) => Number(e.bytes) }),
    error: t.exposeString('error', { nullable: true }),
    downloadUrl: t.string({
      nullable: true,
      description: 'Path (on this server) to GET the NDJSON with an Authorization header of the tenant (TENANT_ADMIN); null until SUCCEEDED.',
      resolve: (e) => (e.status === 'SUCCEEDED' ? downloadPath(e.id) : null),
    }),
  }),
})

builder.queryField('tenantExport', (t) =>
  t.field({
    type: TenantExportRef,
    nullable: true,
    description: 'One export of the tenant (poll it until SUCCEEDED).',
    authScopes: { scope: 'TENANT_ADMIN' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => getExport(sessionOf(ctx), decodeId(String(id), 'TenantExport')),
  }),
)

const ExportTenantDataPayload = builder.objectRef<{ export: TenantExport }>('ExportTenantDataPayload').implement({
  fields: (t) => ({ export: t.field({ type: TenantExportRef, resolve: (p) => p.export }) }),
})

builder.mutationField('exportTenantData', (t) =>
  t.field({
    type: ExportTenantDataPayload,
    description: 'Starts an export of every record of the tenant in the background, or returns the one already in progress.',
    auditAction: 'tenant.export',
    authScopes: { scope: 'TENANT_ADMIN' },
    resolve: async (_r, _a, ctx) => ({ export: await exportTenantData(sessionOf(ctx)) }),
  }),
)
