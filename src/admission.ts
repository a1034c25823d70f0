// The admission pipeline: the one code path that authenticates callers and applies the request, query-shape,
// subscription and field limits to every GraphQL operation, whatever its transport. A limit added here applies to
// HTTP and WebSocket alike; the transport adapters (src/http/adapter.ts, src/ws.ts) only call it at their moments
// and translate a refusal (HTTP status and headers; a graphql-ws close code or the operation's `error`).
//
// In the order an operation meets them:
// 1. identify: the credential a request or a connection presents becomes a principal. A bad one spends the client
//    IP's anonymous request budget before it is refused, so guessing credentials is rate-limited too.
// 2. admitRequest: as soon as the operation's parameters are known, before parsing, so malformed, invalid and
//    over-complex operations count too. Operations made only of authentication mutations are exempt (own budget).
// 3. parse and validate (envelop): the token limit and the static shape rules.
// 4. context building (envelop), after validation and before anything runs: cost and string variables, then for a
//    subscription the subscription limits. The context factory throws the refusal: HTTP answers the request with
//    it, graphql-ws sends it as that operation's `error` (never a closed socket).
// 5. execution (envelop): field limits, every alias counting; a refusal is the operation's result.
import { getOperationAST, type DocumentNode, type GraphQLSchema } from 'graphql'
import { isAsyncIterable, type Plugin } from '@envelop/core'
import { authenticate, type Credential } from './auth/authenticate.ts'
import type { Principal } from './auth/principal.ts'
import { AppError } from './errors.ts'
import { fieldLimitsPlugin } from './limits/fields.ts'
import { callerSubject, createRequestLimiter, isAuthOnlyQuery, isSubscriptionQuery, type Caller, type LimitReport } from './limits/requests.ts'
import { checkOperation, queryShapePlugin } from './limits/shape.ts'
import { createSubscriptionLimits } from './limits/subscriptions.ts'
import { onIteratorEnd } from './observability.ts'
import type { AppDeps } from './services/session.ts'

/** An operation as a transport received it: yoga's request parameters, or a graphql-ws subscribe payload. */
export interface OperationParams {
  query?: string
  operationName?: string | null
  variables?: Record<string, unknown> | null
}

/** What the pipeline reads from an operation's envelop context: the caller and the operation's parameters. */
type AdmissionContext = Caller & { params?: OperationParams }

/** Sees every request-limit decision, refusals included (for X-RateLimit-* headers). */
type OnDecision = (r: LimitReport) => void

export interface Admission {
  /**
   * Step 1: the principal for `credential` (undefined: anonymous); throws UNAUTHENTICATED for a bad one. `streams`
   * (a WebSocket connection) checks revocations and limits on their fail-open path, so a Redis outage never stops
   * streams (a revoked token is still refused once Redis answers: sockets recheck their credential).
   */
  identify(credential: Credential, ip: string | undefined, onDecision?: OnDecision, opts?: { streams?: boolean }): Promise<Principal | undefined>
  /** Step 2: counts one operation of `caller`; throws RATE_LIMITED (or SERVICE_UNAVAILABLE) when refused. */
  admitRequest(caller: Caller, params: OperationParams, onDecision?: OnDecision): Promise<void>
  /** Steps 3 to 5, for yoga's plugin list; graphql-ws operations meet them through yoga.getEnveloped. */
  plugins: Plugin[]
}

export function createAdmission(deps: AppDeps): Admission {
  const { config, requestLimiter } = deps
  const subscriptions = createSubscriptionLimits(deps)
  // The same windows, failing open while Redis is down: for subscriptions (they only read the durable log).
  const streamRequests = createRequestLimiter({ ...deps, limits: deps.streamLimits })
  // The context factory gets no arguments: validation leaves the operation here for step 4.
  const validated = new WeakMap<object, { schema: GraphQLSchema; document: DocumentNode }>()
  const slots = new WeakMap<object, () => void>()

  const operationPlugin: Plugin<AdmissionContext> = {
    onValidate({ context, params: { schema, documentAST } }) {
      return ({ valid }) => {
        if (valid) validated.set(context, { schema, document: documentAST })
      }
    },
    onContextBuilding() {
      // After every other context hook, so the caller (principal, client IP) is known.
      return async ({ context }) => {
        const operation = validated.get(context)
        // Fail closed: a context built for an operation that skipped validation would skip these limits too.
        if (!operation) throw new Error('An operation context was built without validating the operation.')
        const { variables, operationName } = context.params ?? {}
        const violation = checkOperation(config.queryLimits, { ...operation, variables, operationName, context })
        if (violation) throw violation
        if (getOperationAST(operation.document, operationName)?.operation === 'subscription') {
          slots.set(context, await subscriptions.admit(callerSubject(context)))
        }
      }
    },
    // The slot taken at context building is held as long as the subscription's stream.
    onSubscribe({ args }) {
      const release = slots.get(args.contextValue)
      if (!release) return
      slots.delete(args.contextValue)
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(onIteratorEnd(result, release) as typeof result)
          else release()
        },
      }
    },
  }

  return {
    async identify(credential, ip, onDecision, opts = {}) {
      try {
        return await authenticate(deps, credential, { failOpen: opts.streams })
      } catch (e) {
        if (e instanceof AppError && e.code === 'UNAUTHENTICATED') await (opts.streams ? streamRequests : requestLimiter).consume({ ip }, onDecision)
        throw e
      }
    },
    async admitRequest(caller, params, onDecision) {
      // A WebSocket connection outlives its credential; the socket is closed at expiry, but operations may race it.
      if (caller.principal?.expiresAt && caller.principal.expiresAt <= new Date()) throw new AppError('UNAUTHENTICATED', 'Invalid or expired credentials.')
      if (isAuthOnlyQuery(params.query, params.operationName, config.queryLimits.maxTokens)) return
      const limiter = isSubscriptionQuery(params.query, params.operationName, config.queryLimits.maxTokens) ? streamRequests : requestLimiter
      await limiter.consume(caller, onDecision)
    },
    plugins: [
      queryShapePlugin(config),
      operationPlugin as Plugin,
      ...(config.limits.enabled && config.limits.fields.length ? [fieldLimitsPlugin(deps, config.limits.fields) as Plugin] : []),
    ],
  }
}
