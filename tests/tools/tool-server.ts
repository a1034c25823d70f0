// A real node:http server on 127.0.0.1 standing in for a tenant's HTTP tool; it counts TCP connections so tests
// can prove that a blocked call never connected at all.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { onTestFinished } from 'vitest'

export interface ToolServer {
  port: number
  /** TCP connections accepted so far. */
  connections: () => number
  /** Requests seen, with their parsed JSON body. */
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: unknown }[]
}

/** Starts a server answering with `handle`; it is closed when the test finishes. */
export async function startToolServer(handle: (req: http.IncomingMessage, res: http.ServerResponse, body: unknown) => void): Promise<ToolServer> {
  let connections = 0
  const requests: ToolServer['requests'] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const body: unknown = text ? JSON.parse(text) : undefined
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      handle(req, res, body)
    })
  })
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(
    () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  )
  return { port: (server.address() as AddressInfo).port, connections: () => connections, requests }
}

export const json = (res: http.ServerResponse, status: number, value: unknown, headers: http.OutgoingHttpHeaders = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(value))
}
