import { encodeGlobalID } from '@pothos/plugin-relay'

/**
 * The AG-UI `threadId` and `runId` of an execution: the Thread's global id (what runAgent accepts back), and the
 * client's runId or else the Execution's global id.
 */
export const encodeRunIds = (e: { id: string; threadId: string; runId: string | null }) => ({
  threadId: encodeGlobalID('Thread', e.threadId),
  runId: e.runId ?? encodeGlobalID('Execution', e.id),
})
