// What an INTERRUPTED run waits for. A call of a tool with `requiresApproval` is held back: the run ends with an
// AG-UI interrupt (reason `tool_approval`) naming the call, and the call itself (tool, arguments) stays in the row, in
// PostgreSQL only, so any process can continue it after every process restarted. The answer is checked against the
// interrupt's `responseSchema`: `{ editedArgs?, reason? }`, where `editedArgs` follows the tool's input schema.
import { randomUUID } from 'node:crypto'
import type { Interrupt } from '@ag-ui/core'

/** An interrupt as stored on its execution: the AG-UI fields, the held-back call and, once answered, the answer. */
export interface StoredInterrupt {
  id: string
  reason: string
  message: string
  toolCallId: string
  responseSchema: Record<string, unknown>
  expiresAt: string
  toolName: string
  /** The held-back call's arguments, as JSON text. */
  arguments: string
  resolvedAt?: string
  status?: ResumeStatus
  /** The execution that answered it (resumeExecution). */
  resolvedBy?: string
}

export type ResumeStatus = 'RESOLVED' | 'CANCELLED'

/** One answered interrupt as the continuation's input carries it (AG-UI `resume`, plus the call it releases). */
export interface ResumeEntry {
  interruptId: string
  status: ResumeStatus
  payload?: unknown
  toolCallId: string
  toolName: string
  arguments: string
}

const REASON_MAX = 2000

/** The schema an answer to a tool approval must satisfy: optional edited arguments (the tool's schema) and reason. */
function approvalSchema(inputSchema: unknown): Record<string, unknown> {
  const tool = (inputSchema && typeof inputSchema === 'object' && !Array.isArray(inputSchema) ? inputSchema : { type: 'object' }) as Record<string, unknown>
  // Keywords that only mean something at a schema's root move up, so `$ref: '#/definitions/x'` still resolves.
  const { $schema, $id: _id, definitions, $defs, ...args } = tool
  return {
    ...($schema !== undefined && { $schema }),
    ...(definitions !== undefined && { definitions }),
    ...($defs !== undefined && { $defs }),
    type: 'object',
    properties: { editedArgs: args, reason: { type: 'string', maxLength: REASON_MAX } },
    additionalProperties: false,
  }
}

/** The interrupt that holds back a call of a tool that requires approval, answerable for `ttlSeconds`. */
export function toolApprovalInterrupt(call: { id: string; name: string; arguments: string }, inputSchema: unknown, ttlSeconds: number, now = Date.now()): StoredInterrupt {
  return {
    id: randomUUID(),
    reason: 'tool_approval',
    message: `Approve the call of the tool "${call.name}"?`,
    toolCallId: call.id,
    responseSchema: approvalSchema(inputSchema),
    expiresAt: new Date(now + ttlSeconds * 1000).toISOString(),
    toolName: call.name,
    arguments: call.arguments,
  }
}

/** The AG-UI form of an interrupt (what RUN_FINISHED carries): no held-back call, no answer. */
export const aguiInterrupt = (i: StoredInterrupt): Interrupt => ({
  id: i.id, reason: i.reason, message: i.message, toolCallId: i.toolCallId, responseSchema: i.responseSchema, expiresAt: i.expiresAt,
})

/** The interrupts stored on an execution row (its `interrupts` column). */
export const storedInterrupts = (value: unknown): StoredInterrupt[] => (Array.isArray(value) ? (value as StoredInterrupt[]) : [])

/** Whether an interrupt can no longer be answered at `now`. */
export const isExpired = (i: StoredInterrupt, now: Date) => new Date(i.expiresAt).getTime() <= now.getTime()
