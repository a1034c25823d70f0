// Requesting a tenant export and waiting for a worker to finish it.
import { expect } from 'vitest'
import type { TestApp } from './app.ts'

export interface ExportData {
  id: string
  status: string
  records: number
  bytes: number
  error: string | null
  downloadUrl: string | null
  expiresAt: string | null
}
export const exportFields = 'id status records bytes error downloadUrl expiresAt'

/** exportTenantData; returns the export as the payload shows it. */
export async function requestExport(t: TestApp, s: { headers: Record<string, string> }): Promise<ExportData> {
  const r = await t.gql<{ exportTenantData: { export: ExportData } }>(`mutation { exportTenantData { export { ${exportFields} } } }`, undefined, s.headers)
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  return r.body.data!.exportTenantData.export
}

/** Polls `tenantExport` until it is SUCCEEDED or FAILED. */
export async function finishedExport(t: TestApp, s: { headers: Record<string, string> }, id: string, ms = 30_000): Promise<ExportData> {
  const end = Date.now() + ms
  for (;;) {
    const r = await t.gql<{ tenantExport: ExportData }>(`query($id: ID!) { tenantExport(id: $id) { ${exportFields} } }`, { id }, s.headers)
    const e = r.body.data?.tenantExport
    if (!e) throw new Error(`tenantExport failed: ${JSON.stringify(r.body.errors)}`)
    if (e.status === 'SUCCEEDED' || e.status === 'FAILED' || Date.now() > end) return e
    await new Promise((done) => setTimeout(done, 50))
  }
}
