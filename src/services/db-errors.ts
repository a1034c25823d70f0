// Prisma error codes the catalog services turn into domain errors. Driver adapters report constraint violations
// with the same codes as Prisma's own engines.
const codeOf = (e: unknown) => (e && typeof e === 'object' ? (e as { code?: unknown }).code : undefined)

/**
 * A unique constraint refused the write (e.g. a name already used in the tenant), through a model query (P2002) or a
 * raw one (P2010, the driver adapter's error kind inside).
 */
export const isUniqueViolation = (e: unknown) => codeOf(e) === 'P2002' ||
  (codeOf(e) === 'P2010' && (e as { meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } }).meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation')
/** A foreign key refused the write (e.g. a referenced tool was deleted concurrently). */
export const isForeignKeyViolation = (e: unknown) => codeOf(e) === 'P2003'
/** The record an update or delete targeted matched no row (e.g. its version moved on). */
export const isRecordNotFound = (e: unknown) => codeOf(e) === 'P2025'
