// Reading an HTTP tool's answer: only a 2xx, uncompressed JSON body no larger than the cap is a result. The body is
// counted as it streams and the read stops at the first byte over the cap, so a huge answer costs at most the cap.
import type { IncomingMessage } from 'node:http'
import { ToolCallError } from './errors.ts'

// 408 Request Timeout, 425 Too Early, 429 Too Many Requests and 5xx may pass; other 4xx will fail the same way again.
const retryableStatus = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500

/** Resolves to the parsed JSON body of `res`, or rejects with a ToolCallError naming only `host`. */
export function readJsonResponse(res: IncomingMessage, host: string, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const fail = (error: ToolCallError) => {
      res.destroy()
      reject(error)
    }
    const status = res.statusCode ?? 0
    if (status >= 300 && status < 400) {
      return fail(new ToolCallError('HTTP_STATUS', `The tool at ${host} answered with a redirect (HTTP ${status}); redirects are not followed.`))
    }
    if (status < 200 || status >= 300) {
      return fail(new ToolCallError('HTTP_STATUS', `The tool at ${host} answered HTTP ${status}.`, retryableStatus(status)))
    }
    const type = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    if (!/^application\/([\w.-]+\+)?json$/.test(type)) {
      return fail(new ToolCallError('BAD_RESPONSE', `The tool at ${host} answered with content type "${type.slice(0, 100)}", not JSON.`))
    }
    // We never send Accept-Encoding; decompressing anyway would make the size cap meaningless (compression bombs).
    const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase()
    if (encoding !== 'identity') return fail(new ToolCallError('BAD_RESPONSE', `The tool at ${host} answered with a compressed body.`))
    const tooLarge = () => new ToolCallError('TOO_LARGE', `The answer of the tool at ${host} is larger than ${maxBytes} bytes.`)
    if (Number(res.headers['content-length']) > maxBytes) return fail(tooLarge())

    const chunks: Buffer[] = []
    let size = 0
    res.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) return fail(tooLarge())
      chunks.push(chunk)
    })
    res.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch {
        reject(new ToolCallError('BAD_RESPONSE', `The tool at ${host} answered with a body that is not valid JSON.`))
      }
    })
    res.on('error', () => reject(new ToolCallError('NETWORK', `The connection to the tool at ${host} broke while reading the answer.`, true)))
  })
}
