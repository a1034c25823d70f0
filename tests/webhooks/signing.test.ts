// Standard Webhooks signing, checked against the specification's published test vector and against the reference
// verifier (the `standardwebhooks` npm package) rather than against our own code.
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { newWebhookSecret, sign, signedHeaders } from '../../src/services/webhooks/signing.ts'

// From the Standard Webhooks specification's reference libraries (the vector every implementation tests against).
const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
}

describe('Standard Webhooks signing', () => {
  it('reproduces the specification test vector', () => {
    expect(sign(vector.secret, vector.id, vector.timestamp, vector.body)).toBe(vector.signature)
  })

  it('is accepted by the reference verifier, and a tampered body is not', () => {
    const secret = newWebhookSecret()
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    const body = JSON.stringify({ type: 'tool.create', timestamp: new Date().toISOString(), data: { a: 1 } })
    const headers = signedHeaders([secret], 'msg_1', Math.floor(Date.now() / 1000), body)
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body))
    expect(() => new Webhook(secret).verify(body.replace('1', '2'), headers)).toThrow()
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow()
  })

  it('signs with both secrets during a rotation, so either verifies', () => {
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()]
    const body = '{"type":"x"}'
    const headers = signedHeaders([newSecret, oldSecret], 'msg_2', Math.floor(Date.now() / 1000), body)
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2)
    expect(new Webhook(oldSecret).verify(body, headers)).toEqual({ type: 'x' })
    expect(new Webhook(newSecret).verify(body, headers)).toEqual({ type: 'x' })
  })
})
