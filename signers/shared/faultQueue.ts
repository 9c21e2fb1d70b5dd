// The faults an emulator was told to inject, in order: each applies once, unless persistent.

export type QueuedFault<Fault> = { fault: Fault; persistent: boolean }

export class FaultQueue<Queued extends QueuedFault<unknown>> {
  #queued: Queued[] = []

  push(queued: Queued): void {
    this.#queued.push(queued)
  }

  clear(): void {
    this.#queued = []
  }

  /** The first fault that matches; it is used up unless persistent. */
  take(match: (queued: Queued) => boolean): Queued | undefined {
    const index = this.#queued.findIndex(match)
    if (index < 0) return undefined
    const found = this.#queued[index]!
    if (!found.persistent) this.#queued.splice(index, 1)
    return found
  }

  /** The first fault that matches, left in place. */
  find(match: (queued: Queued) => boolean): Queued | undefined {
    return this.#queued.find(match)
  }

  some(match: (queued: Queued) => boolean): boolean {
    return this.#queued.some(match)
  }
}
