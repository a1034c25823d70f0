// A Relay connection shown page by page in a table.
import { describeError } from './api.ts'
import { card, h } from './dom.ts'

/** A list that loads the next page on demand (Relay connection paging). */
export function pagedList<N>(title: string, load: (after: string | null) => Promise<{ edges: { node: N }[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } }>, row: (n: N) => HTMLElement, testId: string) {
  const body = h('tbody')
  const more = h('button', { type: 'button', 'data-testid': `${testId}-more` }, 'Load more')
  const error = h('p', { class: 'error' })
  let after: string | null = null
  // A reload keeps the rows on screen until the fresh first page has arrived (no empty flash, no doubled rows).
  const next = (fresh = false) => load(fresh ? null : after).then((page) => {
    const rows = page.edges.map((e) => row(e.node))
    if (fresh) body.replaceChildren(...rows)
    else body.append(...rows)
    after = page.pageInfo.endCursor ?? null
    more.hidden = !page.pageInfo.hasNextPage
    error.textContent = ''
  }, (e) => (error.textContent = describeError(e)))
  more.addEventListener('click', () => void next())
  const reload = () => next(true)
  void next(true)
  return { element: card(title, h('table', { 'data-testid': testId }, body), more, error), reload }
}
