// The runs this process's requests are waiting on (`runAgent(wait: true)`, `resumeExecution(wait: true)`). A
// draining worker stops taking runs from the queue but still claims these: finishing them here is the only way the
// requests waiting on them can succeed, since the process answers nothing after its deadline. Per process, in memory.

export class RunWaiters {
  private readonly held = new Map<string, number>()
  private readonly listeners = new Set<() => void>()

  /** Records that a request waits on run `id` until the returned release is called (once). */
  hold(id: string): () => void {
    this.held.set(id, (this.held.get(id) ?? 0) + 1)
    for (const listener of this.listeners) listener()
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.held.get(id) ?? 1) - 1
      if (left > 0) this.held.set(id, left)
      else this.held.delete(id)
    }
  }

  /** The runs at least one request waits on now. */
  ids(): string[] {
    return [...this.held.keys()]
  }

  /** Calls `listener` whenever a request starts waiting; returns the unsubscribe. */
  onHold(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
