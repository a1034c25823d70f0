// The agent configuration a run uses (frozen when it was queued) and the run's progress state, published to clients
// as AG-UI STATE_SNAPSHOT / STATE_DELTA (and as executionProgress).
import { ev } from '../events/agui.ts'
import type { RunWriter } from './run-writer.ts'
import type { HttpHeader } from '../tools/http-headers.ts'

export interface AgentSnapshot {
  id: string
  name: string
  systemPrompt: string
  model: string
  temperature: number | null
  maxTokens: number | null
  timeoutSeconds: number
  maxConcurrentExecutions: number
  maxToolCalls: number
  tools: { id: string; name: string; description: string; kind: 'BUILTIN' | 'HTTP' | 'MCP'; handler: string | null; url: string | null; headersSealed?: string | null; headers?: HttpHeader[] | null; inputSchema: unknown; requiresApproval?: boolean }[]
}

export interface ProgressState {
  status: string
  step: string
  percent: number
  attempt: number
  tokens: { prompt: number; completion: number; total: number }
}

/** The run's progress; every change is emitted as a STATE_DELTA (JSON Patch replace operations). */
export class Progress {
  constructor(
    private writer: RunWriter,
    readonly state: ProgressState,
  ) {}

  /** Emits the whole state (start of an attempt). */
  snapshot() {
    this.writer.emit(ev.stateSnapshot({ ...this.state }))
  }

  update(change: Partial<Omit<ProgressState, 'tokens'>>) {
    const ops = Object.entries(change)
      .filter(([k, v]) => this.state[k as keyof ProgressState] !== v)
      .map(([k, v]) => ({ op: 'replace' as const, path: `/${k}`, value: v }))
    Object.assign(this.state, change)
    if (ops.length) this.writer.emit(ev.stateDelta(ops))
  }

  addTokens(prompt: number, completion: number) {
    const t = this.state.tokens
    this.state.tokens = { prompt: t.prompt + prompt, completion: t.completion + completion, total: t.total + prompt + completion }
    this.writer.emit(ev.stateDelta([{ op: 'replace', path: '/tokens', value: this.state.tokens }]))
  }
}
