// Closing the listening socket without resetting connections the kernel already accepted for us.
//
// The kernel completes TCP handshakes on its own and queues them until the process calls accept(). Closing the
// listening socket resets every queued connection, and its client has usually sent its request already: it sees
// ECONNRESET, not a refusal it could safely retry elsewhere. A busy process accepts late (here 100-200 ms of
// handshakes were queued when SIGTERM was handled), so closing at once reset a request in one drain out of three.
// libuv accepts the whole queue each time the event loop polls; closing right after a poll that found the queue
// empty leaves no queued connection to reset, only handshakes completing in the instants between the two.
import net from 'node:net'

/** How long to look for a quiet turn of the event loop before closing anyway. */
const QUIET_TURN_WAIT_MS = 500

/**
 * Stops `server` accepting connections: resolves once the listening socket is closed (new connections refused),
 * after a turn of the event loop that accepted nothing new, so no connection waiting in the kernel's queue is reset.
 * Connections accepted meanwhile are the caller's to serve. `ended` resolves when every connection has closed too.
 */
export async function stopListening(server: net.Server): Promise<{ ended: Promise<void>; turns: number; accepted: number; quiet: boolean }> {
  let accepted = 0
  const count = () => accepted++
  server.on('connection', count)
  const giveUpAt = Date.now() + QUIET_TURN_WAIT_MS
  // The first turn accepts what queued while the process was busy; each later one, what arrived during the last.
  let turns = 0
  let seen = -1
  for (; seen !== accepted && Date.now() < giveUpAt; turns++) {
    seen = accepted
    await afterNextPoll()
  }
  const quiet = seen === accepted
  server.off('connection', count)
  // net.Server's close, not http.Server's: the latter also closes idle keep-alive connections at once, and one that
  // looks idle may carry a request not read yet. Callers end connections themselves.
  const ended = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()))
  return { ended, turns, accepted, quiet }
}

/** Resolves in the check phase after the next poll phase (when libuv has accepted every queued connection). */
function afterNextPoll() {
  return new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)))
}
