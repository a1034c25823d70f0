// The MCP SDK's client side, imported on first use: it is about a hundred modules (with its own zod schemas), and
// most processes never talk to an MCP server, or only minutes after start-up.
let sdk: ReturnType<typeof load> | undefined

const load = async () => {
  const [{ Client }, { StreamableHTTPClientTransport }, { ToolListChangedNotificationSchema }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ])
  return { Client, StreamableHTTPClientTransport, ToolListChangedNotificationSchema }
}

/** The SDK's client, transport and the notification schema we listen to (loaded once per process). */
export const mcpClientSdk = () => (sdk ??= load())
