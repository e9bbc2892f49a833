import { performance } from "node:perf_hooks";
import { nextSequence } from "../src/store/counters.ts";
import type { BenchApp } from "./harness.ts";
import { fmt } from "./stats.ts";

/** The insert-under-unique-index claim that numbers incidents, alone and contended. */

const SEQUENCE_SOLO = 200;
const SEQUENCE_CONTENDED = 50;

export async function measureSequences(app: BenchApp): Promise<void> {
  const claims = app.firebreak.store.models.sequenceClaims;
  let t0 = performance.now();
  for (let i = 0; i < SEQUENCE_SOLO; i++) await nextSequence(claims, "bench:solo");
  const solo = (performance.now() - t0) / SEQUENCE_SOLO;
  t0 = performance.now();
  await Promise.all(
    Array.from({ length: SEQUENCE_CONTENDED }, () => nextSequence(claims, "bench:contended")),
  );
  const contended = performance.now() - t0;
  console.log(
    `sequence numbers: ${fmt(solo)} each alone (x${SEQUENCE_SOLO}); ` +
      `${SEQUENCE_CONTENDED} concurrent callers on one sequence: ${fmt(contended)} in all`,
  );
}
