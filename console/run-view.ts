// Watches one run: its AG-UI events, replayed from the durable log and then live, rendered as they arrive (text
// streaming in, tool calls with arguments and results, state, progress). A dropped connection or a server restart
// resubscribes after the last cursor delivered (subscribeResumable), so nothing is lost or shown twice.
import { subscribeResumable } from '../clients/ws.ts'
import { ExecutionEventsDocument, ResumeExecutionDocument } from '../clients/generated/graphql.ts'
import { describeError, request, ws } from './api.ts'
import { card, h } from './dom.ts'

type AgEvent = Record<string, unknown> & { type: string }

type Interrupt = { id: string; message?: string; toolCallId?: string }

/** Approve / reject buttons for the interrupts a run ended with; answering starts the continuation (`onResumed`). */
function approvals(executionId: string, interrupts: Interrupt[], onResumed: (id: string) => void): HTMLElement {
  const error = h('p', { class: 'error', 'data-testid': 'approval-error' })
  const decisions = new Map<string, 'RESOLVED' | 'CANCELLED'>()
  const rows = interrupts.map((i) => {
    const choose = (status: 'RESOLVED' | 'CANCELLED') => () => {
      decisions.set(i.id, status)
      row.dataset.decision = status
      if (decisions.size < interrupts.length) return
      for (const b of box.querySelectorAll('button')) b.disabled = true
      request(ResumeExecutionDocument, { input: { executionId, resume: interrupts.map((x) => ({ interruptId: x.id, status: decisions.get(x.id)! })) } })
        .then(({ resumeExecution }) => onResumed(resumeExecution.execution.id), (e) => {
          error.textContent = describeError(e)
          for (const b of box.querySelectorAll('button')) b.disabled = false
        })
    }
    const row = h('div', { class: 'approval', 'data-testid': 'interrupt' }, h('span', {}, i.message ?? 'Approval needed'), ' ',
      h('button', { type: 'button', class: 'primary', onclick: choose('RESOLVED') }, 'Approve'), ' ',
      h('button', { type: 'button', onclick: choose('CANCELLED') }, 'Reject'))
    return row
  })
  const box = h('div', { 'data-testid': 'approvals' }, ...rows, error)
  return box
}

export function watchRun(executionId: string, onEnd: () => void, onResumed: (id: string) => void = () => {}): { element: HTMLElement; stop: () => void } {
  const status = h('span', { class: 'status running', 'data-testid': 'run-status' }, 'connecting')
  const bar = h('div')
  const transcript = h('div', { class: 'transcript', 'data-testid': 'transcript' })
  const state = h('pre', { 'data-testid': 'run-state' }, '{}')
  const counter = h('span', { class: 'muted', 'data-testid': 'event-count' }, '0 events')
  const error = h('p', { class: 'error', 'data-testid': 'run-error' })
  const connection = h('span', { class: 'muted', 'data-testid': 'run-connection' })
  // Every event as delivered (seq and type): what the run's log holds, once each, in order.
  const log = h('ol', { class: 'events', 'data-testid': 'event-log' })
  const element = card('Run', h('div', {}, status, ' ', counter, ' ', connection, ' ', h('code', { class: 'muted', 'data-testid': 'run-id' }, executionId)), h('div', { class: 'progress' }, bar), transcript, error,
    h('details', {}, h('summary', {}, 'State'), state), h('details', {}, h('summary', {}, 'Events'), log))

  const messages = new Map<string, HTMLElement>()
  const tools = new Map<string, { args: HTMLElement; result: HTMLElement }>()
  let current: Record<string, unknown> = {}
  let count = 0
  const bubble = (id: string, role: string, text = '') => {
    let el = messages.get(id)
    if (!el) {
      el = h('div', { class: `msg ${role}`, 'data-role': role, 'data-message-id': id }, text)
      messages.set(id, el)
      transcript.append(el)
    }
    return el
  }
  const showState = (s: Record<string, unknown>) => {
    current = s
    state.textContent = JSON.stringify(s, null, 2)
    if (typeof s.percent === 'number') bar.style.width = `${s.percent}%`
  }

  const apply = (e: AgEvent) => {
    switch (e.type) {
      case 'RUN_STARTED': status.textContent = 'running'; break
      case 'MESSAGES_SNAPSHOT':
        for (const m of e.messages as { id: string; role: string; content?: unknown }[]) {
          if (m.role === 'user' || m.role === 'system' || (m.role === 'assistant' && typeof m.content === 'string' && m.content)) bubble(m.id, m.role).textContent = typeof m.content === 'string' ? m.content : ''
        }
        break
      case 'TEXT_MESSAGE_START': bubble(String(e.messageId), String(e.role ?? 'assistant')); break
      case 'TEXT_MESSAGE_CONTENT': bubble(String(e.messageId), 'assistant').append(String(e.delta)); break
      case 'TOOL_CALL_START': {
        const args = h('code')
        const result = h('pre', { hidden: true })
        tools.set(String(e.toolCallId), { args, result })
        transcript.append(h('div', { class: 'tool', 'data-testid': 'tool-call' }, h('span', { class: 'muted' }, 'tool '), h('strong', {}, String(e.toolCallName)), ' ', args, result))
        break
      }
      case 'TOOL_CALL_ARGS': tools.get(String(e.toolCallId))?.args.append(String(e.delta)); break
      case 'TOOL_CALL_RESULT': {
        const t = tools.get(String(e.toolCallId))
        if (t) Object.assign(t.result, { hidden: false, textContent: String(e.content) })
        // A call made by the run this one continues (an approved or refused interrupt): shown with its result.
        else transcript.append(h('div', { class: 'tool', 'data-testid': 'tool-call' }, h('span', { class: 'muted' }, 'tool result '), h('pre', {}, String(e.content))))
        break
      }
      case 'STATE_SNAPSHOT': showState((e.snapshot ?? {}) as Record<string, unknown>); break
      case 'STATE_DELTA': {
        const next = { ...current }
        for (const op of e.delta as { op: string; path: string; value?: unknown }[]) {
          const key = op.path.split('/')[1]
          if (!key) continue
          if (op.op === 'remove') delete next[key]
          else next[key] = op.value
        }
        showState(next)
        break
      }
      case 'RUN_FINISHED': {
        const outcome = (e.outcome as { type?: string; interrupts?: Interrupt[] } | undefined) ?? {}
        const type = outcome.type ?? 'success'
        status.textContent = type === 'success' ? 'finished' : type === 'interrupt' ? 'waiting for approval' : type
        status.className = `status ${type === 'success' ? 'finished' : type === 'interrupt' ? 'running' : 'error'}`
        bar.style.width = '100%'
        if (type === 'interrupt') transcript.append(approvals(executionId, outcome.interrupts ?? [], onResumed))
        break
      }
      case 'RUN_ERROR':
        status.textContent = 'error'
        status.className = 'status error'
        error.textContent = String(e.message ?? 'The run failed.')
        break
    }
  }

  // A dropped socket (a server restart, a network blip) is shown while subscribeResumable resubscribes after the
  // last cursor; the run view itself keeps everything it has rendered.
  let lastSeq: number | undefined
  let ended = false
  let dropped = false
  const offClosed = ws.on('closed', () => {
    if (ended) return
    dropped = true
    connection.textContent = 'reconnecting…'
  })
  const offConnected = ws.on('connected', () => {
    if (!dropped) return
    dropped = false
    connection.textContent = lastSeq === undefined ? 'reconnected' : `resumed after event ${lastSeq}`
  })
  const end = () => {
    ended = true
    offClosed()
    offConnected()
  }

  const unsubscribe = subscribeResumable({
    client: ws,
    query: ExecutionEventsDocument,
    variables: { executionId, after: null },
    cursorOf: (d) => d.executionEvents.cursor,
    onNext: (d) => {
      count++
      counter.textContent = `${count} events`
      lastSeq = d.executionEvents.seq
      log.append(h('li', { 'data-seq': String(lastSeq) }, `${lastSeq} ${d.executionEvents.type}`))
      apply(d.executionEvents.event as AgEvent)
    },
    onComplete: () => {
      end()
      onEnd()
    },
    onError: (e) => {
      end()
      error.textContent = describeError(e)
      onEnd()
    },
    backoff: (n) => Math.min(2_000, 200 * 2 ** n),
  })
  const stop = () => {
    end()
    unsubscribe()
  }
  return { element, stop }
}
