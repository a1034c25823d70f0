import { sessionOf } from '../../context.ts'
import { encodeGlobalId } from '../../global-ids.ts'
import { subjectTypename } from '../../services/budgets/charge.ts'
import { deleteBudget, listBudgets, MAX_EXECUTIONS_LIMIT, MAX_TOKENS_LIMIT, setBudget, type BudgetView } from '../../services/budgets/budgets.ts'
import { builder } from '../builder.ts'
import { connectionNames, pageConnection } from '../connection.ts'
import { decodeId } from '../ids.ts'

export const BudgetSubjectEnum = builder.enumType('BudgetSubject', {
  values: {
    TENANT: { description: 'The whole tenant (no subjectId).' },
    USER: { description: 'Runs started by one member (subjectId: a User id).' },
    API_KEY: { description: 'Runs started with one API key (subjectId: an ApiKey id).' },
    AGENT: { description: 'Runs of one agent (subjectId: an Agent id).' },
  } as const,
})

const BudgetRef = builder.objectRef<BudgetView>('Budget').implement({
  description: 'A monthly (UTC calendar month) cap on the runs and tokens of one subject; runs beyond it are refused with BUDGET_EXCEEDED, and `budget.threshold` tenant events announce 80 % and 100 %.',
  fields: (t) => ({
    id: t.id({ resolve: (b) => encodeGlobalId('Budget', b.id) }),
    subject: t.field({ type: BudgetSubjectEnum, resolve: (b) => b.subject }),
    subjectId: t.id({ description: 'Global id of the tenant, user, API key or agent.', resolve: (b) => encodeGlobalId(subjectTypename[b.subject], b.subjectId) }),
    maxExecutions: t.int({ nullable: true, description: 'Runs allowed per month; null: no cap.', resolve: (b) => b.maxExecutions }),
    maxTokens: t.float({ nullable: true, description: 'Tokens allowed per month (a whole number); null: no cap.', resolve: (b) => (b.maxTokens === null ? null : Number(b.maxTokens)) }),
    usedExecutions: t.exposeInt('usedExecutions', { description: "Runs the subject started this month, counted whether or not a budget existed: while its tenant has no budget, a run counts once it ends." }),
    usedTokens: t.exposeFloat('usedTokens', { description: 'Tokens its runs consumed this month (a whole number).' }),
    periodStart: t.expose('periodStart', { type: 'DateTime', description: 'First instant of the month being counted.' }),
    resetAt: t.expose('periodEnd', { type: 'DateTime', description: 'When usage starts again from zero.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

builder.queryField('budgets', (t) =>
  t.connection(
    {
      type: BudgetRef,
      description: "The tenant's budgets, newest first, with this month's usage of each subject.",
      authScopes: { scope: 'TENANT_ADMIN' },
      resolve: (_root, args, ctx) => pageConnection(ctx, 'budgets', args, listBudgets),
    },
    ...connectionNames('Budget'),
  ),
)

const SetBudgetInput = builder.inputType('SetBudgetInput', {
  description: 'Creates or replaces the budget of one subject. Give at least one limit; an absent limit is no cap.',
  fields: (t) => ({
    subject: t.field({ type: BudgetSubjectEnum, required: true }),
    subjectId: t.id({ description: 'A User, ApiKey or Agent id of the tenant; for TENANT absent (or the tenant\'s own id).' }),
    maxExecutions: t.int({ description: `0 to ${MAX_EXECUTIONS_LIMIT}.` }),
    maxTokens: t.float({ description: `A whole number from 0 to ${MAX_TOKENS_LIMIT}.` }),
  }),
})
const DeleteBudgetInput = builder.inputType('DeleteBudgetInput', { fields: (t) => ({ id: t.id({ required: true }) }) })
const SetBudgetPayload = builder.objectRef<{ budget: BudgetView }>('SetBudgetPayload').implement({
  fields: (t) => ({ budget: t.field({ type: BudgetRef, resolve: (p) => p.budget }) }),
})
const DeleteBudgetPayload = builder.objectRef<{ deletedId: string }>('DeleteBudgetPayload').implement({
  fields: (t) => ({ deletedId: t.exposeID('deletedId') }),
})

builder.mutationFields((t) => ({
  setBudget: t.field({
    type: SetBudgetPayload,
    auditAction: 'budget.set',
    authScopes: { scope: 'TENANT_ADMIN' },
    args: { input: t.arg({ type: SetBudgetInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({
      budget: await setBudget(sessionOf(ctx), {
        ...input,
        subjectId: input.subjectId == null ? null : decodeId(String(input.subjectId), subjectTypename[input.subject]),
      }),
    }),
  }),
  deleteBudget: t.field({
    type: DeleteBudgetPayload,
    auditAction: 'budget.delete',
    authScopes: { scope: 'TENANT_ADMIN' },
    args: { input: t.arg({ type: DeleteBudgetInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ deletedId: encodeGlobalId('Budget', await deleteBudget(sessionOf(ctx), { id: decodeId(String(input.id), 'Budget') })) }),
  }),
}))
