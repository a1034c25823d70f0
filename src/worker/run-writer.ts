// Emits one run's events as its single writer. Events are batched into one transaction per ~25 ms (or 50 events) to
// spare the database without adding visible latency, and always flushed before anything observable happens (a tool
// call, the end of the run). Also tracks which messages, tool calls and steps are open, so an interrupted attempt
// can be closed cleanly.
import type { AppDeps } from '../services/session.ts'
import { EventType, toWire, type AguiEvent } from '../events/agui.ts'
import { endRun, type RunEnd } from '../services/runs/terminal.ts'
import { appendAsWriter, type Writer } from '../services/runs/writer.ts'

const flushAfterMs = 25
const flushAtEvents = 50

export class RunWriter {
  private pending: AguiEvent[] = []
  private timer: NodeJS.Timeout | undefined
  private chain: Promise<unknown> = Promise.resolve()
  private failure: unknown
  readonly openMessages = new Set<string>()
  readonly openToolCalls = new Set<string>()
  readonly openSteps: string[] = []
  /** Whether the log opens with RUN_STARTED (already written by an earlier attempt, or emitted here). */
  started: boolean

  /** `lastSeq`: the run's last sequence number when claimed (0 for a log this writer opens). */
  constructor(private deps: AppDeps, private writer: Writer, lastSeq: number) {
    this.started = lastSeq > 0
  }

  /** Queues an event (validated now: a malformed event is a bug and must fail the run, not the subscriber). */
  emit(event: { type: EventType } & Record<string, unknown>) {
    if (this.failure) throw this.failure
    const wire = toWire(event)
    this.track(wire)
    this.pending.push(wire)
    // A background flush that fails (the claim was lost) is remembered in `failure` and thrown by the next emit or
    // flush; left unhandled it would be an unhandled rejection and take the whole process down.
    if (this.pending.length >= flushAtEvents) this.flush().catch(() => {})
    else this.timer ??= setTimeout(() => this.flush().catch(() => {}), flushAfterMs)
  }

  /** Commits everything queued so far (with `end`, ending the attempt); rejects if the claim was lost. */
  flush(end?: RunEnd): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    const batch = this.pending
    this.pending = []
    const next = this.chain.then(() => {
      if (this.failure) throw this.failure
      if (!batch.length && !end) return
      return (end ? endRun(this.deps, this.writer, batch, end) : appendAsWriter(this.deps, this.writer, batch)).catch((e: unknown) => {
        this.failure = e
        throw e
      })
    })
    this.chain = next.catch(() => {})
    return next.then(() => {})
  }

  /** Events that close whatever is open (messages, tool calls, steps), newest first. */
  closingEvents(): ({ type: EventType } & Record<string, unknown>)[] {
    return [
      ...[...this.openToolCalls].map((toolCallId) => ({ type: EventType.TOOL_CALL_END, toolCallId })),
      ...[...this.openMessages].map((messageId) => ({ type: EventType.TEXT_MESSAGE_END, messageId })),
      ...[...this.openSteps].reverse().map((stepName) => ({ type: EventType.STEP_FINISHED, stepName })),
    ]
  }

  /** Learns the open blocks from events already in the log (a run resumed by another attempt). */
  replay(events: AguiEvent[]) {
    for (const e of events) this.track(e)
  }

  private track(e: AguiEvent) {
    switch (e.type) {
      case EventType.RUN_STARTED: this.started = true; break
      case EventType.TEXT_MESSAGE_START: this.openMessages.add(e.messageId as string); break
      case EventType.TEXT_MESSAGE_END: this.openMessages.delete(e.messageId as string); break
      case EventType.TOOL_CALL_START: this.openToolCalls.add(e.toolCallId as string); break
      case EventType.TOOL_CALL_END: this.openToolCalls.delete(e.toolCallId as string); break
      case EventType.STEP_STARTED: this.openSteps.push(e.stepName as string); break
      case EventType.STEP_FINISHED: {
        const i = this.openSteps.lastIndexOf(e.stepName as string)
        if (i >= 0) this.openSteps.splice(i, 1)
        break
      }
    }
  }
}
