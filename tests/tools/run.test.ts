// runTool: argument validation, dispatch, and every failure reported as a value (never thrown).
import { describe, expect, it } from 'vitest'
import { runTool, type RunToolOptions, type ToolDefinition } from '../../src/tools/run.ts'
import { json, startToolServer } from './tool-server.ts'

const opts = (overrides: Partial<RunToolOptions> = {}): RunToolOptions => ({
  signal: new AbortController().signal,
  httpPolicy: { allowInsecureHttp: true, allowPrivateNetworks: true },
  timeoutMs: 2000,
  maxResponseBytes: 64 * 1024,
  ...overrides,
})
const builtin = (handler: string | null, inputSchema: unknown = null): ToolDefinition => ({ kind: 'BUILTIN', handler, inputSchema })

describe('runTool', () => {
  it('dispatches to a built-in', async () => {
    await expect(runTool(builtin('echo'), { text: 'hello' }, opts())).resolves.toEqual({ ok: true, result: { text: 'hello' } })
    await expect(runTool(builtin('calculator'), { expression: '(1 + 2) * 3' }, opts())).resolves.toEqual({ ok: true, result: { result: 9 } })
    const now = () => new Date('2024-01-01T00:00:00Z')
    await expect(runTool(builtin('current_time'), { timezone: 'Asia/Tokyo' }, opts({ now }))).resolves.toEqual({
      ok: true, result: { iso: '2024-01-01T09:00:00.000+09:00', timezone: 'Asia/Tokyo', epochMs: now().getTime() },
    })
  })

  it("validates against the tool's inputSchema and names the field", async () => {
    const tool = builtin('echo', { type: 'object', properties: { text: { type: 'string', maxLength: 5 } }, required: ['text'] })
    const result = await runTool(tool, { text: 'far too long' }, opts())
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENTS', message: expect.stringContaining('arguments.text must NOT have more than 5 characters'), retryable: false } })
  })

  it("also applies the built-in's own schema when the tenant's is looser", async () => {
    const result = await runTool(builtin('echo', { type: 'object' }), { txt: 'typo' }, opts())
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENTS', message: expect.stringMatching(/arguments\.text is required/) } })
  })

  it.each([
    ['a string', 'hello', /must be a JSON object/],
    ['an array', [1], /must be a JSON object/],
    ['null', null, /must be a JSON object/],
    ['deeply nested arguments', JSON.parse(`{"text":"x","n":${'['.repeat(100)}${']'.repeat(100)}}`) as unknown, /nested more than 32/],
    ['over 256 KiB of arguments', { text: 'x'.repeat(300 * 1024) }, /larger than 256 KiB/],
  ])('refuses %s', async (_name, args, message) => {
    const result = await runTool(builtin('echo'), args, opts())
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENTS', message: expect.stringMatching(message) } })
  })

  it('reports handler refusals (division by zero) as results', async () => {
    await expect(runTool(builtin('calculator'), { expression: '1/0' }, opts())).resolves.toMatchObject({
      ok: false, error: { code: 'INVALID_ARGUMENTS', message: expect.stringMatching(/Division by zero/), retryable: false },
    })
  })

  it.each([['nope'], [null], ['constructor'], ['__proto__']])('reports an unknown handler %j', async (handler) => {
    const result = await runTool(builtin(handler), {}, opts())
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_HANDLER', message: expect.stringMatching(/known handlers: calculator, current_time, echo/) } })
  })

  it('reports an unusable stored schema as INVALID_TOOL', async () => {
    await expect(runTool(builtin('echo', { type: 'banana' }), { text: 'x' }, opts())).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_TOOL' } })
  })

  it('respects an already-aborted signal', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(runTool(builtin('echo'), { text: 'x' }, opts({ signal: controller.signal }))).resolves.toEqual({
      ok: false, error: { code: 'ABORTED', message: 'The tool call was cancelled.', retryable: false },
    })
  })

  it('calls an HTTP tool and passes the validated arguments', async () => {
    const server = await startToolServer((_req, res, body) => json(res, 200, { got: body }))
    const tool: ToolDefinition = { kind: 'HTTP', url: `http://127.0.0.1:${server.port}/`, inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }
    await expect(runTool(tool, { q: 'x' }, opts())).resolves.toEqual({ ok: true, result: { got: { arguments: { q: 'x' } } } })
    await expect(runTool(tool, { q: 1 }, opts())).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENTS' } })
    expect(server.requests).toHaveLength(1) // invalid arguments never leave the process
  })

  it('cancels an in-flight HTTP call when the signal aborts', async () => {
    const server = await startToolServer(() => {})
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const result = await runTool({ kind: 'HTTP', url: `http://127.0.0.1:${server.port}/`, inputSchema: null }, {}, opts({ signal: controller.signal, timeoutMs: 10_000 }))
    expect(result).toMatchObject({ ok: false, error: { code: 'ABORTED' } })
  })

  it('reports HTTP failures as results, with the SSRF policy from the options', async () => {
    const server = await startToolServer((_req, res) => json(res, 200, {}))
    const tool: ToolDefinition = { kind: 'HTTP', url: `http://127.0.0.1:${server.port}/`, inputSchema: null }
    const strict = { allowInsecureHttp: true, allowPrivateNetworks: false }
    await expect(runTool(tool, {}, opts({ httpPolicy: strict }))).resolves.toMatchObject({ ok: false, error: { code: 'BLOCKED_TARGET', retryable: false } })
    await expect(runTool({ ...tool, url: null }, {}, opts())).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_TOOL' } })
    expect(server.connections()).toBe(0)
  })
})
