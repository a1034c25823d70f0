import { encodeGlobalId } from '../../global-ids.ts'
import { sessionOf } from '../../context.ts'
import { addMember, listMembers, removeMember, updateMemberRole } from '../../services/members.ts'
import { builder } from '../builder.ts'
import { tenantRowScopes } from '../type-scopes.ts'
import { connectionNames, pageConnection } from '../connection.ts'
import { decodeId } from '../ids.ts'
import { RoleEnum } from './enums.ts'

export const MemberRef = builder.prismaNode('Membership', {
  variant: 'Member',
  description: 'A person in the tenant, with their role. Its id is stable for the pair (tenant, user).',
  id: { resolve: (m) => m.userId },
  findUnique: (userId, ctx) => ({ tenantId_userId: { tenantId: ctx.principal?.tenantId ?? '', userId } }),
  authScopes: tenantRowScopes(),
  fields: (t) => ({
    user: t.relation('user'),
    role: t.expose('role', { type: RoleEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
})

builder.queryField('members', (t) =>
  t.connection(
    {
      type: MemberRef,
      authScopes: { authenticated: true },
      resolve: (_root, args, ctx) => pageConnection(ctx, 'members', args, listMembers),
    },
    ...connectionNames('Member'),
  ),
)

const memberId = (id: string) => decodeId(id, 'Member', 'User')

const AddMemberInput = builder.inputType('AddMemberInput', {
  description: 'Adds a person who already has an account; use inviteMember for anyone else.',
  fields: (t) => ({ email: t.string({ required: true }), role: t.field({ type: RoleEnum, required: true }) }),
})
const UpdateMemberRoleInput = builder.inputType('UpdateMemberRoleInput', {
  fields: (t) => ({ id: t.id({ required: true, description: 'Member (or User) id.' }), role: t.field({ type: RoleEnum, required: true }) }),
})
const RemoveMemberInput = builder.inputType('RemoveMemberInput', {
  fields: (t) => ({ id: t.id({ required: true, description: 'Member (or User) id.' }) }),
})

const MemberPayload = (name: string) =>
  builder.objectRef<{ member: object }>(name).implement({ fields: (t) => ({ member: t.field({ type: MemberRef, resolve: (p) => p.member as never }) }) })
const AddMemberPayload = MemberPayload('AddMemberPayload')
const UpdateMemberRolePayload = MemberPayload('UpdateMemberRolePayload')
const RemoveMemberPayload = builder.objectRef<{ removedId: string }>('RemoveMemberPayload').implement({
  fields: (t) => ({ removedId: t.exposeID('removedId', { description: 'The removed Member id.' }) }),
})

builder.mutationFields((t) => ({
  addMember: t.field({
    type: AddMemberPayload,
    auditAction: 'member.add',
    authScopes: { scope: 'MEMBERS_MANAGE' },
    args: { input: t.arg({ type: AddMemberInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ member: await addMember(sessionOf(ctx), input) }),
  }),
  updateMemberRole: t.field({
    type: UpdateMemberRolePayload,
    auditAction: 'member.role_change',
    authScopes: { scope: 'MEMBERS_MANAGE' },
    args: { input: t.arg({ type: UpdateMemberRoleInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ member: await updateMemberRole(sessionOf(ctx), { userId: memberId(input.id), role: input.role }) }),
  }),
  removeMember: t.field({
    type: RemoveMemberPayload,
    auditAction: 'member.remove',
    authScopes: { scope: 'MEMBERS_MANAGE' },
    args: { input: t.arg({ type: RemoveMemberInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const userId = await removeMember(sessionOf(ctx), { userId: memberId(input.id) })
      return { removedId: encodeGlobalId('Member', userId) }
    },
  }),
}))
