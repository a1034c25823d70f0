import { describe, expect, it } from 'vitest'
import { diff, isSecretName, REDACTED, redactUrl } from '../../src/services/audit-diff.ts'

describe('audit diff', () => {
  it('keeps only the fields that changed, comparing JSON by content', () => {
    const before = { name: 'a', description: 'same', schema: { b: 1, a: [1, 2] }, temperature: null }
    const after = { name: 'b', description: 'same', schema: { a: [1, 2], b: 1 }, temperature: 0.5 }
    expect(diff(before, after)).toEqual({ before: { name: 'a', temperature: null }, after: { name: 'b', temperature: 0.5 } })
    expect(diff(before, before)).toEqual({ before: {}, after: {} })
  })

  it('shows every field on creation and deletion', () => {
    expect(diff(null, { name: 'x', at: new Date('2026-01-01T00:00:00Z') })).toEqual({ after: { name: 'x', at: '2026-01-01T00:00:00.000Z' } })
    expect(diff({ name: 'x' }, null)).toEqual({ before: { name: 'x' } })
  })

  it('redacts secret-named fields at any depth, but not counts named like tokens', () => {
    expect(['password', 'secretHash', 'api_key', 'apiKey', 'accessToken', 'token', 'refresh-token', 'keyHash', 'Authorization', 'clientSecret', 'privateKey'].filter((k) => !isSecretName(k))).toEqual([])
    expect(['maxTokens', 'promptTokens', 'name', 'keys', 'description', 'tokenizer'].filter(isSecretName)).toEqual([])
    const changes = diff({ password: 'old', config: { headers: { Authorization: 'Bearer a' } }, maxTokens: 1 }, { password: 'new', config: { headers: { Authorization: 'Bearer b' } }, maxTokens: 2 })
    expect(changes).toEqual({
      before: { password: REDACTED, config: { headers: { Authorization: REDACTED } }, maxTokens: 1 },
      after: { password: REDACTED, config: { headers: { Authorization: REDACTED } }, maxTokens: 2 },
    })
    expect(JSON.stringify(changes)).not.toMatch(/old|new|Bearer/)
  })

  it('redacts the credentials, query string and fragment of URLs', () => {
    expect(redactUrl('https://user:pw@api.example.com:8443/v1/run?key=abc&x=1#t=2')).toBe(`https://${REDACTED}@api.example.com:8443/v1/run?${REDACTED}#${REDACTED}`)
    expect(redactUrl('https://api.example.com/v1/run')).toBe('https://api.example.com/v1/run')
    expect(redactUrl('not a url ?token=1')).toBe(REDACTED)
    expect(diff({ url: 'https://x.example/a?k=1' }, { url: 'https://x.example/a?k=2' }, { redact: { url: redactUrl } }))
      .toEqual({ before: { url: `https://x.example/a?${REDACTED}` }, after: { url: `https://x.example/a?${REDACTED}` } })
  })
})
