// ops/k8s: every manifest of the kustomization validated against the Kubernetes OpenAPI schemas (kubernetes-models,
// and the prometheus-operator CRD schemas for the ServiceMonitor), then checked for what a schema cannot see: probes
// and resource requests on every container, selectors that match, ports that exist, entry points that the build
// produces, and only variables that src/config.ts declares.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments, parse } from 'yaml'

const root = path.resolve(import.meta.dirname, '../..')
const dir = path.join(root, 'ops/k8s')
type Doc = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string>; stringData?: Record<string, string> } // eslint-disable-line @typescript-eslint/no-explicit-any

const kustomization = parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] }
const docs: Doc[] = kustomization.resources.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as Doc))
const ofKind = (kind: string) => docs.filter((d) => d.kind === kind)
const named = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name)

/** The kubernetes-models class for a manifest's apiVersion and kind. */
async function modelFor(apiVersion: string, kind: string): Promise<{ new (data: unknown): { validate(): void } }> {
  if (apiVersion === 'monitoring.coreos.com/v1') return (await import(`@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}`))[kind]
  return (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind]
}

const declaredVariables = new Set([...fs.readFileSync(path.join(root, 'src/config.ts'), 'utf8').matchAll(/env\('([A-Z0-9_]+)'/g)].map((m) => m[1]))

describe('ops/k8s', () => {
  it('has the kinds an operator needs', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      'ConfigMap/agent-platform-config', 'Deployment/agent-platform-api', 'Deployment/agent-platform-worker',
      'HorizontalPodAutoscaler/agent-platform-api', 'HorizontalPodAutoscaler/agent-platform-worker', 'Job/agent-platform-migrate',
      'PodDisruptionBudget/agent-platform-api', 'PodDisruptionBudget/agent-platform-worker', 'Secret/agent-platform-secrets',
      'Service/agent-platform-api', 'Service/agent-platform-worker', 'ServiceMonitor/agent-platform',
    ])
  })

  it.each(docs.map((d) => [`${d.kind}/${d.metadata.name}`, d] as const))('%s is valid against its schema', async (_, doc) => {
    const Model = await modelFor(doc.apiVersion, doc.kind)
    expect(() => new Model(doc).validate()).not.toThrow()
  })

  it('the validator is schema-aware: it rejects wrong types and missing required fields', async () => {
    const Model = await modelFor('apps/v1', 'Deployment')
    const api = named('Deployment', 'agent-platform-api')!
    expect(() => new Model({ ...api, spec: { ...api.spec, replicas: 'two' } }).validate()).toThrow(/replicas/)
    const nameless = structuredClone(api)
    delete nameless.spec.template.spec.containers[0].name
    expect(() => new Model(nameless).validate()).toThrow(/name/)
    const Hpa = await modelFor('autoscaling/v2', 'HorizontalPodAutoscaler')
    expect(() => new Hpa({ ...named('HorizontalPodAutoscaler', 'agent-platform-api'), spec: { minReplicas: 1 } }).validate()).toThrow()
  })

  it('gives every workload probes, resource requests and a command the build produces', () => {
    for (const w of [...ofKind('Deployment'), ...ofKind('Job')]) {
      for (const c of w.spec.template.spec.containers) {
        expect(c.resources?.requests?.cpu && c.resources?.requests?.memory, `${w.metadata.name} requests`).toBeTruthy()
        const entry = (c.command as string[]).find((a) => a.startsWith('dist/'))!
        expect(fs.existsSync(path.join(root, entry.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))), entry).toBe(true)
        if (w.kind !== 'Deployment') continue
        const ports = new Set((c.ports as { name: string }[]).map((p) => p.name))
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
          // The API server also answers /health/startup; the worker's METRICS_PORT listener only live and ready.
          const paths = c[probe]?.httpGet?.port === 'http' ? /^\/health\/(live|ready|startup)$/ : /^\/health\/(live|ready)$/
          expect(c[probe]?.httpGet?.path, `${w.metadata.name} ${probe}`).toMatch(paths)
          expect(ports.has(c[probe].httpGet.port), `${w.metadata.name} ${probe} port`).toBe(true)
        }
      }
    }
  })

  it('points autoscalers, disruption budgets, services and the ServiceMonitor at pods that exist', () => {
    const podLabels = ofKind('Deployment').map((d) => d.spec.template.metadata.labels as Record<string, string>)
    const selects = (sel: Record<string, string>) => podLabels.some((l) => Object.entries(sel).every(([k, v]) => l[k] === v))
    for (const h of ofKind('HorizontalPodAutoscaler')) expect(named(h.spec.scaleTargetRef.kind, h.spec.scaleTargetRef.name)).toBeDefined()
    for (const p of ofKind('PodDisruptionBudget')) expect(selects(p.spec.selector.matchLabels)).toBe(true)
    for (const s of ofKind('Service')) expect(selects(s.spec.selector)).toBe(true)
    const monitor = ofKind('ServiceMonitor')[0]!
    const scraped = ofKind('Service').filter((s) => Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => (s as unknown as { metadata: { labels: Record<string, string> } }).metadata.labels[k] === v))
    expect(scraped.map((s) => s.metadata.name).sort()).toEqual(['agent-platform-api', 'agent-platform-worker'])
    for (const s of scraped) expect(s.spec.ports.map((p: { name: string }) => p.name)).toContain(monitor.spec.endpoints[0].port)
    const config = named('ConfigMap', 'agent-platform-config')!.data!
    for (const d of ofKind('Deployment')) {
      const c = d.spec.template.spec.containers[0]
      expect(c.ports.find((p: { name: string }) => p.name === 'metrics').containerPort).toBe(Number(config.METRICS_PORT))
    }
  })

  it('sets only variables that src/config.ts declares, and keeps secrets in the Secret', () => {
    const config = named('ConfigMap', 'agent-platform-config')!.data!
    const secret = named('Secret', 'agent-platform-secrets')!.stringData!
    const inline = ofKind('Deployment').flatMap((d) => d.spec.template.spec.containers.flatMap((c: { env?: { name: string }[] }) => (c.env ?? []).map((e) => e.name)))
    for (const name of [...Object.keys(config), ...Object.keys(secret), ...inline]) expect(declaredVariables.has(name), name).toBe(true)
    for (const name of Object.keys(config)) expect(name).not.toMatch(/SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL|_KEY/)
    // Sealed tool and MCP headers need a key of their own, shared by every pod (and valid: at least 32 characters).
    expect(secret.SECRETS_KEY?.length).toBeGreaterThanOrEqual(32)
    expect(config.NODE_ENV).toBe('production')
    expect(config.MIGRATE_ON_BOOT).toBe('false')
  })
})
