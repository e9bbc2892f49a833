import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DOMAIN = join(import.meta.dirname, "../../src/domain");
const files = readdirSync(DOMAIN).filter((f) => f.endsWith(".ts"));

describe("src/domain stays plain", () => {
  it.each(files)("%s imports only zod and other domain files", (file) => {
    const source = readFileSync(join(DOMAIN, file), "utf8");
    const imports = Array.from(
      source.matchAll(/^\s*(?:import|export)[^"'`]*?from\s+["']([^"']+)["']/gm),
      (m) => m[1],
    );
    for (const specifier of imports) expect(specifier).toMatch(/^(zod|\.\/[a-z-]+\.ts)$/);
  });
});
