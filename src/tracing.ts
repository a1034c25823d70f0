// Tracing: when OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test hands in a span processor), installs the process's
// tracer provider and makes every GraphQL operation (HTTP and WebSocket: both go through the envelop pipeline) a
// span. An incoming W3C `traceparent` (HTTP header; on graphql-ws the operation's `extensions.traceparent`, the
// connection's `connectionParams.traceparent` or the upgrade request's header) is its parent. Spans carry the
// operation name and type, never the document, variables or result (they may hold secrets).
// The SDK, the exporter and the envelop plugin (about 200 modules) are imported only when tracing is on.
import type { Plugin } from '@envelop/core'
import { SpanKind } from '@opentelemetry/api'
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { Config } from './config.ts'
import type { Context } from './context.ts'
import type { Logger } from './logger.ts'
import { contextFromTraceParent, installTracerProvider } from './telemetry.ts'

export interface Tracing {
  /** The envelop plugins, when tracing is on. */
  plugins: Plugin[]
  /** Flushes pending spans and stops tracing. */
  shutdown(): Promise<void>
}

export interface TracingOptions {
  /** Where spans go instead of OTLP (tests: an in-memory exporter behind a SimpleSpanProcessor). */
  spanProcessor?: SpanProcessor
}

/** Sets up tracing from config; a no-op when neither an endpoint nor a span processor is given. */
export async function createTracing(config: Pick<Config, 'tracing' | 'version'>, logger: Logger, opts: TracingOptions = {}): Promise<Tracing> {
  const { otlpEndpoint, serviceName } = config.tracing
  if (!otlpEndpoint && !opts.spanProcessor) return { plugins: [], shutdown: async () => {} }
  const [{ setCurrentOtelContext, useOpenTelemetry }, { BasicTracerProvider, BatchSpanProcessor }, { Resource }] = await Promise.all([
    import('@envelop/opentelemetry'), import('@opentelemetry/sdk-trace-base'), import('@opentelemetry/resources'),
  ])
  const processor = opts.spanProcessor ?? new BatchSpanProcessor(
    new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url: `${otlpEndpoint!.replace(/\/+$/, '')}/v1/traces` }),
    { scheduledDelayMillis: 1_000 })
  const provider = new BasicTracerProvider({
    resource: new Resource({ 'service.name': serviceName, 'service.version': config.version }),
    spanProcessors: [processor],
  })
  const uninstall = installTracerProvider(provider)
  if (otlpEndpoint) logger.info({ endpoint: otlpEndpoint }, 'exporting traces over OTLP/HTTP')
  const operations = useOpenTelemetry({ resolvers: false, variables: false, result: false, document: false }, provider, SpanKind.SERVER, {}, serviceName) as unknown as Plugin
  // Makes the caller's `traceparent` the parent of the operation span (it must run before useOpenTelemetry's hooks).
  const adoptTraceParent = (ctx: Context) => {
    const parent = contextFromTraceParent(ctx.traceParent)
    if (parent) setCurrentOtelContext(ctx, parent)
  }
  const incomingTraceParent: Plugin = {
    onExecute: ({ args }) => adoptTraceParent(args.contextValue as Context),
    onSubscribe: ({ args }) => adoptTraceParent(args.contextValue as Context),
  }
  return {
    plugins: [incomingTraceParent, operations],
    shutdown: async () => {
      await provider.shutdown().catch((err: Error) => logger.warn({ err: err.message }, 'trace exporter shutdown failed'))
      uninstall()
    },
  }
}
