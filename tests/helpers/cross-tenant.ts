// Generates, from the schema itself, one probe per (root field taking an id, foreign id): every Query, Mutation and
// Subscription field with an ID argument, directly or inside its input. New fields are covered automatically.
import { encodeGlobalID } from '@pothos/plugin-relay'
import {
  getNamedType, GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLScalarType, isListType,
  isNonNullType, type GraphQLField, type GraphQLInputType, type GraphQLSchema,
} from 'graphql'
import { uuidv7 } from '../../src/db/ids.ts'

export interface Probe {
  operation: 'query' | 'mutation' | 'subscription'
  field: string
  /** Which id the probe carries, e.g. `ApiKey`, and whether it is the foreign one or a missing one. */
  idType: string
  variant: 'foreign' | 'missing'
  query: string
  variables: Record<string, unknown>
}

/** Dummy values that pass input validation, so the id is what the server decides on. */
function dummy(type: GraphQLInputType, name: string, id: string): unknown {
  if (isNonNullType(type)) return dummy(type.ofType, name, id)
  if (isListType(type)) return [dummy(type.ofType, name, id)]
  if (type instanceof GraphQLInputObjectType) {
    return Object.fromEntries(Object.values(type.getFields()).flatMap((f) =>
      isNonNullType(f.type) || hasId(f.type) ? [[f.name, dummy(f.type, f.name, id)]] : []))
  }
  if (type instanceof GraphQLEnumType) return type.getValues()[0]!.value
  if (type instanceof GraphQLScalarType) {
    switch (type.name) {
      case 'ID': return id
      case 'Int': return 1
      case 'Float': return 0.5
      case 'Boolean': return false
      case 'DateTime': return new Date(Date.now() + 86_400_000).toISOString()
      case 'JSON': return {}
      default: return /email/i.test(name) ? 'probe@example.test' : /password/i.test(name) ? 'a long probe password' : 'probe'
    }
  }
  return null
}

function hasId(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type)
  if (named.name === 'ID') return true
  if (!(named instanceof GraphQLInputObjectType) || seen.has(named.name)) return false
  seen.add(named.name)
  return Object.values(named.getFields()).some((f) => hasId(f.type, seen))
}

const typeRef = (type: GraphQLInputType): string =>
  type instanceof GraphQLNonNull ? `${typeRef(type.ofType)}!` : type instanceof GraphQLList ? `[${typeRef(type.ofType)}]` : type.name

/** All probes: every id-taking root field × every foreign id (and a missing id of the same type). */
export function crossTenantProbes(schema: GraphQLSchema, foreignIds: Record<string, string[]>): Probe[] {
  const probes: Probe[] = []
  const roots = [['query', schema.getQueryType()], ['mutation', schema.getMutationType()], ['subscription', schema.getSubscriptionType()]] as const
  for (const [operation, root] of roots) {
    for (const field of Object.values(root?.getFields() ?? {}) as GraphQLField<unknown, unknown>[]) {
      if (!field.args.some((a) => hasId(a.type))) continue
      for (const [idType, ids] of Object.entries(foreignIds)) {
        // The missing id first: each foreign probe is compared with it.
        for (const [variant, id] of [['missing', encodeGlobalID(idType, uuidv7())] as const, ...ids.map((i) => ['foreign', i] as const)]) {
          const variables = Object.fromEntries(field.args.filter((a) => isNonNullType(a.type) || hasId(a.type)).map((a) => [a.name, dummy(a.type, a.name, id)]))
          const defs = Object.keys(variables).map((n) => `$${n}: ${typeRef(field.args.find((a) => a.name === n)!.type)}`).join(', ')
          const args = Object.keys(variables).map((n) => `${n}: $${n}`).join(', ')
          const selection = getNamedType(field.type) instanceof GraphQLScalarType || getNamedType(field.type) instanceof GraphQLEnumType ? '' : ' { __typename }'
          probes.push({ operation, field: field.name, idType, variant, variables, query: `${operation} Probe${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }` })
        }
      }
    }
  }
  return probes
}
