// Keyset pagination over a unique key, newest first (ids are UUID v7, so id order is creation order).

export interface PageRequest {
  /** Rows wanted. */
  take: number
  /** Key of the last row already seen when paging forward (`after`), or the first when paging backward (`before`). */
  cursor?: string
  backward: boolean
}

export interface Page<T> {
  rows: T[]
  /** More rows exist beyond this page in the paging direction. */
  hasMore: boolean
  /** Rows in the whole list; counted only when called (a COUNT(*) nobody selected is wasted work). */
  totalCount: () => Promise<number>
  /** The key a row's cursor carries: its value of the unique column the page is ordered by. */
  keyOf: (row: T) => string
}

type FindArgs = { where: Record<string, unknown>; orderBy: Record<string, 'asc' | 'desc'>; take: number }

/** Fetches one page: `find` receives where/orderBy/take for `key`; `count` the total, run only when asked for. */
export async function page<T extends Record<K, string>, K extends string>(
  req: PageRequest,
  key: K,
  find: (args: FindArgs) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<Page<T>> {
  const where = req.cursor ? { [key]: req.backward ? { gt: req.cursor } : { lt: req.cursor } } : {}
  const rows = await find({ where, orderBy: { [key]: req.backward ? 'asc' : 'desc' }, take: req.take + 1 })
  let counted: Promise<number> | undefined
  const totalCount = () => (counted ??= count())
  const hasMore = rows.length > req.take
  const pageRows = rows.slice(0, req.take)
  return { rows: req.backward ? pageRows.reverse() : pageRows, hasMore, totalCount, keyOf: (row) => row[key] }
}
