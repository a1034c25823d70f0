// Trace plumbing shared by every layer: the process-wide tracer, W3C traceparent in and out, and `inSpan`.
// Spans go through the global OpenTelemetry API (as third-party instrumentation does), so a module needs no tracer
// handed to it; until src/tracing.ts installs a provider every span is a no-op and `tracingEnabled()` is false, which
// the database and Redis wrappers check once so an untraced process pays nothing per query or command.
import { AsyncLocalStorage } from 'node:async_hooks'
import {
  context, ROOT_CONTEXT, SpanStatusCode, trace, TraceFlags, type Attributes, type Context, type ContextManager, type Span,
  type SpanKind, type TracerProvider,
} from '@opentelemetry/api'

const tracerName = 'agent-platform-api'
let enabled = false

/** True while a tracer provider is installed. */
export const tracingEnabled = () => enabled

/** The process-wide tracer (a no-op until a provider is installed). */
export const tracer = () => trace.getTracer(tracerName)

/**
 * The active context follows async calls (AsyncLocalStorage), so a span started in a resolver, a service or the
 * worker is the parent of the database, Redis, model and tool spans below it. The same design as
 * @opentelemetry/context-async-hooks' AsyncLocalStorageContextManager, which is not among our dependencies.
 */
class AsyncLocalContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>()
  active = () => this.storage.getStore() ?? ROOT_CONTEXT
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args))
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target
    const run = (...args: unknown[]) => this.with(ctx, () => (target as (...a: unknown[]) => unknown)(...args))
    return run as T
  }
  enable = () => this
  disable = () => {
    this.storage.disable()
    return this
  }
}

/** Makes `provider` the process's tracer provider with async context propagation; the returned function undoes it. */
export function installTracerProvider(provider: TracerProvider): () => void {
  context.setGlobalContextManager(new AsyncLocalContextManager())
  trace.setGlobalTracerProvider(provider)
  enabled = true
  return () => {
    enabled = false
    trace.disable()
    context.disable()
  }
}

const traceParentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/

/** The context a W3C `traceparent` names as parent (a remote span), or undefined when it is absent or malformed. */
export function contextFromTraceParent(traceParent: string | null | undefined, base: Context = ROOT_CONTEXT): Context | undefined {
  const m = traceParent && traceParentPattern.exec(traceParent.trim().toLowerCase())
  if (!m) return undefined
  const [, version, traceId, spanId, flags] = m as unknown as [string, string, string, string, string]
  // Version ff is forbidden; all-zero ids are invalid (W3C Trace Context §3.2).
  if (version === 'ff' || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined
  if (version === '00' && traceParent!.trim().length !== 55) return undefined
  return trace.setSpanContext(base, { traceId, spanId, traceFlags: parseInt(flags, 16) & TraceFlags.SAMPLED, isRemote: true })
}

/** The W3C `traceparent` of the active span (to hand to work that continues elsewhere), if any. */
export function currentTraceParent(ctx: Context = context.active()): string | undefined {
  const sc = trace.getSpanContext(ctx)
  if (!sc || !trace.isSpanContextValid(sc)) return undefined
  return `00-${sc.traceId}-${sc.spanId}-0${(sc.traceFlags & TraceFlags.SAMPLED).toString(16)}`
}

export interface SpanSpec {
  kind?: SpanKind
  attributes?: Attributes
  /** Parent context; the active one by default. */
  parent?: Context
}

/** Runs `fn` inside a new active span that ends with it; a thrown error marks the span failed and is rethrown. */
export async function inSpan<T>(name: string, spec: SpanSpec, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = spec.parent ?? context.active()
  const span = tracer().startSpan(name, { kind: spec.kind, attributes: spec.attributes }, parent)
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span))
  } catch (e) {
    failSpan(span, e)
    throw e
  } finally {
    span.end()
  }
}

/** Marks `span` failed with the error's type (never its message: it may quote user data). */
export function failSpan(span: Span, e: unknown) {
  span.setStatus({ code: SpanStatusCode.ERROR })
  span.setAttribute('error.type', e instanceof Error ? (e as { code?: string }).code ?? e.name : 'error')
}
