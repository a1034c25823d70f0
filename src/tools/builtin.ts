// Handlers shipped with the server, referenced by BUILTIN tools through `handler`. Arguments reach `run` already
// validated against `inputSchema` (see run.ts), so handlers only check what a schema cannot express.
import { CALCULATOR_FUNCTIONS, CalculatorError, evaluate, MAX_EXPRESSION_LENGTH } from './calculator.ts'
import { abortedError, ToolCallError } from './errors.ts'

export interface BuiltinContext {
  signal: AbortSignal
  /** Clock, injectable for tests. */
  now?: () => Date
}

export interface BuiltinHandler {
  readonly name: string
  readonly description: string
  /** JSON Schema (draft-07) of the arguments object. */
  readonly inputSchema: Readonly<Record<string, unknown>>
  run(args: Record<string, unknown>, ctx: BuiltinContext): Promise<unknown>
}

// Frozen all the way down: the schemas are shared by every call and cached by content in schema.ts.
const objectSchema = (properties: Record<string, object>, required: string[]) => Object.freeze({
  type: 'object',
  properties: Object.freeze(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, Object.freeze(v)]))),
  required: Object.freeze(required),
  additionalProperties: false,
})

const echo: BuiltinHandler = {
  name: 'echo',
  description: 'Returns the text it is given.',
  inputSchema: objectSchema({ text: { type: 'string', maxLength: 100_000 } }, ['text']),
  async run(args, { signal }) {
    if (signal.aborted) throw abortedError()
    return { text: args.text as string }
  },
}

const calculator: BuiltinHandler = {
  name: 'calculator',
  description:
    'Evaluates an arithmetic expression: numbers, + - * / % ^ (or **), parentheses, unary minus, ' +
    `the functions ${CALCULATOR_FUNCTIONS.join(' ')} (log is base 10, ln natural) and the constants pi and e.`,
  inputSchema: objectSchema({ expression: { type: 'string', minLength: 1, maxLength: MAX_EXPRESSION_LENGTH } }, ['expression']),
  async run(args, { signal }) {
    if (signal.aborted) throw abortedError()
    try {
      return { result: evaluate(args.expression as string) }
    } catch (e) {
      if (e instanceof CalculatorError) throw new ToolCallError('INVALID_ARGUMENTS', `Cannot evaluate the expression: ${e.message}`)
      throw e
    }
  },
}

const currentTime: BuiltinHandler = {
  name: 'current_time',
  description: 'Returns the current time in an IANA time zone (default UTC): ISO 8601 with offset, and epoch milliseconds.',
  inputSchema: objectSchema({ timezone: { type: 'string', minLength: 1, maxLength: 64 } }, []),
  async run(args, { signal, now }) {
    if (signal.aborted) throw abortedError()
    const date = now?.() ?? new Date()
    // Echo the name as given: ICU's "canonical" names are sometimes the legacy ones (Asia/Kolkata → Asia/Calcutta).
    const timezone = (args.timezone as string | undefined) ?? 'UTC'
    let format: Intl.DateTimeFormat
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      })
    } catch {
      throw new ToolCallError('INVALID_ARGUMENTS', `Unknown time zone ${JSON.stringify(args.timezone)}; use an IANA name such as "Europe/Paris" or "UTC".`)
    }
    return { iso: localIso(date, format), timezone, epochMs: date.getTime() }
  },
}

/** ISO 8601 local time with the zone's UTC offset at that instant ("Z" when the offset is zero). */
function localIso(date: Date, format: Intl.DateTimeFormat): string {
  const part = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]))
  const [y, mo, d, h, mi, s] = [part.year, part.month, part.day, part.hour, part.minute, part.second].map(Number) as number[]
  const ms = date.getUTCMilliseconds()
  const offsetMin = Math.round((Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms) - date.getTime()) / 60_000)
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0')
  const offset = offsetMin === 0 ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${pad(Math.trunc(offsetMin / 60))}:${pad(offsetMin % 60)}`
  return `${pad(y!, 4)}-${pad(mo!)}-${pad(d!)}T${pad(h!)}:${pad(mi!)}:${pad(s!)}.${pad(ms, 3)}${offset}`
}

/** The built-in handlers by name. Read-only at run time too, not just in the type: nothing can add or replace one. */
export const builtinHandlers: ReadonlyMap<string, BuiltinHandler> = readOnlyMap(
  [echo, calculator, currentTime].map((h) => [h.name, Object.freeze(h)] as const),
)

function readOnlyMap<K, V>(entries: Iterable<readonly [K, V]>): ReadonlyMap<K, V> {
  const map = new Map(entries)
  const refuse = () => {
    throw new TypeError('builtinHandlers is read-only')
  }
  Object.assign(map, { set: refuse, delete: refuse, clear: refuse })
  return Object.freeze(map)
}

/** Whether `name` names a built-in handler (for validating `createTool` input). */
export const isBuiltinHandler = (name: string): boolean => builtinHandlers.has(name)

/** Names of the built-in handlers, sorted (for error messages and documentation). */
export const builtinNames = (): string[] => [...builtinHandlers.keys()].sort()
