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

  /**
   * Resolves when nothing tracked is running any more, or after `timeoutMs`, whichever is first. Work
   * tracked while draining (a request's writes that go on after its answer) is waited for too.
   */
  async drain(timeoutMs: number): Promise<"drained" | "timed-out"> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timed-out">((done) => {
      timer = setTimeout(() => done("timed-out"), timeoutMs);
    });
    let outcome: "drained" | "timed-out" = "drained";
    while (this.running.size > 0 && outcome === "drained")
      outcome = await Promise.race([
        Promise.allSettled([...this.running]).then(() => "drained" as const),
        timeout,
      ]);
    clearTimeout(timer);
    return outcome;
  }
}
