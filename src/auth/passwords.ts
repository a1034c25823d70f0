// Password hashing (argon2id) and policy.
import { hash, verify } from '@node-rs/argon2'
import type { FieldProblem } from '../errors.ts'

// OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane).
const params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }
const maxLength = 256 // bound the work an attacker can make us do per attempt

export const hashPassword = (password: string) => hash(password, params)

// Verifying against this when the account does not exist keeps the timing of "unknown user" and "wrong password"
// alike, so login cannot be used to enumerate accounts.
let dummy: Promise<string> | undefined

/** Checks `password` against `stored`, or against a dummy hash when there is no account (same cost either way). */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  dummy ??= hashPassword('dummy password for timing equalisation')
  const target = stored ?? (await dummy)
  const ok = password.length <= maxLength && (await verify(target, password).catch(() => false))
  return ok && stored !== undefined
}

const common = new Set(['password', 'passw0rd', 'qwerty', 'letmein', 'welcome', 'iloveyou', 'admin', '123456', 'changeme'])

/** Problems with a new password (empty when acceptable). */
export function passwordProblems(password: string, opts: { minLength: number; email?: string }, path = 'password'): FieldProblem[] {
  const problems: string[] = []
  if (password.length < opts.minLength) problems.push(`must be at least ${opts.minLength} characters`)
  if (password.length > maxLength) problems.push(`must be at most ${maxLength} characters`)
  if (new Set(password).size < 4) problems.push('must use at least 4 different characters')
  const lowered = password.toLowerCase()
  // "Password123!" is still "password": compare with digits and symbols around the word removed.
  if (common.has(lowered.replace(/[^a-z]+$/g, '').replace(/^[^a-z]+/g, '').replace(/[^a-z0-9]/g, ''))) problems.push('is too common')
  const local = opts.email?.split('@')[0]?.toLowerCase()
  if (local && local.length >= 4 && lowered.includes(local)) problems.push('must not contain your email address')
  return problems.map((message) => ({ path, message }))
}
