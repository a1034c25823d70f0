import { describe, expect, it } from 'vitest'
import { LlmError } from '../../src/llm/errors.ts'
import { createLlmRegistry, DEFAULT_MODEL_ALLOWLIST } from '../../src/llm/registry.ts'

const permanentFailure = (fn: () => unknown): LlmError => {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(LlmError)
    expect((err as LlmError).retryable).toBe(false)
    return err as LlmError
  }
  throw new Error('expected an LlmError')
}

describe('LLM registry', () => {
  it('serves only the mock by default', () => {
    const registry = createLlmRegistry({ allowlist: DEFAULT_MODEL_ALLOWLIST })
    expect(registry.isAllowed('mock-1')).toBe(true)
    expect(registry.providerFor('mock-1').name).toBe('mock')
    expect(registry.isAllowed('gpt-4o')).toBe(false)
    expect(permanentFailure(() => registry.providerFor('gpt-4o')).message).toMatch(/not in the model allowlist/)
  })

  it('routes other allowed models to the OpenAI-compatible provider when configured', () => {
    const registry = createLlmRegistry({
      allowlist: [' mock-1', 'gpt-4o ', 'gpt-4o'],
      openAi: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-never-shown' },
    })
    expect(registry.allowlist).toEqual(['mock-1', 'gpt-4o'])
    expect(registry.providerFor('gpt-4o').name).toBe('openai')
    expect(registry.providerFor('mock-1').name).toBe('mock')
    expect(registry.isAllowed('gpt-4.1')).toBe(false)
  })

  it('refuses an allowed model that no provider serves, and the mock when it is not allowed', () => {
    const registry = createLlmRegistry({ allowlist: ['gpt-4o'] })
    expect(registry.isAllowed('gpt-4o')).toBe(false)
    expect(permanentFailure(() => registry.providerFor('gpt-4o')).message).toMatch(/no LLM provider is configured/)
    expect(registry.isAllowed('mock-1')).toBe(false)
    permanentFailure(() => registry.providerFor('mock-1'))
  })
})
