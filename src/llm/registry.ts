// Which models may run, and which provider runs each. Configuration arrives as parameters (src/config.ts reads the
// environment; the composition root passes it here).
import { permanentLlmError } from './errors.ts'
import { createMockProvider, MOCK_MODEL } from './mock.ts'
import { createOpenAiProvider, type OpenAiProviderOptions } from './openai.ts'
import type { LlmProvider } from './types.ts'

/** What MODEL_ALLOWLIST defaults to: only the deterministic mock. */
export const DEFAULT_MODEL_ALLOWLIST: readonly string[] = [MOCK_MODEL]

export interface LlmRegistryOptions {
  /** The OpenAI-compatible endpoint serving every allowed model except `mock-1`; absent → only the mock runs. */
  openAi?: Pick<OpenAiProviderOptions, 'baseUrl' | 'apiKey' | 'modelMap' | 'timeoutMs' | 'fetch'>
  allowlist: readonly string[]
}

export interface LlmRegistry {
  /** The allowlist as given (trimmed, without duplicates). */
  readonly allowlist: readonly string[]
  /** True when `model` is allowed and some provider can run it (what agent validation should use). */
  isAllowed(model: string): boolean
  /** The provider for `model`; a permanent LlmError when the model is not allowed or nothing serves it. */
  providerFor(model: string): LlmProvider
}

/** Builds the registry; providers are created once and shared (they hold no per-run state). */
export function createLlmRegistry(opts: LlmRegistryOptions): LlmRegistry {
  const allowlist = [...new Set(opts.allowlist.map((m) => m.trim()).filter(Boolean))]
  const allowed = new Set(allowlist)
  const mock = createMockProvider()
  const openAi = opts.openAi ? createOpenAiProvider(opts.openAi) : undefined

  const resolve = (model: string): LlmProvider | undefined => {
    if (!allowed.has(model)) return undefined
    return model === MOCK_MODEL ? mock : openAi
  }

  return {
    allowlist,
    isAllowed: (model) => resolve(model) !== undefined,
    providerFor(model) {
      const provider = resolve(model)
      if (provider) return provider
      // The model name is the caller's own input and safe to echo; nothing about the endpoint is.
      const why = allowed.has(model) ? 'no LLM provider is configured for it' : 'it is not in the model allowlist'
      throw permanentLlmError(`Model "${model}" cannot run: ${why}`)
    },
  }
}
