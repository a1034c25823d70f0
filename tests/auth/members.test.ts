// Members: invitations, direct adds, role changes with owner rules, removal; field-level visibility of emails.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { addMember, codeOf, login, password, signUp, uniqueEmail, type Session } from '../helpers/tenants.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp()
})

const members = (s: Session) =>
  t.gql<{ members: { totalCount: number; edges: { node: { id: string; role: string; user: { id: string; email: string | null } } }[] } }>(
    '{ members(first: 50) { totalCount edges { node { id role user { id email } } } } }', undefined, s.headers)
const setRole = (s: Session, id: string, role: string) =>
  t.gql('mutation($id: ID!, $role: Role!) { updateMemberRole(input: { id: $id, role: $role }) { member { role } } }', { id, role }, s.headers)
const remove = (s: Session, id: string) => t.gql<{ removeMember: { removedId: string } }>('mutation($id: ID!) { removeMember(input: { id: $id }) { removedId } }', { id }, s.headers)

describe('members', () => {
  it('invite → accept creates the account and lists the member with its role', async () => {
    const owner = await signUp(t)
    const dev = await addMember(t, owner, 'DEVELOPER')
    const list = (await members(owner)).body.data!.members
    expect(list.totalCount).toBe(2)
    expect(list.edges.map((e) => [e.node.user.email, e.node.role]).sort()).toEqual([[dev.email, 'DEVELOPER'], [owner.email, 'OWNER']].sort())
    expect((await login(t, dev.email)).tenantId).toBe(owner.tenantId)
  })

  it('an invitation token works once', async () => {
    const owner = await signUp(t)
    const inv = await t.gql<{ inviteMember: { token: string } }>('mutation($e: String!) { inviteMember(input: { email: $e, role: VIEWER }) { token } }', { e: uniqueEmail() }, owner.headers)
    const accept = () => t.gql('mutation($t: String!, $p: String!) { acceptInvitation(input: { token: $t, password: $p }) { accessToken } }', { t: inv.body.data!.inviteMember.token, p: password })
    expect((await accept()).body.errors).toBeUndefined()
    expect(codeOf(await accept())).toBe('UNAUTHENTICATED')
  })

  it('addMember adds an existing account; an unknown email is NOT_FOUND', async () => {
    const owner = await signUp(t)
    const other = await signUp(t)
    const r = await t.gql<{ addMember: { member: { role: string; user: { id: string } } } }>('mutation($e: String!) { addMember(input: { email: $e, role: VIEWER }) { member { role user { id } } } }', { e: other.email }, owner.headers)
    expect(r.body.data!.addMember.member).toEqual({ role: 'VIEWER', user: { id: other.userId } })
    expect(codeOf(await t.gql('mutation($e: String!) { addMember(input: { email: $e, role: VIEWER }) { member { role } } }', { e: other.email }, owner.headers))).toBe('CONFLICT')
    expect(codeOf(await t.gql('mutation($e: String!) { addMember(input: { email: $e, role: VIEWER }) { member { role } } }', { e: uniqueEmail() }, owner.headers))).toBe('NOT_FOUND')
  })

  it('shows emails only to MEMBERS_MANAGE holders and to the person themselves', async () => {
    const owner = await signUp(t)
    const viewer = await addMember(t, owner, 'VIEWER')
    const r = await members(viewer)
    const mine = r.body.data!.members.edges.find((e) => e.node.user.id === viewer.userId)!
    expect(mine.node.user.email).toBe(viewer.email)
    expect(r.body.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN'])
  })

  it('only owners grant or touch the OWNER role; the last owner stays', async () => {
    const owner = await signUp(t)
    const admin = await addMember(t, owner, 'ADMIN')
    const dev = await addMember(t, owner, 'DEVELOPER')
    const ids = Object.fromEntries((await members(owner)).body.data!.members.edges.map((e) => [e.node.user.id, e.node.id]))
    expect(codeOf(await setRole(admin, ids[dev.userId]!, 'OWNER'))).toBe('FORBIDDEN')
    expect(codeOf(await setRole(admin, ids[owner.userId]!, 'VIEWER'))).toBe('FORBIDDEN')
    expect(codeOf(await setRole(owner, ids[owner.userId]!, 'ADMIN'))).toBe('CONFLICT')
    expect(codeOf(await remove(owner, ids[owner.userId]!))).toBe('CONFLICT')
    expect((await setRole(admin, ids[dev.userId]!, 'VIEWER')).body.errors).toBeUndefined()
    expect(codeOf(await setRole(dev, ids[admin.userId]!, 'VIEWER'))).toBe('FORBIDDEN') // a VIEWER now
  })

  it('two owners removing each other at once leave one owner', async () => {
    const a = await signUp(t)
    const b = await addMember(t, a, 'OWNER')
    const results = await Promise.all([remove(a, b.userId), remove(b, a.userId)])
    expect(results.filter((r) => !r.body.errors).length).toBe(1)
    const survivor = results[0]!.body.errors ? b : a
    expect((await members(survivor)).body.data!.members.edges.map((e) => e.node.role)).toEqual(['OWNER'])
  })

  it('removal ends the removed member’s access at once', async () => {
    const owner = await signUp(t)
    const dev = await addMember(t, owner, 'DEVELOPER')
    const r = await remove(owner, dev.userId)
    expect(r.body.data!.removeMember.removedId).toBeTruthy()
    const after = await t.gql('{ viewer { role } }', undefined, dev.headers)
    expect(after.status).toBe(401)
  })
})
