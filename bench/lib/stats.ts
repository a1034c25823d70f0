/** Median of `xs` (NaN when empty). */
export function median(xs: number[]): number {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Lowest and highest value: the spread printed beside a median. */
export const spread = (xs: number[]) => (xs.length ? [Math.min(...xs), Math.max(...xs)] : [NaN, NaN])

export const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–')
