// GET /exports/:id/download: streams a finished tenant export (NDJSON). The caller goes through the admission pipeline
// like a GraphQL request (identify, rate limits) and needs TENANT_ADMIN in the export's tenant; another tenant's
// credential, a missing or an expired export all answer 404 alike. Chunks are written as the socket drains.
import type http from 'node:http'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import type { Admission } from '../admission.ts'
import { credentialFromHeaders } from '../auth/authenticate.ts'
import { decodeGlobalId } from '../global-ids.ts'
import { AppError, httpStatusFor, notFound, type ErrorCode } from '../errors.ts'
import { openExportDownload } from '../services/exports/exports.ts'
import type { AppDeps, Session } from '../services/session.ts'

// Besides the refusals every transport maps (httpStatusFor): what a download can answer on its own.
const downloadStatus: Partial<Record<string, number>> = { NOT_FOUND: 404, CONFLICT: 409 }
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The listener for /exports/*: returns false for paths it does not serve. */
export function createExportDownload(deps: AppDeps, admission: Admission, clientIp: (req: http.IncomingMessage) => string | undefined) {
  return async (req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<boolean> => {
    const match = /^\/exports\/([^/]+)\/download$/.exec(path)
    if (!match) return false
    const ip = clientIp(req)
    try {
      if (req.method !== 'GET') {
        res.setHeader('Allow', 'GET')
        throw Object.assign(new AppError('VALIDATION_FAILED', `${req.method} is not allowed here.`), { status: 405 })
      }
      const headers = new Headers()
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
      const principal = await admission.identify(credentialFromHeaders(headers), ip)
      if (!principal) throw new AppError('UNAUTHENTICATED', 'Credentials are required (Authorization: Bearer …).')
      await admission.admitRequest({ principal, ip }, {})
      if (principal.tenant.deletionScheduledAt) throw new AppError('FORBIDDEN', 'This tenant is scheduled for deletion.')
      if (!principal.scopes.has('TENANT_ADMIN')) throw new AppError('FORBIDDEN', 'The credential lacks the TENANT_ADMIN scope.')
      const id = exportIdOf(decodeURIComponent(match[1]!))
      const meta = { requestId: (req.headers['x-request-id'] as string | undefined) ?? randomUUID(), transport: 'http' as const, ip, userAgent: req.headers['user-agent'] }
      const session: Session = { deps, meta, principal, db: deps.db.forTenant(principal.tenantId) }
      const { job, chunks } = await openExportDownload(session, id)
      res.writeHead(200, {
        'Content-Type': 'application/x-ndjson; charset=utf-8',
        'Content-Length': String(job.bytes),
        'Content-Disposition': `attachment; filename="tenant-export-${job.id}.ndjson"`,
        'Cache-Control': 'no-store',
      })
      for await (const chunk of chunks) {
        if (res.destroyed) return true
        if (!res.write(chunk)) await once(res, 'drain')
      }
      res.end()
    } catch (e) {
      if (res.headersSent) {
        deps.logger.error({ err: e }, 'export download failed mid-stream')
        res.destroy()
        return true
      }
      const err = e instanceof AppError ? e : new AppError('INTERNAL_SERVER_ERROR', 'Unexpected error.')
      if (!(e instanceof AppError)) deps.logger.error({ err: e }, 'export download failed')
      if (err.code === 'UNAUTHENTICATED') res.setHeader('WWW-Authenticate', 'Bearer')
      if (typeof err.details.retryAfter === 'number') res.setHeader('Retry-After', String(Math.ceil(err.details.retryAfter)))
      const status = (err as AppError & { status?: number }).status ?? httpStatusFor[err.code as ErrorCode] ?? downloadStatus[err.code] ?? 500
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      res.end(JSON.stringify({ errors: [{ message: err.message, extensions: { code: err.code, ...(err.details.reason ? { reason: err.details.reason } : {}) } }] }))
    }
    return true
  }
}

function exportIdOf(globalId: string): string {
  try {
    const { typename, id } = decodeGlobalId(globalId)
    if (typename === 'TenantExport' && uuid.test(id)) return id.toLowerCase()
  } catch {
    // malformed: not found, like a foreign one
  }
  throw notFound('Export')
}
