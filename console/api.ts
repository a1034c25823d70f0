// The console's only way to the server: the public GraphQL API over HTTP (typed documents from clients/generated)
// and graphql-ws for live events. Credentials live in sessionStorage (this tab only).
import { createHttpClient, GraphQLRequestError } from '../clients/http.ts'
import { createResumableClient } from '../clients/ws.ts'
import { RefreshTokenDocument, type TypedDocumentString } from '../clients/generated/graphql.ts'

export interface Credentials {
  accessToken?: string
  refreshToken?: string
  apiKey?: string
}

const storageKey = 'agent-platform-console'
const url = new URL('/graphql', location.href).toString()

export const loadCredentials = (): Credentials | undefined => JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') ?? undefined
export const saveCredentials = (c: Credentials | undefined) => (c ? sessionStorage.setItem(storageKey, JSON.stringify(c)) : sessionStorage.removeItem(storageKey))

const bearer = () => {
  const c = loadCredentials()
  return c?.apiKey ?? c?.accessToken
}

const http = createHttpClient({ url, token: bearer })

/** One operation; an expired access token is refreshed (once) and the operation repeated. */
export async function request<R, V>(document: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  const send = () => (http as (d: TypedDocumentString<R, V>, v?: V) => Promise<R>)(document, variables)
  try {
    return await send()
  } catch (e) {
    const c = loadCredentials()
    if (!(e instanceof GraphQLRequestError) || e.code !== 'UNAUTHENTICATED' || !c?.refreshToken) throw e
    const { refreshToken } = await createHttpClient({ url })(RefreshTokenDocument, { input: { refreshToken: c.refreshToken } })
    saveCredentials({ accessToken: refreshToken.accessToken, refreshToken: refreshToken.refreshToken })
    return send()
  }
}

/** The WebSocket client: lazy, authenticating with the current credential on every (re)connect. */
export const ws = createResumableClient({
  url: url.replace(/^http/, 'ws'),
  connectionParams: () => ({ authorization: `Bearer ${bearer() ?? ''}` }),
})

/** A readable line for an error from request() or a subscription. */
export function describeError(e: unknown): string {
  if (e instanceof GraphQLRequestError) return `${e.code ?? 'ERROR'}: ${e.message}`
  if (Array.isArray(e)) return e.map((x: { message?: string; extensions?: { code?: string } }) => `${x.extensions?.code ?? 'ERROR'}: ${x.message}`).join('\n')
  return e instanceof Error ? e.message : String(e)
}
