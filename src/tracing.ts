// Optional OpenTelemetry tracing: when OTEL_EXPORTER_OTLP_ENDPOINT is set, every GraphQL operation (HTTP and
// WebSocket: both go through the envelop pipeline) becomes a span exported over OTLP/HTTP to <endpoint>/v1/traces.
// Spans carry the operation name and type, never the document, variables or result (they may hold secrets).
import { useOpenTelemetry } from '@envelop/opentelemetry'
import type { Plugin } from '@envelop/core'
import { SpanKind } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { Resource } from '@opentelemetry/resources'
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { Config } from './config.ts'
import type { Logger } from './logger.ts'

export interface Tracing {
  /** The envelop plugin, when tracing is configured. */
  plugin?: Plugin
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>
}

/** Sets up tracing from config; a no-op when no endpoint is configured. */
export function createTracing(config: Pick<Config, 'tracing' | 'version'>, logger: Logger): Tracing {
  const { otlpEndpoint, serviceName } = config.tracing
  if (!otlpEndpoint) return { shutdown: async () => {} }
  const exporter = new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/+$/, '')}/v1/traces` })
  const provider = new BasicTracerProvider({
    resource: new Resource({ 'service.name': serviceName, 'service.version': config.version }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000 })],
  })
  logger.info({ endpoint: otlpEndpoint }, 'exporting traces over OTLP/HTTP')
  return {
    plugin: useOpenTelemetry({ resolvers: false, variables: false, result: false, document: false }, provider, SpanKind.SERVER, {}, serviceName) as unknown as Plugin,
    shutdown: () => provider.shutdown().catch((err: Error) => logger.warn({ err: err.message }, 'trace exporter shutdown failed')),
  }
}
