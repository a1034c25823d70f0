// Messages from events, with the semantics AG-UI clients apply (MESSAGES_SNAPSHOT replaces the list; text and tool
// call events build assistant messages; TOOL_CALL_RESULT adds a tool message). The thread's stored messages are
// computed with this, so a client that replays a run's events ends with exactly the same list.
import { EventType, type AguiEvent, type AguiMessage } from './agui.ts'

type Assistant = Extract<AguiMessage, { role: 'assistant' }>
type ToolCall = NonNullable<Assistant['toolCalls']>[number]

/** The message list after applying `events` to `messages` (which is not modified). */
export function applyEvents(messages: readonly AguiMessage[], events: readonly AguiEvent[]): AguiMessage[] {
  let list: AguiMessage[] = structuredClone([...messages])
  const toolCalls = new Map<string, ToolCall>()
  const find = (id: string) => list.find((m) => m.id === id)
  for (const e of events) {
    switch (e.type) {
      case EventType.MESSAGES_SNAPSHOT:
        list = structuredClone(e.messages as AguiMessage[])
        break
      case EventType.TEXT_MESSAGE_START:
        // A tool call may have opened the message already.
        if (!find(e.messageId as string)) list.push({ id: e.messageId as string, role: 'assistant', content: '' })
        break
      case EventType.TEXT_MESSAGE_CONTENT: {
        const m = find(e.messageId as string) as Assistant | undefined
        if (m) m.content = `${m.content ?? ''}${e.delta as string}`
        break
      }
      case EventType.TOOL_CALL_START: {
        const parentId = e.parentMessageId as string
        let parent = find(parentId) as Assistant | undefined
        if (!parent) list.push((parent = { id: parentId, role: 'assistant' }))
        const call: ToolCall = { id: e.toolCallId as string, type: 'function', function: { name: e.toolCallName as string, arguments: '' } }
        parent.toolCalls = [...(parent.toolCalls ?? []), call]
        toolCalls.set(call.id, call)
        break
      }
      case EventType.TOOL_CALL_ARGS: {
        const call = toolCalls.get(e.toolCallId as string)
        if (call) call.function.arguments += e.delta as string
        break
      }
      case EventType.TOOL_CALL_RESULT: {
        // After the assistant message that made the call (and results already there), as clients place it.
        const result: AguiMessage = { id: e.messageId as string, role: 'tool', toolCallId: e.toolCallId as string, content: e.content as string }
        let at = list.findIndex((m) => m.role === 'assistant' && m.toolCalls?.some((c) => c.id === e.toolCallId))
        if (at === -1) list.push(result)
        else {
          at++
          while (at < list.length && list[at]!.role === 'tool') at++
          list.splice(at, 0, result)
        }
        break
      }
    }
  }
  return list
}
