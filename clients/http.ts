// A small typed HTTP client for the generated documents (clients/generated). No GraphQL runtime needed.
import type { TypedDocumentString } from './generated/graphql.ts'

export interface GraphQLErrorShape {
  message: string
  path?: (string | number)[]
  extensions?: { code?: string; requestId?: string; [k: string]: unknown }
}

/** Thrown when a response carries errors; `code` is the first error's `extensions.code`. */
export class GraphQLRequestError extends Error {
  constructor(
    readonly errors: GraphQLErrorShape[],
    readonly status: number,
  ) {
    super(errors.map((e) => e.message).join('; '))
    this.name = 'GraphQLRequestError'
  }
  get code() {
    return this.errors[0]?.extensions?.code
  }
}

export interface HttpClientOptions {
  /** e.g. http://localhost:4000/graphql */
  url: string
  /** Access token or API key, sent as `Authorization: Bearer …`. */
  token?: string | (() => string | undefined)
  headers?: Record<string, string>
  fetch?: typeof fetch
}

/** Creates `request(document, variables)`, resolving to `data` or rejecting with GraphQLRequestError. */
export function createHttpClient(opts: HttpClientOptions) {
  const doFetch = opts.fetch ?? fetch
  return async function request<R, V>(document: TypedDocumentString<R, V>, ...[variables]: V extends Record<string, never> ? [] | [V] : [V]): Promise<R> {
    const token = typeof opts.token === 'function' ? opts.token() : opts.token
    const res = await doFetch(opts.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token && { authorization: `Bearer ${token}` }),
        ...opts.headers,
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    })
    const body = (await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}` }] }))) as {
      data?: R
      errors?: GraphQLErrorShape[]
    }
    if (body.errors?.length) throw new GraphQLRequestError(body.errors, res.status)
    return body.data as R
  }
}
