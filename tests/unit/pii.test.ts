// The PII detectors, as a table: what must be redacted (positives) and what looks close but must stay (near-misses).
import { describe, expect, it } from 'vitest'
import { luhnValid, redactPiiText, redactPiiValue } from '../../src/pii.ts'

const positives: [string, string, string][] = [
  ['EMAIL', 'write to jane.doe+tag@example.co.uk today', 'write to [REDACTED:EMAIL] today'],
  ['EMAIL', 'a_b@sub.domain.io', '[REDACTED:EMAIL]'],
  ['PHONE', 'call +1 415 555 2671 now', 'call [REDACTED:PHONE] now'],
  ['PHONE', 'call (415) 555-2671 now', 'call [REDACTED:PHONE] now'],
  ['PHONE', 'ring +44 20 7946 0958', 'ring [REDACTED:PHONE]'],
  ['PHONE', 'appelez le +33 1 42 68 53 00', 'appelez le [REDACTED:PHONE]'],
  ['CARD', 'card 4111 1111 1111 1111 exp 12/29', 'card [REDACTED:CARD] exp 12/29'],
  ['CARD', 'card 4111-1111-1111-1111', 'card [REDACTED:CARD]'],
  ['CARD', 'amex 378282246310005', 'amex [REDACTED:CARD]'],
  ['IBAN', 'pay DE89 3704 0044 0532 0130 00 please', 'pay [REDACTED:IBAN] please'],
  ['IBAN', 'GB82WEST12345698765432', '[REDACTED:IBAN]'],
  ['SECRET', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok', 'token [REDACTED:SECRET] ok'],
  ['SECRET', 'Authorization: Bearer abcdefghijklmnop123', 'Authorization: Bearer [REDACTED:SECRET]'],
  ['SECRET', 'key sk_live_51HqLyjWDarjtT1zdp7dc', 'key [REDACTED:SECRET]'],
  ['SECRET', 'openai sk-proj-abcdefghijklmnopqrstuvwxyz012345', 'openai [REDACTED:SECRET]'],
  ['SECRET', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', '[REDACTED:SECRET]'],
  ['SECRET', 'aws AKIAIOSFODNN7EXAMPLE', 'aws [REDACTED:SECRET]'],
  ['SECRET', 'our key apk_abcdefgh_0123456789abcdef', 'our key [REDACTED:SECRET]'],
  ['SECRET', 'password=hunter2hunter2', 'password=[REDACTED:SECRET]'],
  ['SECRET', 'https://api.example.com/x?api_key=SECRET123456', 'https://api.example.com/x?api_key=[REDACTED:SECRET]'],
]

const nearMisses: [string, string][] = [
  ['an @mention and user@localhost', 'no dot in the domain'],
  ['version 1.2.3 and 2026-12-07', 'dates and versions'],
  ['order 12345 shipped', 'short numbers'],
  ['card 4111 1111 1111 1112', 'Luhn check fails'],
  ['id 1234567890123', 'Luhn check fails (13 digits)'],
  ['DE89 3704 0044 0532 0130 01', 'IBAN check digits fail'],
  ['XX00ABCDEFGHIJKL', 'not an IBAN country'],
  ['call 555-0100', 'not a valid full number'],
  ['the token is short: abc123', 'value under 8 characters'],
  ['Bearer of bad news', 'the word after Bearer is too short to be a token'],
  ['eyJhbGciOiJIUzI1NiJ9 alone', 'one JWT segment only'],
  ['sk-short', 'too short for a key'],
  ['maxTokens=4096 and tokens: 120', 'counts, not secrets'],
]

describe('PII detectors', () => {
  it.each(positives)('redacts %s in %j', (_kind, input, expected) => {
    expect(redactPiiText(input)).toBe(expected)
  })

  it.each(nearMisses)('leaves %j alone (%s)', (input) => {
    expect(redactPiiText(input)).toBe(input)
  })

  it('checks the Luhn sum', () => {
    expect(luhnValid('4111111111111111')).toBe(true)
    expect(luhnValid('4111111111111112')).toBe(false)
    expect(luhnValid('79927398713')).toBe(true)
  })

  it('redacts every string of a JSON value, never its keys', () => {
    expect(redactPiiValue({ email: 'a@b.io', list: ['call +1 415 555 2671', 3, null], nested: { ok: true } })).toEqual({
      email: '[REDACTED:EMAIL]', list: ['call [REDACTED:PHONE]', 3, null], nested: { ok: true },
    })
  })
})
