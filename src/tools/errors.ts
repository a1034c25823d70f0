// Tool-call failures. They are results shown to the tenant (and to the model), not API errors: messages must be safe
// to show, i.e. never contain addresses or details of systems other than the tenant's own tool host.

export type ToolErrorCode =
  | 'INVALID_ARGUMENTS' // the arguments fail the schema, or the handler rejects them (bad expression, unknown zone)
  | 'INVALID_TOOL' // the tool definition cannot be used (no URL, schema that does not compile, URL against policy)
  | 'UNKNOWN_HANDLER' // BUILTIN tool naming a handler this server does not ship
  | 'BLOCKED_TARGET' // the URL points, or resolves, to an address the SSRF policy forbids
  | 'TIMEOUT'
  | 'TOO_LARGE'
  | 'HTTP_STATUS' // non-2xx answer, including redirects (never followed)
  | 'BAD_RESPONSE' // not JSON, unparsable, compressed, malformed HTTP
  | 'NETWORK' // DNS, connection or TLS failure
  | 'ABORTED' // the caller's signal fired (run cancelled)
  | 'TOOL_FAILED' // a built-in handler failed unexpectedly (detail withheld)
  | 'TOOL_ERROR' // an MCP tool reported an error (isError) or its server answered a JSON-RPC error
  | 'TOOL_UNAVAILABLE' // an MCP tool its server no longer lists, or whose server is gone

export class ToolCallError extends Error {
  constructor(
    readonly code: ToolErrorCode,
    message: string,
    /** Whether calling again with the same arguments may succeed. */
    readonly retryable = false,
  ) {
    super(message)
    this.name = 'ToolCallError'
  }
}

export const abortedError = () => new ToolCallError('ABORTED', 'The tool call was cancelled.')
