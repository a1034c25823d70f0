// The console: sign in (or paste an API key), see agents and tools, start a run and watch it live, browse execution
// history and the audit log page by page.
import { AgentsDocument, AuditLogDocument, ExecutionsDocument, LoginDocument, RunAgentDocument, SignUpDocument, ToolsDocument, ViewerDocument } from '../clients/generated/graphql.ts'
import { describeError, loadCredentials, request, saveCredentials, ws } from './api.ts'
import { card, h } from './dom.ts'
import { pagedList } from './paged.ts'
import { watchRun } from './run-view.ts'
import { webhooksCard } from './webhooks.ts'

const app = document.getElementById('app')!
const who = document.getElementById('who')!
const signout = document.getElementById('signout') as HTMLButtonElement

signout.addEventListener('click', () => {
  saveCredentials(undefined)
  void ws.terminate()
  location.reload()
})

function authScreen() {
  const error = h('p', { class: 'error', 'data-testid': 'auth-error' })
  const field = (label: string, name: string, type = 'text') => h('div', {}, h('label', { htmlFor: name }, label), h('input', { id: name, name, type, required: true }))
  const value = (name: string) => (document.getElementById(name) as HTMLInputElement).value
  const forms: Record<string, () => HTMLElement> = {
    'Sign in': () => h('form', { onsubmit: submit(async () => (await request(LoginDocument, { input: { email: value('email'), password: value('password') } })).login) }, field('E-mail', 'email', 'email'), field('Password', 'password', 'password'), h('button', { class: 'primary', type: 'submit' }, 'Sign in')),
    'Sign up': () => h('form', { onsubmit: submit(async () => (await request(SignUpDocument, { input: { tenantName: value('tenant'), email: value('email'), password: value('password') } })).signUp) }, field('Organisation', 'tenant'), field('E-mail', 'email', 'email'), field('Password (12+ characters)', 'password', 'password'), h('button', { class: 'primary', type: 'submit' }, 'Create account')),
    'API key': () => h('form', { onsubmit: (ev: Event) => { ev.preventDefault(); saveCredentials({ apiKey: value('apikey').trim() }); void start() } }, field('API key', 'apikey', 'password'), h('button', { class: 'primary', type: 'submit' }, 'Use key')),
  }
  function submit(auth: () => Promise<{ accessToken: string; refreshToken: string }>) {
    return (ev: Event) => {
      ev.preventDefault()
      error.textContent = ''
      auth().then((a) => { saveCredentials({ accessToken: a.accessToken, refreshToken: a.refreshToken }); void start() }, (e) => (error.textContent = describeError(e)))
    }
  }
  const body = h('div')
  const tabs = h('div', { class: 'tabs', role: 'tablist' })
  const select = (name: string) => {
    for (const b of tabs.children) b.setAttribute('aria-selected', String(b.textContent === name))
    body.replaceChildren(forms[name]!())
  }
  for (const name of Object.keys(forms)) tabs.append(h('button', { type: 'button', role: 'tab', onclick: () => select(name) }, name))
  app.replaceChildren(h('div', { class: 'auth' }, card('Welcome', tabs, body, error)))
  select('Sign in')
}

async function start() {
  let viewer
  try {
    viewer = (await request(ViewerDocument)).viewer
  } catch {
    saveCredentials(undefined)
    authScreen()
    return
  }
  who.textContent = `${viewer.principal.name} · ${viewer.tenant.name}`
  signout.hidden = false

  const runArea = h('div')
  const runError = h('p', { class: 'error', 'data-testid': 'start-error' })
  const agentSelect = h('select', { id: 'agent', 'data-testid': 'agent-select' })
  const prompt = h('textarea', { id: 'prompt', placeholder: 'Ask the agent something…' })
  const runButton = h('button', { class: 'primary', type: 'submit' }, 'Run')
  let stopWatching = () => {}
  const watch = (id: string) => {
    stopWatching()
    const view = watchRun(id, () => void history.reload(), (next) => { watch(next); void history.reload() })
    stopWatching = view.stop
    runArea.replaceChildren(view.element)
  }

  const agents = h('ul', { class: 'list', 'data-testid': 'agents' })
  const tools = h('ul', { class: 'list', 'data-testid': 'tools' })
  const [a, t] = await Promise.all([request(AgentsDocument, { first: 50 }).catch(() => undefined), request(ToolsDocument, { first: 50 }).catch(() => undefined)])
  for (const { node } of a?.agents.edges ?? []) {
    agents.append(h('li', { onclick: () => (agentSelect.value = node.id) }, h('span', {}, node.name), h('span', { class: 'muted' }, node.model)))
    agentSelect.append(h('option', { value: node.id }, node.name))
  }
  for (const { node } of t?.tools.edges ?? []) tools.append(h('li', {}, h('span', {}, node.name), h('span', { class: 'muted' }, node.kind)))
  if (!a?.agents.edges.length) agents.append(h('li', { class: 'muted' }, 'No agents yet: create one in GraphiQL (createAgent).'))

  const form = h('form', {
    onsubmit: (ev: Event) => {
      ev.preventDefault()
      runError.textContent = ''
      runButton.disabled = true
      request(RunAgentDocument, { input: { agentId: agentSelect.value, prompt: prompt.value } })
        .then(({ runAgent }) => { prompt.value = ''; watch(runAgent.execution.id); void history.reload() }, (e) => (runError.textContent = describeError(e)))
        .finally(() => (runButton.disabled = false))
    },
  }, h('label', { htmlFor: 'agent' }, 'Agent'), agentSelect, h('label', { htmlFor: 'prompt' }, 'Message'), prompt, runButton, runError)

  const history = pagedList('Executions', async (after) => (await request(ExecutionsDocument, { first: 10, after })).executions,
    (n) => h('tr', { onclick: () => watch(n.id), style: 'cursor:pointer' }, h('td', {}, h('span', { class: `status ${n.status}` }, n.status)), h('td', { class: 'muted' }, new Date(n.createdAt as string).toLocaleTimeString())), 'executions')
  const audit = pagedList('Audit log', async (after) => (await request(AuditLogDocument, { first: 10, after })).auditLog,
    (n) => h('tr', {}, h('td', {}, n.action), h('td', { class: 'muted' }, n.actor?.label ?? ''), h('td', { class: 'muted' }, new Date(n.at as string).toLocaleTimeString())), 'audit')

  app.replaceChildren(h('div', { class: 'grid' },
    h('div', {}, card('Agents', agents), card('Tools', tools)),
    h('div', {}, card('Start a run', form), runArea),
    h('div', {}, history.element, viewer.scopes.includes('AUDIT_READ') ? audit.element : null, viewer.scopes.includes('WEBHOOKS_MANAGE') ? webhooksCard() : null),
  ))
}

if (loadCredentials()) void start()
else authScreen()
