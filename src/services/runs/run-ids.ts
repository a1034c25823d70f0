import { encodeGlobalId } from '../../global-ids.ts'

/**
 * The AG-UI `threadId` and `runId` of an execution: the Thread's global id (what runAgent accepts back), and the
 * client's runId or else the Execution's global id.
 */
export const encodeRunIds = (e: { id: string; threadId: string; runId: string | null }) => ({
  threadId: encodeGlobalId('Thread', e.threadId),
  runId: e.runId ?? encodeGlobalId('Execution', e.id),
})
