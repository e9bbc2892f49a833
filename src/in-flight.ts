/** Counts work that has started and not finished, so shutdown can wait for it instead of cutting it off. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when everything tracked so far has settled, or after `timeoutMs`, whichever is first. */
  async drain(timeoutMs: number): Promise<"drained" | "timed-out"> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timed-out">((done) => {
      timer = setTimeout(() => done("timed-out"), timeoutMs);
    });
    const settled = Promise.allSettled([...this.running]).then(() => "drained" as const);
    const outcome = await Promise.race([settled, timeout]);
    clearTimeout(timer);
    return outcome;
  }
}
