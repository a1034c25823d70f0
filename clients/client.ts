// createClient: one object for the whole public API. Every operation in clients/operations is a typed document
// (see ./generated/graphql.ts); `request` sends any of them over HTTP with the session's credential, refreshes an
// expired access token once, and retries refusals that say when to come back (RATE_LIMITED, SERVICE_UNAVAILABLE)
// after `retryAfter`. `subscribe` runs subscriptions over graphql-ws and, for those with an `after` cursor, resumes
// after the last delivered event on any disconnect.
import type { Client } from 'graphql-ws'
import { AcceptInvitationDocument, ChangePasswordDocument, LoginDocument, LogoutDocument, RefreshTokenDocument, SignUpDocument, type AcceptInvitationInput, type ChangePasswordInput, type LoginInput, type SignUpInput, type TypedDocumentString } from './generated/graphql.ts'
import { GraphQLRequestError, type GraphQLErrorShape } from './http.ts'
import { createResumableClient, subscribeResumable } from './ws.ts'

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql (WebSocket on the same URL). */
  url: string
  /** A user session's access token (with `refreshToken` it is renewed when it expires). */
  accessToken?: string
  refreshToken?: string
  apiKey?: string
  /** Called for each request: a credential from elsewhere (wins over the others). */
  getToken?: () => string | undefined | Promise<string | undefined>
  /** Told about every new token pair (sign-up, login, refresh), e.g. to persist it. */
  onTokens?: (tokens: { accessToken: string; refreshToken: string }) => void
  fetch?: typeof fetch
  /** A WebSocket implementation where there is no global one (Node 20: the `ws` package). */
  webSocketImpl?: unknown
  /** Retries of a refused request that carries retryAfter (default 3). */
  maxRetries?: number
}

export interface SubscribeHandlers<T> {
  next: (data: T) => void
  complete?: () => void
  error?: (error: unknown) => void
}

type Variables<V> = V extends Record<string, never> ? [] | [V] : [V]

const retryable = new Set(['RATE_LIMITED', 'SERVICE_UNAVAILABLE'])
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The client: typed requests with refresh and retries, resumable subscriptions, sign-up and login. */
export function createClient(opts: ClientOptions) {
  const doFetch = opts.fetch ?? fetch
  const session = { accessToken: opts.accessToken, refreshToken: opts.refreshToken }
  const maxRetries = opts.maxRetries ?? 3
  let ws: Client | undefined

  const credential = async () => (await opts.getToken?.()) ?? opts.apiKey ?? session.accessToken

  async function send<R, V>(document: TypedDocumentString<R, V>, variables: V | undefined, anonymous = false): Promise<R> {
    // A refused credential would refuse the refresh too: refreshing, sign-up and login go without one.
    const token = anonymous ? undefined : await credential()
    const res = await doFetch(opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query: document.toString(), variables }),
    })
    const body = (await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}`, extensions: { code: res.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'VALIDATION_FAILED' } }] }))) as { data?: R; errors?: GraphQLErrorShape[] }
    if (body.errors?.length) {
      const error = new GraphQLRequestError(body.errors, res.status)
      const header = Number(res.headers.get('retry-after'))
      Object.assign(error, { retryAfter: typeof body.errors[0]?.extensions?.retryAfter === 'number' ? body.errors[0].extensions.retryAfter : Number.isFinite(header) && header >= 0 ? header : undefined })
      throw error
    }
    return body.data as R
  }

  function remember(t: { accessToken: string; refreshToken: string }) {
    session.accessToken = t.accessToken
    session.refreshToken = t.refreshToken
    opts.onTokens?.({ accessToken: t.accessToken, refreshToken: t.refreshToken })
  }

  let refreshing: Promise<void> | undefined
  /** One refresh at a time: refresh tokens are single use. */
  const refresh = () => (refreshing ??= send(RefreshTokenDocument, { input: { refreshToken: session.refreshToken! } }, true).then((d) => remember(d.refreshToken)).finally(() => (refreshing = undefined)))

  /** Sends one operation; resolves to its data or rejects with GraphQLRequestError (`code`, `retryAfter`). */
  async function request<R, V>(document: TypedDocumentString<R, V>, ...[variables]: Variables<V>): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await send(document, variables as V | undefined)
      } catch (e) {
        if (!(e instanceof GraphQLRequestError)) throw e
        if (e.code === 'UNAUTHENTICATED' && session.refreshToken && attempt === 0 && !opts.getToken && !opts.apiKey) {
          await refresh()
          continue
        }
        const wait = (e as GraphQLRequestError & { retryAfter?: number }).retryAfter
        if (!retryable.has(e.code ?? '') || wait === undefined || attempt >= maxRetries) throw e
        await sleep(wait * 1000)
      }
    }
  }

  const socket = () =>
    (ws ??= createResumableClient({
      url: opts.url.replace(/^http/, 'ws'),
      ...(opts.webSocketImpl !== undefined && { webSocketImpl: opts.webSocketImpl }),
      connectionParams: async () => ({ authorization: `Bearer ${(await credential()) ?? ''}` }),
    }))

  /**
   * Starts a subscription; returns a function that stops it. A subscription with an `after` variable resumes after
   * the last cursor it delivered (the `cursor` field of its single root field) whenever the connection drops.
   */
  function subscribe<R, V extends { after?: string | null }>(document: TypedDocumentString<R, V>, variables: V, handlers: SubscribeHandlers<R>): () => void {
    return subscribeResumable({
      client: socket(),
      query: document,
      variables,
      cursorOf: (data) => (Object.values(data as Record<string, { cursor?: string }>)[0]?.cursor),
      onNext: handlers.next,
      onComplete: handlers.complete,
      onError: handlers.error,
    })
  }

  return {
    request,
    subscribe,
    /** Creates a tenant and its owner; the client then acts as that owner. */
    async signUp(input: SignUpInput) {
      const { signUp } = await send(SignUpDocument, { input }, true)
      remember(signUp)
      return signUp
    },
    /** Logs in; the client then acts as that user. */
    async login(input: LoginInput) {
      const { login } = await send(LoginDocument, { input }, true)
      remember(login)
      return login
    },
    /** Accepts an invitation (creating the account if needed); the client then acts as that member. */
    async acceptInvitation(input: AcceptInvitationInput) {
      const { acceptInvitation } = await send(AcceptInvitationDocument, { input }, true)
      remember(acceptInvitation)
      return acceptInvitation
    },
    /** Changes the password; every other session ends and the client continues with the new pair. */
    async changePassword(input: ChangePasswordInput) {
      const { changePassword } = await request(ChangePasswordDocument, { input })
      remember(changePassword)
      return changePassword
    },
    /** Ends the session on the server (its refresh token and access token stop working) and forgets it here. */
    async logout() {
      const { logout } = await request(LogoutDocument)
      session.accessToken = undefined
      session.refreshToken = undefined
      await ws?.dispose()
      ws = undefined
      return logout
    },
    /** The current token pair (after sign-up, login or a refresh). */
    tokens: () => ({ ...session }),
    /** Closes the WebSocket, if one was opened. */
    dispose: async () => {
      await ws?.dispose()
      ws = undefined
    },
  }
}

export type AgentPlatformClient = ReturnType<typeof createClient>
