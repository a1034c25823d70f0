// Queries and mutations run through graphql-jit: each distinct document and operation is compiled once into a
// function specialised for its selection, which skips graphql-js's per-request walk of the document (field
// collection, argument coercion, completion by type). Subscriptions stay on graphql-js (src/graphql/fan-out.ts
// replaces subscribe), and so does anything graphql-jit does not handle exactly as graphql-js (see
// docs/performance.md, "graphql-jit"):
// - introspection (`__schema`, `__type`): rare, and graphql-jit's results for it are not what every client expects;
// - documents graphql-jit refuses or fails to compile: the plugin remembers the refusal, so graphql-js answers them
//   (with graphql-js's own errors) without a second attempt.
// Variable values are checked with graphql-js (`getVariableValues`) before the compiled query runs; when they are bad,
// graphql-js executes the operation, so the error reads exactly as it does without the compiler.
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit'
import { shareJitPaths } from './jit-paths.ts'
import { LruCache } from './lru.ts'
import { getDocumentString, type Plugin } from '@envelop/core'
import { getOperationAST, getVariableValues, GraphQLError, print, visit, BREAK, type Source, type SourceLocation, type DocumentNode, type ExecutionArgs, type VariableDefinitionNode, type ExecutionResult } from 'graphql'

type Compile = typeof compileQuery

export interface JitOptions {
  /** Compiled operations kept (least recently used go first); each holds generated code, so keep it bounded. */
  cacheSize: number
  /** Told once per document that graphql-js answers instead (refused or failed compilation), with the reason. */
  onFallback?: (reason: unknown, operationName: string | undefined) => void
  /** The compiler; tests hand in one that fails. */
  compile?: Compile
}

/** A compiled operation and its variable definitions, or null: graphql-js answers this one. */
type Entry = { query: CompiledQuery['query']; variables: readonly VariableDefinitionNode[] } | null

function selectsIntrospection(document: DocumentNode) {
  let found = false
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true
        return BREAK
      }
    },
  })
  return found
}

/** The character offset of a line and column in `body` (graphql-js counts \r\n, \n and \r as line breaks). */
function offsetOf(body: string, { line, column }: SourceLocation) {
  const breaks = /\r\n|[\n\r]/g
  let offset = 0
  for (let l = 1; l < line && breaks.exec(body); l++) offset = breaks.lastIndex
  return offset + column - 1
}

/**
 * graphql-jit's errors carry `locations` but no source or positions, which every error rewrite (masking, request
 * ids) rebuilds locations from; and its results list `data` before `errors`. Both as graphql-js has them.
 */
function asGraphQLJs(result: ExecutionResult, source: Source | undefined): ExecutionResult {
  if (!result.errors?.length) return result
  const errors = firstPerNull(result).map((e) => new GraphQLError(e.message, {
    source,
    positions: source && e.locations?.map((l) => offsetOf(source.body, l)),
    path: e.path,
    originalError: e.originalError ?? undefined,
    extensions: e.extensions,
  }))
  return { errors, data: result.data }
}

/** Where an error's null landed: the path to the first null on its way down from the root. */
function landing(data: unknown, path: readonly (string | number)[]) {
  let value = data
  for (let i = 0; i < path.length; i++) {
    if (value == null) return path.slice(0, i).join('.')
    value = (value as Record<string | number, unknown>)[path[i]!]
  }
  return path.join('.')
}

/**
 * graphql-js stops completing a list or object once a non-null error has nulled it, so it reports one error per
 * null that propagated; graphql-jit completes every sibling and reports all of them. Keep the first per null.
 */
function firstPerNull(result: ExecutionResult) {
  const seen = new Set<string>()
  return result.errors!.filter((e) => {
    if (!e.path) return true
    const at = landing(result.data, e.path)
    if (seen.has(at)) return false
    seen.add(at)
    return true
  })
}

/** The envelop plugin that executes queries and mutations with graphql-jit; see the comment at the top. */
export function jitPlugin(opts: JitOptions): Plugin & { cache: LruCache<string, Entry> } {
  const compile = opts.compile ?? compileQuery
  const cache = new LruCache<string, Entry>(opts.cacheSize)

  function compiled(args: ExecutionArgs): Entry {
    const operationName = args.operationName ?? undefined
    const key = `${operationName ?? ''}\n${getDocumentString(args.document, print)}`
    const known = cache.get(key)
    if (known !== undefined) return known
    let entry: Entry = null
    const operation = getOperationAST(args.document, operationName)
    if (operation && operation.operation !== 'subscription' && !selectsIntrospection(args.document)) {
      try {
        shareJitPaths(args.schema)
        const result = compile(args.schema, args.document, operationName)
        if (isCompiledQuery(result)) entry = { query: result.query.bind(result), variables: operation.variableDefinitions ?? [] }
        else opts.onFallback?.(result.errors, operationName)
      } catch (e) {
        opts.onFallback?.(e, operationName)
      }
    }
    cache.set(key, entry)
    return entry
  }

  return {
    cache,
    onExecute({ args, executeFn, setExecuteFn }) {
      const entry = compiled(args)
      if (!entry) return
      const { query, variables: definitions } = entry
      setExecuteFn((a: ExecutionArgs) => {
        const variables = a.variableValues ?? {}
        if (definitions.length) {
          const coerced = getVariableValues(a.schema, definitions, variables, { maxErrors: 50 })
          // graphql-js answers bad variables itself, so they read (and are treated downstream) exactly as without jit.
          if (coerced.errors) return executeFn(a) as Promise<ExecutionResult> | ExecutionResult
        }
        const result = query(a.rootValue, a.contextValue, variables) as Promise<ExecutionResult> | ExecutionResult
        const source = a.document.loc?.source
        return result instanceof Promise ? result.then((r) => asGraphQLJs(r, source)) : asGraphQLJs(result, source)
      })
    },
  }
}
