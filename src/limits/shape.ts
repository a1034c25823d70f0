// Query-shape limits, checked before anything executes, whatever the transport. Every violation is
// QUERY_TOO_COMPLEX (HTTP 400) with `extensions.reason`, `limit` and `actual`.
//
// - tokens: the parser stops at QUERY_MAX_TOKENS;
// - depth, aliases, directives, string literals, introspection in production: validation rules (cached per document);
// - cost (@pothos/plugin-complexity, with variable values, e.g. `first: $n` counts n) and string variables: per
//   operation, because they depend on the variables (checkOperation, which the admission pipeline runs);
// - batching and body size: HTTP only (src/yoga.ts); the WebSocket message size is the socket's maxPayload.
import {
  GraphQLError, Kind, NoSchemaIntrospectionCustomRule, parse, validate, type ASTNode, type DocumentNode,
  type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode, type ValidationRule,
} from 'graphql'
import { createComplexityRule } from '@pothos/plugin-complexity'
import type { Plugin } from '@envelop/core'
import type { Config } from '../config.ts'

export type ShapeLimit = 'tokens' | 'depth' | 'aliases' | 'directives' | 'cost' | 'string_length' | 'batch' | 'body_size'

/** The QUERY_TOO_COMPLEX error for one limit. */
export function tooComplex(reason: ShapeLimit, limit: number, actual: number, message: string, nodes?: readonly ASTNode[]) {
  return new GraphQLError(message, { nodes, extensions: { code: 'QUERY_TOO_COMPLEX', reason, limit, actual, http: { status: reason === 'body_size' ? 413 : 400 } } })
}

// graphql-js 16 says "more that"; accept the corrected wording too.
const tokenLimitMessage = /Document contains more tha[nt] \d+ tokens/

/** `parse` with the token limit; the parser's own limit error becomes QUERY_TOO_COMPLEX. */
export function limitedParse(maxTokens: number): typeof parse {
  return (source, options) => {
    try {
      return parse(source, { ...options, maxTokens })
    } catch (e) {
      if (e instanceof GraphQLError && tokenLimitMessage.test(e.message)) {
        throw tooComplex('tokens', maxTokens, maxTokens + 1, `The document has more than ${maxTokens} tokens.`)
      }
      throw e
    }
  }
}

const isIntrospection = (name: string) => name === '__schema' || name === '__type'

/**
 * Walks each operation with its fragments expanded (memoised per fragment, cycles cut: NoFragmentCycles reports
 * them) and returns the deepest field nesting and the number of aliases it executes. Introspection subtrees do not
 * count towards depth (GraphiQL's introspection query is deep; production refuses introspection outright).
 */
function measure(document: DocumentNode) {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d)
  const memo = new Map<string, { depth: number; aliases: number }>()
  const active = new Set<string>()
  const ofSet = (set: SelectionSetNode): { depth: number; aliases: number } => {
    let depth = 0
    let aliases = 0
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.alias) aliases++
        if (isIntrospection(s.name.value)) continue
        const inner = s.selectionSet ? ofSet(s.selectionSet) : { depth: 0, aliases: 0 }
        depth = Math.max(depth, 1 + inner.depth)
        aliases += inner.aliases
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const inner = ofSet(s.selectionSet)
        depth = Math.max(depth, inner.depth)
        aliases += inner.aliases
      } else {
        const name = s.name.value
        const def = fragments.get(name)
        if (!def || active.has(name)) continue
        let inner = memo.get(name)
        if (!inner) {
          active.add(name)
          inner = ofSet(def.selectionSet)
          active.delete(name)
          memo.set(name, inner)
        }
        depth = Math.max(depth, inner.depth)
        aliases += inner.aliases
      }
    }
    return { depth, aliases }
  }
  return document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [{ node: d, ...ofSet(d.selectionSet) }] : []))
}

/** The static (per-document, cacheable) rules: depth, aliases, directives, string literals, introspection. */
export function shapeValidationRules(limits: Config['queryLimits'], opts: { production: boolean }): ValidationRule[] {
  const { maxDepth, maxAliases, maxDirectives, maxStringLength } = limits
  // Named functions: yoga caches validation results by rule names.
  const QueryShapeLimits: ValidationRule = (context) => {
    const document = context.getDocument()
    for (const op of measure(document)) {
      if (op.depth > maxDepth) context.reportError(tooComplex('depth', maxDepth, op.depth, `The operation is nested ${op.depth} levels deep; at most ${maxDepth} are allowed.`, [op.node]))
      if (op.aliases > maxAliases) context.reportError(tooComplex('aliases', maxAliases, op.aliases, `The operation uses ${op.aliases} aliases; at most ${maxAliases} are allowed.`, [op.node]))
    }
    let directives = 0
    return {
      Directive() {
        directives++
      },
      StringValue(node) {
        if (node.value.length > maxStringLength) context.reportError(tooComplex('string_length', maxStringLength, node.value.length, `A string argument is ${node.value.length} characters long; at most ${maxStringLength} are allowed.`, [node]))
      },
      Document: {
        leave() {
          if (directives > maxDirectives) context.reportError(tooComplex('directives', maxDirectives, directives, `The document uses ${directives} directives; at most ${maxDirectives} are allowed.`))
        },
      },
    }
  }
  return opts.production ? [QueryShapeLimits, NoSchemaIntrospectionCustomRule] : [QueryShapeLimits]
}

/** Longest string anywhere in `value` (variables), bounded in depth. */
function longestString(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length
  if (!value || typeof value !== 'object' || depth > 32) return 0
  let max = 0
  for (const v of Array.isArray(value) ? value : Object.values(value)) max = Math.max(max, longestString(v, depth + 1))
  return max
}

export interface OperationToCheck {
  schema: GraphQLSchema
  document: DocumentNode
  variables?: Record<string, unknown> | null
  operationName?: string | null
  /** Handed to the fields' complexity functions. */
  context: object
}

// An operation's cost depends on its document, operation name and variables only (connectionComplexity reads the
// arguments and the process's configuration), so a repeated request is not walked again. Small variable sets only,
// a few per document; the documents themselves are yoga's cached parses.
const costCache = new WeakMap<DocumentNode, Map<string, number>>()
const COST_CACHE_KEY_MAX = 1_024
const COST_CACHE_PER_DOCUMENT = 32

function operationCost(op: OperationToCheck): number {
  const key = `${op.operationName ?? ''}\0${JSON.stringify(op.variables ?? {})}`
  let costs = costCache.get(op.document)
  const cached = costs?.get(key)
  if (cached !== undefined) return cached
  let cost = 0
  const costRule = createComplexityRule({
    context: op.context,
    variableValues: op.variables ?? {},
    operationName: op.operationName,
    validate: ({ complexity }) => void (cost = complexity),
  })
  // Variable coercion problems are the executor's to report (as VALIDATION_FAILED); only the cost is wanted here.
  validate(op.schema, op.document, [costRule])
  if (key.length <= COST_CACHE_KEY_MAX) {
    if (!costs) costCache.set(op.document, (costs = new Map()))
    if (costs.size >= COST_CACHE_PER_DOCUMENT) costs.delete(costs.keys().next().value!)
    costs.set(key, cost)
  }
  return cost
}

/** The per-operation checks (string variables, then cost): the violation, or undefined when the operation may run. */
export function checkOperation(limits: Config['queryLimits'], op: OperationToCheck): GraphQLError | undefined {
  const longest = longestString(op.variables)
  if (longest > limits.maxStringLength) {
    return tooComplex('string_length', limits.maxStringLength, longest, `A string variable is ${longest} characters long; at most ${limits.maxStringLength} are allowed.`)
  }
  const cost = operationCost(op)
  if (cost > limits.maxCost) return tooComplex('cost', limits.maxCost, cost, `The operation costs ${cost}; at most ${limits.maxCost} is allowed.`)
  return undefined
}

/** Envelop plugin: the token limit and the validation rules (the per-operation checks need the variables). */
export function queryShapePlugin(config: Pick<Config, 'queryLimits' | 'isProduction'>): Plugin {
  const rules = shapeValidationRules(config.queryLimits, { production: config.isProduction })
  const parseFn = limitedParse(config.queryLimits.maxTokens)
  return {
    onParse({ setParseFn }) {
      setParseFn(parseFn)
    },
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule)
    },
  }
}
