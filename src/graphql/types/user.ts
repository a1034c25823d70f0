import { builder } from '../builder.ts'

// Users are global accounts; a caller only ever loads members of its own tenant (and itself).
export const UserRef = builder.prismaNode('User', {
  id: { field: 'id' },
  authScopes: { authenticated: true },
  fields: (t) => ({
    email: t.exposeString('email', {
      nullable: true,
      description: 'Visible to the user and to members with MEMBERS_MANAGE (null, with a FORBIDDEN error, for others).',
      authScopes: (user) => ({ $any: { scope: 'MEMBERS_MANAGE', self: user.id } }),
    }),
    displayName: t.exposeString('displayName', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
})
