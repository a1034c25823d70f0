// An AG-UI agent backed by this API, so AG-UI clients (CopilotKit-style UIs) consume our runs unchanged: `run`
// queues the run with runAgent and streams its AG-UI events over graphql-ws, resuming by cursor after disconnects.
// The thread's history lives on the server: only messages it has not seen are sent.
import { AbstractAgent, contentToText, EventType, type AgentConfig, type BaseEvent, type Message, type RunAgentInput } from '@ag-ui/client'
import { Observable } from 'rxjs'
import type { Client } from 'graphql-ws'
import { ExecutionEventsDocument, RunAgentDocument } from './generated/graphql.ts'
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
  private readonly request: ReturnType<typeof createHttpClient>
  private readonly ws: Client
  private readonly platformAgentId: string
  /** Ids of messages the server already holds (it sent them back in a snapshot or produced them). */
  private readonly known = new Set<string>()

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
      const fresh = input.messages.filter((m) => !this.known.has(m.id) && (m.role === 'user' || m.role === 'system'))
      this.request(RunAgentDocument, {
        input: {
          agentId: this.platformAgentId,
          messages: fresh.map((m: Message) => ({ id: m.id, role: m.role as 'user' | 'system', content: contentToText(m.content as never) })),
          threadId: isPlatformThread(input.threadId) ? input.threadId : null,
          runId: input.runId,
        },
      }).then(({ runAgent: { execution } }) => {
        if (closed) return
        stop = subscribeResumable({
          client: this.ws,
          query: ExecutionEventsDocument,
          variables: { executionId: execution.id, after: null },
          cursorOf: (d) => d.executionEvents.cursor,
          onNext: (d) => {
            const event = d.executionEvents.event as BaseEvent & Record<string, unknown>
            this.remember(event)
            observer.next(event)
          },
          onComplete: () => observer.complete(),
          onError: (e) => observer.error(e),
        })
      }, (e: unknown) => observer.error(e))
      return () => {
        closed = true
        stop()
      }
    })
  }

  private remember(event: Record<string, unknown>) {
    if (event.type === EventType.RUN_STARTED && typeof event.threadId === 'string') this.threadId = event.threadId
    if (event.type === EventType.MESSAGES_SNAPSHOT) for (const m of event.messages as Message[]) this.known.add(m.id)
    if (typeof event.messageId === 'string') this.known.add(event.messageId)
  }
}
