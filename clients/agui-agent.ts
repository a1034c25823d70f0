// An AG-UI agent backed by this API, so AG-UI clients (CopilotKit-style UIs) consume our runs unchanged: `run`
// queues the run with runAgent and streams its AG-UI events over graphql-ws, resuming by cursor after disconnects.
// The thread's history lives on the server: only messages it has not seen are sent.
import { AbstractAgent, contentToText, EventType, type AgentConfig, type BaseEvent, type Message, type RunAgentInput } from '@ag-ui/client'
import { Observable, type Subscriber } from 'rxjs'
import type { Client } from 'graphql-ws'
import { ExecutionEventsDocument, ResumeExecutionDocument, RunAgentDocument } from './generated/graphql.ts'
import { createHttpClient } from './http.ts'
import { subscribeResumable } from './ws.ts'

export interface AgentPlatformAgentConfig extends AgentConfig {
  /** HTTP GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string
  /** graphql-ws client for the same server (see createResumableClient). */
  ws: Client
  /** Access token or API key. */
  token: string | (() => string | undefined)
  /** Global id of the platform Agent to run. */
  platformAgentId: string
}

const isPlatformThread = (id: string | undefined) => {
  try {
    return !!id && atob(id).startsWith('Thread:')
  } catch {
    return false
  }
}

export class AgentPlatformAgent extends AbstractAgent {
  private request: ReturnType<typeof createHttpClient>
  private ws: Client
  private platformAgentId: string
  /** Ids of messages the server already holds (it sent them back in a snapshot or produced them). */
  private known = new Set<string>()
  /** The latest run and the cursor of its last delivered event: where connect() resumes. */
  private last?: { executionId: string; cursor: string | null; finished: boolean; interrupted?: boolean }

  constructor(config: AgentPlatformAgentConfig) {
    super(config)
    this.request = createHttpClient({ url: config.url, token: config.token })
    this.ws = config.ws
    this.platformAgentId = config.platformAgentId
  }

  run(input: RunAgentInput): Observable<BaseEvent> {
    return new Observable<BaseEvent>((observer) => {
      let stop = () => {}
      let closed = false
      this.start(input).then((execution) => {
        if (closed) return
        this.last = { executionId: execution.id, cursor: null, finished: false }
        stop = this.follow(observer)
      }, (e: unknown) => observer.error(e))
      return () => {
        closed = true
        stop()
      }
    })
  }

  /** Queues the run: a continuation (resumeExecution) when the input answers interrupts, otherwise runAgent. */
  private async start(input: RunAgentInput): Promise<{ id: string }> {
    if (input.resume?.length) {
      // AG-UI resume answers the interrupts of the run that ended with them: this agent's latest run.
      if (!this.last?.interrupted) throw new Error('resume given, but the latest run of this agent did not end with interrupts')
      const resume = input.resume.map((r) => ({ interruptId: r.interruptId, status: r.status === 'resolved' ? 'RESOLVED' as const : 'CANCELLED' as const, payload: r.payload }))
      return (await this.request(ResumeExecutionDocument, { input: { executionId: this.last.executionId, resume, runId: input.runId } })).resumeExecution.execution
    }
    // Tool messages answer the calls of the client's own tools (`tools`), which the previous run left pending.
    const fresh = input.messages.filter((m) => !this.known.has(m.id) && (m.role === 'user' || m.role === 'system' || m.role === 'tool'))
    const { runAgent } = await this.request(RunAgentDocument, {
      input: {
        agentId: this.platformAgentId,
        messages: fresh.map((m: Message) => ({
          id: m.id, role: m.role as 'user' | 'system' | 'tool', content: contentToText(m.content as never), ...(m.role === 'tool' && { toolCallId: m.toolCallId }),
        })),
        threadId: isPlatformThread(input.threadId) ? input.threadId : null,
        runId: input.runId,
        ...(input.tools.length && { clientTools: input.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })) }),
      },
    })
    return runAgent.execution
  }

  /**
   * Reconnects to the latest run (AbstractAgent.connectAgent()) after a detached run or a lost connection. AG-UI
   * verifies every stream from RUN_STARTED and applies it from its MESSAGES_SNAPSHOT, so the run is replayed from its
   * start (from the durable log), then followed live; within the stream, drops resume by cursor.
   */
  protected override connect(_input: RunAgentInput): Observable<BaseEvent> {
    return new Observable<BaseEvent>((observer) => {
      if (!this.last || this.last.finished) {
        observer.complete()
        return
      }
      this.last.cursor = null
      return this.follow(observer)
    })
  }

  /** A copy that shares the connection but not the state: CopilotKit clones the agent for every request. */
  override clone(): AgentPlatformAgent {
    const copy = super.clone() as AgentPlatformAgent
    copy.request = this.request
    copy.ws = this.ws
    copy.platformAgentId = this.platformAgentId
    copy.known = new Set(this.known)
    copy.last = this.last && { ...this.last }
    return copy
  }

  /** Streams the latest run's events after its cursor, resumably, into `observer`; returns the stop function. */
  private follow(observer: Subscriber<BaseEvent>): () => void {
    const last = this.last!
    return subscribeResumable({
      client: this.ws,
      query: ExecutionEventsDocument,
      variables: { executionId: last.executionId, after: last.cursor },
      cursorOf: (d) => d.executionEvents.cursor,
      onNext: (d) => {
        const event = d.executionEvents.event as BaseEvent & Record<string, unknown>
        last.cursor = d.executionEvents.cursor
        if (event.type === EventType.RUN_FINISHED || event.type === EventType.RUN_ERROR) last.finished = true
        if (event.type === EventType.RUN_FINISHED) last.interrupted = (event.outcome as { type?: string } | undefined)?.type === 'interrupt'
        this.remember(event)
        observer.next(event)
      },
      onComplete: () => observer.complete(),
      onError: (e) => observer.error(e),
    })
  }

  private remember(event: Record<string, unknown>) {
    if (event.type === EventType.RUN_STARTED && typeof event.threadId === 'string') this.threadId = event.threadId
    if (event.type === EventType.MESSAGES_SNAPSHOT) for (const m of event.messages as Message[]) this.known.add(m.id)
    if (typeof event.messageId === 'string') this.known.add(event.messageId)
  }
}
