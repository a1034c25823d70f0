// docker-compose.yml and ops/Dockerfile, as far as they can be checked without Docker (no engine runs here): the
// production profile runs the compiled entry points of the image, the development one runs the sources with
// GraphiQL on, and every variable they set is one src/config.ts declares.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = path.resolve(import.meta.dirname, '../..')
type Service = { profiles?: string[]; command?: string[]; environment?: Record<string, string>; build?: { dockerfile: string }; ports?: string[] }
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> }
const declared = new Set([...fs.readFileSync(path.join(root, 'src/config.ts'), 'utf8').matchAll(/env\('([A-Z0-9_]+)'/g)].map((m) => m[1]))
const dockerfile = fs.readFileSync(path.join(root, 'ops/Dockerfile'), 'utf8')
const inProfile = (p: string) => Object.entries(compose.services).filter(([, s]) => s.profiles?.includes(p))
const sourceOf = (entry: string) => path.join(root, entry.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))

describe('docker-compose.yml and the image', () => {
  it('production runs migrations, the API and a worker from the compiled image, metrics on localhost only', () => {
    const services = Object.fromEntries(inProfile('production'))
    expect(Object.keys(services).sort()).toEqual(['api', 'migrate', 'worker'])
    for (const s of Object.values(services)) {
      expect(s.build?.dockerfile).toBe('ops/Dockerfile')
      expect(s.environment?.NODE_ENV).toBe('production')
      const entry = s.command!.find((a) => a.startsWith('dist/'))!
      expect(fs.existsSync(sourceOf(entry)), entry).toBe(true)
    }
    expect(services.api!.environment!.METRICS_PORT).toBe('9464')
    expect(services.api!.ports).toContain('127.0.0.1:9464:9464')
  })

  it('development runs the sources through tsx with GraphiQL and the console on', () => {
    const [[, dev]] = inProfile('development') as [[string, Service]]
    expect(dev.environment?.NODE_ENV).toBe('development')
    expect(dev.environment?.CONSOLE_ENABLED).toBe('true')
    expect(dev.command!.join(' ')).toContain('--import tsx --watch src/index.ts')
  })

  it('sets only variables that src/config.ts declares', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      if (name === 'postgres') continue
      for (const v of Object.keys(s.environment ?? {})) expect(declared.has(v), `${name}: ${v}`).toBe(true)
    }
  })

  it('builds on Node 22 and runs compiled output with production dependencies only', () => {
    expect(dockerfile.match(/^FROM node:(\S+)/gm)!.every((f) => f.startsWith('FROM node:22-'))).toBe(true)
    expect(dockerfile).toContain('RUN npm run build')
    expect(dockerfile).toContain('npm ci --omit=dev')
    expect(dockerfile).toContain('CMD ["node", "dist/index.js"]')
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime')).split('\n').filter((l) => !l.startsWith('#')).join('\n')
    expect(runtime).not.toMatch(/tsx|src\/|typescript/)
    expect(fs.readFileSync(path.join(root, '.nvmrc'), 'utf8').trim()).toBe('22')
    expect(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node).toBe('>=20.19')
  })
})
