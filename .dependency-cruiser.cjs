// Import boundaries of src/ (drawn in docs/architecture.md). Runs in `npm run lint`: a circular import or an import
// that goes up a layer fails the build. Type-only imports count too: a type is part of a module's contract.
const layers = {
  entry: '^src/(index|app|deps|yoga|ws|ws-sockets|admission)\\.ts$|^src/http/|^src/cli/|^src/worker/main\\.ts$',
  graphql: '^src/graphql/|^src/(context|observability|tracing)\\.ts$',
  worker: '^src/worker/(?!main\\.ts$)',
  services: '^src/services/',
  auth: '^src/auth/',
  limits: '^src/limits/',
  events: '^src/events/',
  db: '^src/db/',
  pubsub: '^src/pubsub/',
  llm: '^src/llm/',
  tools: '^src/tools/',
  /** Imported by every layer; imports none of them. */
  shared: '^src/(config|errors|logger|metrics|metrics-work|redis|global-ids|telemetry|pii)\\.ts$|^src/config/',
}

/** A layer may import only the layers listed for it, shared modules and the generated Prisma client. */
const allowed = {
  entry: ['graphql', 'worker', 'services', 'auth', 'limits', 'events', 'db', 'pubsub', 'llm', 'tools'],
  graphql: ['services', 'auth', 'limits', 'events', 'db', 'pubsub'],
  worker: ['services', 'events', 'db', 'pubsub', 'llm', 'tools'],
  services: ['auth', 'limits', 'events', 'db', 'pubsub', 'llm', 'tools'],
  auth: ['db', 'pubsub'],
  limits: ['auth', 'db', 'pubsub'],
  events: ['db', 'pubsub'],
  db: [],
  pubsub: [],
  llm: [],
  tools: [],
  shared: [],
}

module.exports = {
  forbidden: [
    { name: 'in-a-layer', severity: 'error', comment: 'Every module of src/ belongs to a layer: add it to `layers`.', from: { path: '^src/', pathNot: Object.values(layers).join('|') + '|^src/generated/' }, to: {} },
    { name: 'no-circular', severity: 'error', comment: 'Import circles make load order and layering undefined.', from: { path: '^src/' }, to: { circular: true } },
    ...Object.entries(allowed).flatMap(([layer, may]) => {
      const above = Object.keys(layers).filter((l) => l !== layer && l !== 'shared' && !may.includes(l))
      return above.length ? [{
        name: `layer-${layer}`,
        severity: 'error',
        comment: `${layer} may import only: ${may.join(', ') || 'shared modules'}`,
        from: { path: layers[layer] },
        to: { path: above.map((l) => layers[l]).join('|') },
      }] : []
    }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
}
