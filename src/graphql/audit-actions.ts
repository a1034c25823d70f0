// Every mutation names its audit action where it is defined (`auditAction: 'tool.create'`), so renaming a mutation
// never renames the action in its tenant's audit log. Refused mutations are audited under it (./denials.ts); the
// schema does not build while a mutation lacks one.
import SchemaBuilder, {
  BasePlugin, PothosSchemaError, type FieldNullability, type InputFieldMap, type PothosOutputFieldConfig, type SchemaTypes, type TypeParam,
} from '@pothos/core'
import type { GraphQLResolveInfo } from 'graphql'

/** `<resource>.<verb>`, as recorded in the audit log (docs/audit.md). */
export type AuditAction = `${string}.${string}`

const actionPattern = /^[a-z_]+\.[a-z_]+$/

// Pothos takes options by merging into its global namespace; a merged interface repeats its type parameters verbatim.
/* eslint-disable @typescript-eslint/no-namespace, @typescript-eslint/no-unused-vars */
declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      auditAction: AuditActionPlugin<Types>
    }
    export interface MutationFieldOptions<Types extends SchemaTypes, Type extends TypeParam<Types>, Nullable extends FieldNullability<Type>, Args extends InputFieldMap, ResolveReturnShape> {
      /** The action of this mutation's DENIED audit entries: the one its service records on success, where it records one. */
      auditAction: AuditAction
    }
  }
}
/* eslint-enable @typescript-eslint/no-namespace, @typescript-eslint/no-unused-vars */

export class AuditActionPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (fieldConfig.kind !== 'Mutation') return fieldConfig
    const action: unknown = fieldConfig.pothosOptions.auditAction
    if (typeof action !== 'string' || !actionPattern.test(action)) {
      throw new PothosSchemaError(`Mutation.${fieldConfig.name} needs an auditAction like 'tool.create' (got ${JSON.stringify(action)}).`)
    }
    return { ...fieldConfig, extensions: { ...fieldConfig.extensions, auditAction: action } }
  }
}

const pluginName = 'auditAction'
SchemaBuilder.registerPlugin(pluginName, AuditActionPlugin)
export default pluginName

/** The audit action of the mutation field `info` resolves (the plugin above guarantees every mutation has one). */
export const auditActionOf = (info: GraphQLResolveInfo) => info.parentType.getFields()[info.fieldName]!.extensions.auditAction as AuditAction
