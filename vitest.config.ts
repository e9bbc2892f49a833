import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // One FerretDB serves the whole run; files get their own database names, so they may run in parallel.
    pool: "forks",
    // Files share each worker's module cache: importing Bolt, mongoose and ECharts again for every file was
    // 100 s of a 290 s run. Tests hold no state in modules they do not reset (each app has its own database).
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
