// ops/prometheus alert rules and the ops/grafana dashboard: promtool checks and unit-tests the rules, and every
// metric either of them queries is one the server really exports (read from a live /metrics).
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { startApp } from '../helpers/app.ts'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')
const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => fs.existsSync(p))
const requireTools = process.env.CI_REQUIRE_SERVICES === '1'

const rules = parse(fs.readFileSync(path.join(root, 'ops/prometheus/alerts.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string; labels: { severity: string }; annotations: { summary: string } }[] }[] }
const alerts = rules.groups.flatMap((g) => g.rules)
const dashboard = JSON.parse(fs.readFileSync(path.join(root, 'ops/grafana/agent-platform.json'), 'utf8')) as {
  uid: string; panels: { id: number; type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; targets?: { refId: string; expr: string }[] }[]
  templating: { list: { name: string }[] }
}
const queries = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr)

/** Metric names a PromQL expression selects (every selector in these files carries braces). */
const metricsIn = (expr: string) => [...expr.matchAll(/([a-z_:][a-z0-9_:]*)\{/g)].map((m) => m[1]!)
/** A sample name the exporter produces for a family: counters and gauges as is, histograms with their suffixes. */
const familyOf = (name: string) => name.replace(/_(bucket|count|sum)$/, '')

describe('alert rules and dashboard', () => {
  let exported: Set<string>
  beforeAll(async () => {
    const t = await startApp({}, { listen: true })
    const text = await (await fetch(`http://127.0.0.1:${t.port}/metrics`)).text()
    exported = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!))
  })

  it.skipIf(!promtool && !requireTools)('pass promtool check rules and the rule unit tests (promtool test rules)', async () => {
    expect(promtool, 'promtool (Debian package prometheus) is required in CI').toBeDefined()
    const cwd = path.join(root, 'ops/prometheus')
    expect((await run(promtool!, ['check', 'rules', 'alerts.yml'], { cwd })).stdout).toContain(`SUCCESS: ${alerts.length} rules found`)
    expect((await run(promtool!, ['test', 'rules', 'alerts.test.yml'], { cwd })).stdout).toContain('SUCCESS')
  })

  it('cover queue age, error ratio, event and webhook delivery lag and Redis/PostgreSQL outages, each with a severity and a summary', () => {
    const names = alerts.map((a) => a.alert)
    for (const a of ['AgentPlatformQueueBacklog', 'AgentPlatformHighErrorRatio', 'AgentPlatformEventDeliveryLag', 'AgentPlatformWebhookDeliveryLag', 'AgentPlatformWebhooksGivingUp',
      'AgentPlatformRedisUnavailable', 'AgentPlatformPostgresUnavailable']) {
      expect(names).toContain(a)
    }
    for (const a of alerts) {
      expect(['warning', 'critical']).toContain(a.labels.severity)
      expect(a.annotations.summary).toBeTruthy()
    }
  })

  it('query only metrics the server exports', () => {
    const used = new Set([...alerts.map((a) => a.expr), ...queries].flatMap(metricsIn))
    expect(used.size).toBeGreaterThan(15)
    const missing = [...used].filter((m) => !exported.has(m) && !exported.has(familyOf(m)))
    expect(missing).toEqual([])
  })

  it('the dashboard has a panel for every family of work metrics, unique ids, and non-overlapping panels', () => {
    for (const m of ['queue_depth', 'queue_oldest_age_seconds', 'executions_current', 'executions_total', 'model_calls_total', 'model_call_duration_seconds_bucket',
      'model_tokens_total', 'tool_calls_total', 'tool_call_duration_seconds_bucket', 'auth_attempts_total', 'database_up', 'redis_connection_up',
      'webhook_deliveries_total', 'webhook_delivery_lag_seconds_bucket']) {
      expect(queries.some((q) => metricsIn(q).includes(m)), m).toBe(true)
    }
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length)
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'job'])
    const cells = new Set<string>()
    for (const p of dashboard.panels) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps`).toBe(false)
          cells.add(`${x},${y}`)
        }
      }
      for (const t of p.targets ?? []) expect(t.expr).toContain('job=~"$job"')
    }
  })
})
