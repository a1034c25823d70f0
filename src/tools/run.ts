// One tool call, start to finish: bound and validate the arguments, dispatch to a built-in or an HTTP tool, and turn
// every tool-level failure into a result value. The caller (the worker) turns the result into an AG-UI
// TOOL_CALL_RESULT, so a failing tool is something the model reads, never an exception that fails the run.
import type { HttpToolPolicy } from './address-policy.ts'
import { builtinHandlers, builtinNames } from './builtin.ts'
import { abortedError, ToolCallError, type ToolErrorCode } from './errors.ts'
import { callHttpTool } from './http-tool.ts'
import { callMcpTool, type McpEndpoint } from './mcp-client.ts'
import { checkJsonBounds } from './json-bounds.ts'
import { validateArguments } from './schema.ts'
import type { HttpHeader } from './http-headers.ts'

export const ARGUMENT_LIMITS = { maxBytes: 256 * 1024, maxDepth: 32 }

export interface ToolDefinition {
  id?: string
  kind: 'BUILTIN' | 'HTTP' | 'MCP'
  handler?: string | null
  url?: string | null
  /** HTTP: the opened header values; `null` when they could not be opened (sealed under another key). */
  headers?: HttpHeader[] | null
  /** The tool's own schema for its arguments; null/undefined means "any JSON object". */
  inputSchema: unknown
}

export interface RunToolOptions {
  signal: AbortSignal
  httpPolicy: HttpToolPolicy
  /** Budget for the call (HTTP: DNS to last byte; built-ins: the whole handler). */
  timeoutMs: number
  maxResponseBytes: number
  /** MCP tools: the server to call and the tool's name there, looked up when called (secrets are not in snapshots). */
  mcp?: {
    policy: HttpToolPolicy
    endpoint: (tool: ToolDefinition) => Promise<McpEndpoint & { remoteName: string; serverId: string }>
    /** The server announced a changed tool list during the call. */
    onListChanged?: (serverId: string) => void
    /** The server said it no longer has the tool (the call ends with TOOL_UNAVAILABLE). */
    onToolGone?: (tool: ToolDefinition, serverId: string) => void
  }
  /** Clock for built-ins, injectable for tests. */
  now?: () => Date
}

export interface ToolRunError {
  code: ToolErrorCode
  message: string
  retryable: boolean
}

export type ToolRunResult = { ok: true; result: unknown } | { ok: false; error: ToolRunError }

/** Runs one tool call and reports the outcome, success or tool-level failure, as a value (never throws for those). */
export async function runTool(tool: ToolDefinition, args: unknown, opts: RunToolOptions): Promise<ToolRunResult> {
  try {
    if (opts.signal.aborted) throw abortedError()
    const input = checkArguments(args, tool.inputSchema)
    let result: unknown
    if (tool.kind === 'BUILTIN') result = await runBuiltin(tool, input, opts)
    else if (tool.kind === 'HTTP') result = await runHttp(tool, input, opts)
    else if (tool.kind === 'MCP') result = await runMcp(tool, input, opts)
    else throw new ToolCallError('INVALID_TOOL', `Unknown tool kind ${JSON.stringify(tool.kind)}.`)
    return { ok: true, result }
  } catch (e) {
    const error = e instanceof ToolCallError
      ? e
      : opts.signal.aborted
        ? abortedError()
        // A built-in bug or something unforeseen: the detail may be internal, so the tenant gets a fixed message.
        : new ToolCallError('TOOL_FAILED', 'The tool failed unexpectedly.')
    return { ok: false, error: { code: error.code, message: error.message, retryable: error.retryable } }
  }
}

function checkArguments(args: unknown, schema: unknown): Record<string, unknown> {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new ToolCallError('INVALID_ARGUMENTS', 'Invalid arguments: arguments must be a JSON object.')
  }
  const outOfBounds = checkJsonBounds(args, ARGUMENT_LIMITS)
  if (outOfBounds) throw new ToolCallError('INVALID_ARGUMENTS', `Invalid arguments: arguments ${outOfBounds}.`)
  if (schema !== null && schema !== undefined) {
    const problems = validateArguments(schema, args)
    if (problems.length) {
      const list = problems.map((p) => `${p.path} ${p.message}`).join('; ')
      throw new ToolCallError('INVALID_ARGUMENTS', `Invalid arguments: ${list}.`)
    }
  }
  return args as Record<string, unknown>
}

async function runBuiltin(tool: ToolDefinition, args: Record<string, unknown>, opts: RunToolOptions): Promise<unknown> {
  const handler = tool.handler ? builtinHandlers.get(tool.handler) : undefined
  if (!handler) {
    const known = builtinNames().join(', ')
    throw new ToolCallError('UNKNOWN_HANDLER', `Unknown built-in handler ${JSON.stringify(tool.handler ?? null)}; known handlers: ${known}.`)
  }
  // The tenant's inputSchema may be looser than what the handler needs: the handler's own schema has the last word.
  checkArguments(args, handler.inputSchema)
  const deadline = AbortSignal.timeout(opts.timeoutMs)
  const signal = AbortSignal.any([opts.signal, deadline])
  // Race the handler against the signal so a handler that ignores it still cannot hold the run past the budget.
  let onAbort = () => {}
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(opts.signal.aborted ? abortedError() : new ToolCallError('TIMEOUT', `The built-in ${handler.name} did not finish within ${opts.timeoutMs} ms.`, true))
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([handler.run(args, { signal, now: opts.now }), stopped])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

async function runHttp(tool: ToolDefinition, args: Record<string, unknown>, opts: RunToolOptions): Promise<unknown> {
  if (!tool.url) throw new ToolCallError('INVALID_TOOL', 'The HTTP tool has no URL.')
  if (tool.headers === null) throw new ToolCallError('INVALID_TOOL', 'The HTTP tool\'s headers cannot be opened by this server (its secret key changed); set them again with updateTool.')
  return callHttpTool(tool.url, args, {
    policy: opts.httpPolicy,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    maxResponseBytes: opts.maxResponseBytes,
    headers: tool.headers ?? [],
  })
}

async function runMcp(tool: ToolDefinition, args: Record<string, unknown>, opts: RunToolOptions): Promise<string> {
  if (!opts.mcp) throw new ToolCallError('INVALID_TOOL', 'MCP tools cannot be called here.')
  const { remoteName, serverId, ...endpoint } = await opts.mcp.endpoint(tool)
  const { onListChanged, onToolGone } = opts.mcp
  try {
    return await callMcpTool(endpoint, remoteName, args, {
      policy: opts.mcp.policy, signal: opts.signal, timeoutMs: opts.timeoutMs, maxResponseBytes: opts.maxResponseBytes,
      onToolListChanged: onListChanged && (() => onListChanged(serverId)),
    })
  } catch (e) {
    if (e instanceof ToolCallError && e.code === 'TOOL_UNAVAILABLE') onToolGone?.(tool, serverId)
    throw e
  }
}
