// Imports every type module (for its side effects on the builder) and builds the schema.
import { assertValidSchema, lexicographicSortSchema } from 'graphql'
import { builder } from './builder.ts'
import './scalars.ts'
import './connection.ts'
import './types/server-info.ts'
import './types/enums.ts'
import './types/tenant.ts'
import './types/usage.ts'
import './types/budget.ts'
import './types/tenant-export.ts'
import './types/user.ts'
import './types/member.ts'
import './types/invitation.ts'
import './types/api-key.ts'
import './types/auth.ts'
import './types/viewer.ts'
import './types/mcp-server.ts'
import './types/tool.ts'
import './types/agent.ts'
import './types/thread.ts'
import './types/audit-log.ts'
import './types/execution.ts'
import './types/interrupt.ts'
import './types/webhook.ts'
import './types/subscriptions.ts'

export const schema = builder.toSchema({ sortSchema: false })
assertValidSchema(schema) // fail at boot, not on the first request

/** The schema as printed to schema/schema.graphql: sorted so diffs stay readable. */
export const sortedSchema = () => lexicographicSortSchema(schema)
