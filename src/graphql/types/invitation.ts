import { sessionOf } from '../../context.ts'
import { acceptInvitation, inviteMember, listInvitations, revokeInvitation } from '../../services/invitations.ts'
import { builder } from '../builder.ts'
import { tenantRowScopes } from '../type-scopes.ts'
import { connectionNames, pageConnection } from '../connection.ts'
import { decodeId } from '../ids.ts'
import { AuthPayload, startSession } from './auth.ts'
import { RoleEnum } from './enums.ts'

export const InvitationRef = builder.prismaNode('Invitation', {
  id: { field: 'id' },
  authScopes: tenantRowScopes(),
  fields: (t) => ({
    email: t.exposeString('email'),
    role: t.expose('role', { type: RoleEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
})

builder.queryField('invitations', (t) =>
  t.connection(
    {
      type: InvitationRef,
      description: 'Pending invitations of the tenant.',
      authScopes: { scope: 'MEMBERS_MANAGE' },
      resolve: (_root, args, ctx) => pageConnection(ctx, 'invitations', args, listInvitations),
    },
    ...connectionNames('Invitation'),
  ),
)

const InviteMemberInput = builder.inputType('InviteMemberInput', {
  fields: (t) => ({ email: t.string({ required: true }), role: t.field({ type: RoleEnum, required: true }) }),
})
const RevokeInvitationInput = builder.inputType('RevokeInvitationInput', { fields: (t) => ({ id: t.id({ required: true }) }) })
const AcceptInvitationInput = builder.inputType('AcceptInvitationInput', {
  fields: (t) => ({
    token: t.string({ required: true }),
    password: t.string({ required: true, description: "The account's password, or the new account's when the email has none." }),
    displayName: t.string(),
  }),
})

const InviteMemberPayload = builder.objectRef<{ invitation: object; token: string }>('InviteMemberPayload').implement({
  fields: (t) => ({
    invitation: t.field({ type: InvitationRef, resolve: (p) => p.invitation as never }),
    token: t.exposeString('token', { description: 'The one-time token to hand to the invitee (shown only now).' }),
  }),
})
const RevokeInvitationPayload = builder.objectRef<{ invitation: object }>('RevokeInvitationPayload').implement({
  fields: (t) => ({ invitation: t.field({ type: InvitationRef, resolve: (p) => p.invitation as never }) }),
})

builder.mutationFields((t) => ({
  inviteMember: t.field({
    type: InviteMemberPayload,
    auditAction: 'member.invite',
    authScopes: { scope: 'MEMBERS_MANAGE' },
    args: { input: t.arg({ type: InviteMemberInput, required: true }) },
    resolve: (_r, { input }, ctx) => inviteMember(sessionOf(ctx), input),
  }),
  revokeInvitation: t.field({
    type: RevokeInvitationPayload,
    auditAction: 'member.invite_revoke',
    authScopes: { scope: 'MEMBERS_MANAGE' },
    args: { input: t.arg({ type: RevokeInvitationInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ invitation: await revokeInvitation(sessionOf(ctx), { id: decodeId(input.id, 'Invitation') }) }),
  }),
  acceptInvitation: t.field({
    type: AuthPayload,
    auditAction: 'member.join',
    authScopes: { public: true },
    args: { input: t.arg({ type: AcceptInvitationInput, required: true }) },
    resolve: async (_r, { input }, ctx) => startSession(ctx, await acceptInvitation(ctx.deps, ctx.meta, input)),
  }),
}))
