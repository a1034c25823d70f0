// The model never sees a tool call without its result: a call the thread moved on from (an unanswered interrupt or
// client tool call) gets a result saying so, placed before the next non-tool message; a continuation's calls do not.
import { describe, expect, it } from 'vitest'
import type { AguiMessage } from '../../src/events/agui.ts'
import { toLlmMessages } from '../../src/worker/conversation.ts'

const call = (id: string) => ({ id, type: 'function' as const, function: { name: 'deploy', arguments: '{}' } })
const history: AguiMessage[] = [
  { id: 'u1', role: 'user', content: 'deploy both' },
  { id: 'a1', role: 'assistant', content: '', toolCalls: [call('c1'), call('c2')] },
  { id: 't1', role: 'tool', toolCallId: 'c1', content: 'ok' },
  { id: 'u2', role: 'user', content: 'never mind' },
]

describe('toLlmMessages', () => {
  it('answers a call left open, right after the results its turn has', () => {
    expect(toLlmMessages(history).map((m) => [m.role, m.role === 'tool' ? m.toolCallId : m.content])).toEqual([
      ['user', 'deploy both'], ['assistant', ''], ['tool', 'c1'], ['tool', 'c2'], ['user', 'never mind'],
    ])
    expect(toLlmMessages(history)[3]).toMatchObject({ content: JSON.stringify({ error: 'This call was never answered.' }) })
  })

  it('leaves the calls a continuation answers itself, and histories without open calls, as they are', () => {
    const held = history.slice(0, 3)
    expect(toLlmMessages(held, new Set(['c2'])).map((m) => m.role)).toEqual(['user', 'assistant', 'tool'])
    const closed: AguiMessage[] = [...held, { id: 't2', role: 'tool', toolCallId: 'c2', content: 'ok' }]
    expect(toLlmMessages(closed).map((m) => (m.role === 'tool' ? m.content : m.role))).toEqual(['user', 'assistant', 'ok', 'ok'])
  })
})
