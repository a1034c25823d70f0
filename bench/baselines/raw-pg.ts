// Baseline: raw node:http + `pg` with hand-written SQL returning the same JSON as our API for the benchmark queries.
// It authenticates the API key the same way (prefix lookup, SHA-256 comparison), but skips everything a product
// needs beyond that (limits, validation, row-level security, audit): it is the floor, not a competitor.
//   POST /s1  viewer + tools(first: 10)      POST /s2  agents(first: 50) { tools { agents } }
//   POST /s3  one INSERT + one PUBLISH (what queuing a run minimally costs)
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import { Redis } from 'ioredis'
import pg from 'pg'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 })
const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : undefined
await pool.query(`CREATE TABLE IF NOT EXISTS bench_raw_runs (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, agent_id uuid NOT NULL,
  status text NOT NULL DEFAULT 'QUEUED', input jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`)

async function tenantOf(req: http.IncomingMessage): Promise<string | undefined> {
  const secret = String(req.headers['x-api-key'] ?? '')
  const { rows } = await pool.query<{ tenant_id: string; secret_hash: string }>('SELECT tenant_id, secret_hash FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL', [secret.slice(0, 12)])
  const row = rows[0]
  if (!row) return undefined
  const a = Buffer.from(row.secret_hash, 'hex')
  const b = createHash('sha256').update(secret).digest()
  return a.length === b.length && timingSafeEqual(a, b) ? row.tenant_id : undefined
}

const s1 = (tenantId: string) => pool.query(`SELECT json_build_object('data', json_build_object(
  'viewer', (SELECT json_build_object('principal', json_build_object('kind', 'API_KEY'), 'tenant', json_build_object('id', t.id, 'name', t.name)) FROM tenants t WHERE t.id = $1),
  'tools', json_build_object('edges', COALESCE((SELECT json_agg(json_build_object('node', json_build_object('id', x.id, 'name', x.name, 'kind', x.kind))) FROM
    (SELECT id, name, kind FROM tools WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT 10) x), '[]'::json)))) AS body`, [tenantId])

const s2 = (tenantId: string) => pool.query(`SELECT json_build_object('data', json_build_object('agents', json_build_object('edges', COALESCE(json_agg(json_build_object('node',
  json_build_object('id', a.id, 'name', a.name, 'tools', (SELECT COALESCE(json_agg(json_build_object('id', t.id, 'name', t.name, 'agents',
    (SELECT COALESCE(json_agg(json_build_object('id', a2.id, 'name', a2.name) ORDER BY a2.created_at DESC, a2.id DESC), '[]'::json)
       FROM agent_tools at2 JOIN agents a2 ON a2.id = at2.agent_id WHERE at2.tool_id = t.id AND at2.tenant_id = $1)) ORDER BY at.position), '[]'::json)
    FROM agent_tools at JOIN tools t ON t.id = at.tool_id WHERE at.agent_id = a.id AND at.tenant_id = $1))) ORDER BY a.created_at DESC, a.id DESC), '[]'::json)))) AS body
  FROM (SELECT id, name, created_at FROM agents WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50) a`, [tenantId])

async function s3(tenantId: string, body: { variables?: { agentId?: string } }) {
  const id = randomUUID()
  await pool.query('INSERT INTO bench_raw_runs (id, tenant_id, agent_id, input) VALUES ($1, $2, $3, $4)', [id, tenantId, body.variables?.agentId ?? randomUUID(), JSON.stringify(body.variables ?? {})])
  await redis?.publish(`bench:runs:${tenantId}`, id)
  return { rows: [{ body: { data: { runAgent: { execution: { id, status: 'QUEUED' } } } } }] }
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c)).on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { variables?: { agentId?: string } }
      const tenantId = await tenantOf(req)
      if (!tenantId) return void res.writeHead(401).end()
      const result = req.url === '/s1' ? await s1(tenantId) : req.url === '/s2' ? await s2(tenantId) : await s3(tenantId, body)
      const json = JSON.stringify(result.rows[0]!.body)
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json)
    } catch (e) {
      res.writeHead(500).end(String(e))
    }
  })
})
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port })))
