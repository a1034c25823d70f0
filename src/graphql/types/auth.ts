import { sessionOf, type Context } from '../../context.ts'
import { changePassword, login, logout, refresh, signUp } from '../../services/accounts.ts'
import type { AuthResult } from '../../services/sessions.ts'
import { builder } from '../builder.ts'
import { decodeId } from '../ids.ts'
import { TenantRef } from './tenant.ts'
import { UserRef } from './user.ts'

export const AuthPayload = builder.objectRef<AuthResult>('AuthPayload').implement({
  description: 'A new session: a short-lived access token and a rotating refresh token.',
  fields: (t) => ({
    accessToken: t.exposeString('accessToken', { description: 'Send as `Authorization: Bearer …`.' }),
    refreshToken: t.exposeString('refreshToken', { description: 'Single use: refreshToken returns a new one. Presenting a used one ends the session.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'When the access token expires.' }),
    user: t.field({ type: UserRef, resolve: (p) => p.user }),
    tenant: t.field({ type: TenantRef, resolve: (p) => p.tenant }),
  }),
})

/** The rest of this request runs as the principal the session belongs to (its payload fields are checked as such). */
export function startSession(ctx: Context, result: AuthResult): AuthResult {
  ctx.principal = result.principal
  return result
}

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    tenantName: t.string({ required: true }),
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    displayName: t.string(),
  }),
})
const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    tenantId: t.id({ description: 'Which of your tenants to sign in to (default: the first you joined).' }),
  }),
})
const RefreshTokenInput = builder.inputType('RefreshTokenInput', { fields: (t) => ({ refreshToken: t.string({ required: true }) }) })
const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  fields: (t) => ({ currentPassword: t.string({ required: true }), newPassword: t.string({ required: true }) }),
})
const LogoutPayload = builder.objectRef<{ success: boolean }>('LogoutPayload').implement({
  fields: (t) => ({ success: t.exposeBoolean('success') }),
})

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** login accepts the Tenant's global id or its raw uuid; anything else matches no tenant (so login fails as usual). */
function tenantIdArg(id: string | null | undefined) {
  if (id == null) return undefined
  if (uuid.test(id)) return id.toLowerCase()
  try {
    return decodeId(id, 'Tenant')
  } catch {
    return id
  }
}

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayload,
    description: 'Creates a tenant on the FREE plan and its owner, and signs in.',
    auditAction: 'auth.signup',
    authScopes: { public: true },
    args: { input: t.arg({ type: SignUpInput, required: true }) },
    resolve: async (_r, { input }, ctx) => startSession(ctx, await signUp(ctx.deps, ctx.meta, input)),
  }),
  login: t.field({
    type: AuthPayload,
    auditAction: 'auth.login',
    authScopes: { public: true },
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: async (_r, { input }, ctx) =>
      startSession(ctx, await login(ctx.deps, ctx.meta, { ...input, tenantId: tenantIdArg(input.tenantId) })),
  }),
  refreshToken: t.field({
    type: AuthPayload,
    auditAction: 'auth.refresh',
    authScopes: { public: true },
    args: { input: t.arg({ type: RefreshTokenInput, required: true }) },
    resolve: async (_r, { input }, ctx) => startSession(ctx, await refresh(ctx.deps, ctx.meta, input)),
  }),
  logout: t.field({
    type: LogoutPayload,
    description: "Ends the caller's session: its refresh token and this access token stop working.",
    auditAction: 'auth.logout',
    authScopes: { user: true },
    resolve: async (_r, _a, ctx) => {
      await logout(sessionOf(ctx))
      return { success: true }
    },
  }),
  changePassword: t.field({
    type: AuthPayload,
    description: 'Every other session of the account ends; the returned one continues.',
    auditAction: 'auth.password_change',
    authScopes: { user: true },
    args: { input: t.arg({ type: ChangePasswordInput, required: true }) },
    resolve: async (_r, { input }, ctx) => startSession(ctx, await changePassword(sessionOf(ctx), input)),
  }),
}))
