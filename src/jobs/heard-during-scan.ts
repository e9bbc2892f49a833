/**
 * The changes a job hears of while its scan of the database is in flight. The scan may have read the
 * database before or after each of them, so they are replayed, in order, over what it found.
 */
export class HeardDuringScan<Change> {
  private heard: Change[] | undefined;

  /** A change heard now: kept for replay if a scan is in flight. */
  note(change: Change): void {
    this.heard?.push(change);
  }

  /** Runs `scan`, hands its result to `take`, then replays through `replay` what was heard meanwhile. */
  async scan<Found>(
    scan: () => Promise<Found>,
    take: (found: Found) => void,
    replay: (change: Change) => void,
  ): Promise<void> {
    this.heard = [];
    try {
      take(await scan());
      // Detached first: `replay` notes each change again, which would otherwise append to the list it walks.
      const heard = this.heard;
      this.heard = undefined;
      for (const change of heard) replay(change);
    } finally {
      this.heard = undefined;
    }
  }
}
