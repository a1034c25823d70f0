// Closing the listening socket without resetting connections the kernel already accepted for us.
//
// The kernel completes TCP handshakes on its own and queues them until the process calls accept(). Closing the
// listening socket resets every queued connection, and its client has usually sent its request already: it sees
// ECONNRESET, not a refusal it could safely retry elsewhere. A busy process accepts late (here 100-600 ms of
// handshakes were queued when SIGTERM was handled), so closing at once reset a request in one drain out of three.
// libuv accepts the whole queue each time the event loop polls; closing right after a turn of the loop that accepted
// nothing leaves no queued connection to reset but those whose handshake completed during that turn: Linux offers a
// single listening socket no way to stop completing handshakes before it is closed, so that instant cannot be closed
// entirely, only kept short and (with keep-alive connections still reused meanwhile) rarely hit.
import net from 'node:net'

/** How long to look for a quiet turn of the event loop before closing anyway. */
const QUIET_TURN_WAIT_MS = 1_000
/** A turn counts as quiet only if it was this short too: a connection arriving during a long one would be reset. */
const QUIET_TURN_MS = 5

/**
 * Stops `server` accepting connections: resolves once the listening socket is closed (new connections refused),
 * right after a short turn of the event loop that accepted nothing, so no connection waiting in the kernel's queue is
 * reset. Connections accepted meanwhile are the caller's to serve. `ended` resolves when every connection has closed.
 */
export async function stopListening(server: net.Server): Promise<{ ended: Promise<void>; turns: number; accepted: number; quiet: boolean }> {
  let accepted = 0
  const count = () => accepted++
  server.on('connection', count)
  const giveUpAt = Date.now() + QUIET_TURN_WAIT_MS
  let turns = 0
  let quiet = false
  // The first turn accepts what queued while the process was busy; each later one, what arrived during the last.
  while (!quiet && Date.now() < giveUpAt) {
    const [seen, began] = [accepted, performance.now()]
    await afterNextPoll()
    turns++
    quiet = accepted === seen && performance.now() - began < QUIET_TURN_MS
  }
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
