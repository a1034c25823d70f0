// Connections and filters of tools and agents: totalCount, stable newest-first pages, signed cursors, capped sizes.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { codeOf, signUp, type Session } from '../helpers/tenants.ts'
import { createAgent, createTool, rawId, unique } from './support.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp({ PAGE_SIZE_MAX: '4', PAGE_SIZE_DEFAULT: '2' })
})

interface Conn {
  totalCount: number
  edges: { cursor: string; node: { id: string; name: string } }[]
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null }
}
const page = async (s: Session, list: 'tools' | 'agents' | 'threads', args: Record<string, unknown> = {}) => {
  const r = await t.gql<Record<string, Conn>>(
    `query($first: Int, $after: String${list === 'threads' ? '' : `, $filter: ${list === 'tools' ? 'ToolFilter' : 'AgentFilter'}`}) { ${list}(first: $first, after: $after${list === 'threads' ? '' : ', filter: $filter'}) { totalCount edges { cursor node { id ${list === 'threads' ? 'name: title' : 'name'} } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
    args, s.headers)
  return r
}
const newestFirst = (ids: string[]) => [...ids].sort((a, b) => rawId(b).localeCompare(rawId(a)))

describe('connections', () => {
  it('pages through every tool once, newest first, with totalCount and pageInfo', async () => {
    const owner = await signUp(t)
    const ids: string[] = []
    for (let i = 0; i < 7; i++) ids.push((await createTool(t, owner)).id)
    const seen: string[] = []
    let after: string | null = null
    for (let pageNo = 0; pageNo < 3; pageNo++) {
      const r = await page(owner, 'tools', { first: 3, after })
      expect(r.body.errors).toBeUndefined()
      const c = r.body.data!.tools!
      expect(c.totalCount).toBe(7)
      expect(c.pageInfo.hasPreviousPage).toBe(pageNo > 0)
      expect(c.pageInfo.hasNextPage).toBe(pageNo < 2)
      seen.push(...c.edges.map((e) => e.node.id))
      after = c.pageInfo.endCursor
    }
    expect(seen).toEqual(newestFirst(ids))
  })

  it('caps first at PAGE_SIZE_MAX and defaults to PAGE_SIZE_DEFAULT', async () => {
    const owner = await signUp(t)
    for (let i = 0; i < 6; i++) await createAgent(t, owner)
    expect((await page(owner, 'agents', { first: 1000 })).body.data!.agents!.edges).toHaveLength(4)
    expect((await page(owner, 'agents')).body.data!.agents!.edges).toHaveLength(2)
    expect(codeOf(await page(owner, 'agents', { first: -1 }))).toBe('VALIDATION_FAILED')
  })

  it('refuses tampered cursors, cursors of another list and cursors of another tenant', async () => {
    const owner = await signUp(t)
    const other = await signUp(t)
    for (let i = 0; i < 3; i++) {
      await createTool(t, owner)
      await createTool(t, other)
    }
    await createAgent(t, owner)
    const cursor = (await page(owner, 'tools', { first: 1 })).body.data!.tools!.pageInfo.endCursor!
    expect((await page(owner, 'tools', { first: 1, after: cursor })).body.errors).toBeUndefined()
    const [body, sig] = cursor.split('.')
    const forged = `${Buffer.from(Buffer.from(body!, 'base64url').toString().replace(/.$/, (c) => (c === '0' ? '1' : '0'))).toString('base64url')}.${sig}`
    const agentsCursor = (await page(owner, 'agents', { first: 1 })).body.data!.agents!.pageInfo.endCursor!
    const foreign = (await page(other, 'tools', { first: 1 })).body.data!.tools!.pageInfo.endCursor!
    for (const [label, bad, list] of [['tampered', forged, 'tools'], ['garbage', 'abc', 'tools'], ['other list', agentsCursor, 'tools'], ['other tenant', foreign, 'tools'], ['other tenant (threads)', foreign, 'threads']] as const) {
      const r = await page(owner, list, { first: 1, after: bad })
      expect(codeOf(r), label).toBe('VALIDATION_FAILED')
      expect(r.body.errors![0]!.extensions.fields, label).toEqual([{ path: 'after', message: expect.any(String) }])
    }
  })
})

describe('filters', () => {
  it('finds tools by search (name or description, any case) and by the agent that uses them', async () => {
    const owner = await signUp(t)
    const tag = unique('Zebra').replace(' ', '')
    const byName = await createTool(t, owner, { name: `${tag} finder` })
    const byDescription = await createTool(t, owner, { description: `Looks for ${tag.toLowerCase()} stripes, 100% of them` })
    const unrelated = await createTool(t, owner)
    const agent = await createAgent(t, owner, { toolIds: [unrelated.id, byName.id] })
    const search = await page(owner, 'tools', { filter: { search: tag.toUpperCase() } })
    expect(search.body.data!.tools!.totalCount).toBe(2)
    expect(search.body.data!.tools!.edges.map((e) => e.node.id).sort()).toEqual([byName.id, byDescription.id].sort())
    // LIKE wildcards are matched literally.
    expect((await page(owner, 'tools', { filter: { search: '%' } })).body.data!.tools!.edges.map((e) => e.node.id)).toEqual([byDescription.id])
    expect((await page(owner, 'tools', { filter: { search: '_' } })).body.data!.tools!.totalCount).toBe(0)
    const used = await page(owner, 'tools', { first: 4, filter: { agentName: agent.name.toUpperCase() } })
    expect(used.body.data!.tools!.edges.map((e) => e.node.id).sort()).toEqual([unrelated.id, byName.id].sort())
    const both = await page(owner, 'tools', { filter: { agentName: agent.name, search: tag } })
    expect(both.body.data!.tools!.edges.map((e) => e.node.id)).toEqual([byName.id])
  })

  it('finds agents by search (name, role or description) and by tool name', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    const a = await createAgent(t, owner, { role: 'Chief Librarian', toolIds: [tool.id] })
    const b = await createAgent(t, owner, { description: 'a LIBRARIAN of sorts' })
    await createAgent(t, owner)
    const s = await page(owner, 'agents', { first: 4, filter: { search: 'librarian' } })
    expect(s.body.data!.agents!.edges.map((e) => e.node.id).sort()).toEqual([a.id, b.id].sort())
    const byTool = await page(owner, 'agents', { filter: { toolName: tool.name } })
    expect(byTool.body.data!.agents!).toMatchObject({ totalCount: 1, edges: [{ node: { id: a.id } }] })
    expect(codeOf(await page(owner, 'agents', { filter: { search: 'x'.repeat(101) } }))).toBe('VALIDATION_FAILED')
  })
})
