// Reading a test server's /metrics (Prometheus text).

/** GET /metrics on `port`: status, content type and body. */
export const scrape = async (port: number, headers: Record<string, string> = {}) => {
  const r = await fetch(`http://127.0.0.1:${port}/metrics`, { headers })
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() }
}

/** The value of one sample, e.g. value(text, 'graphql_active_subscriptions{transport="ws"}'). */
export const value = (text: string, sample: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `))
  return line ? Number(line.slice(sample.length + 1)) : undefined
}
