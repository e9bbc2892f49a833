import { existsSync } from "node:fs";
import { parseConfig } from "./config.ts";
import { startFirebreak } from "./firebreak.ts";
import { createLogger } from "./logger.ts";
import { EmbeddedDbUnavailableError } from "./store/embedded-db.ts";

const SHUTDOWN_LIMIT_MS = 10_000;

async function main(): Promise<void> {
  // A local .env fills in what the environment leaves unset; the platform's own variables always win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    process.stderr.write(
      `Firebreak cannot start: ${parsed.problems.length} configuration problem(s).\n` +
        parsed.problems.map((p) => `  - ${p}\n`).join("") +
        "See .env.example and README.md (Configuration).\n",
    );
    process.exit(1);
  }
  const logger = createLogger(parsed.config.logLevel);
  let running: Awaited<ReturnType<typeof startFirebreak>>;
  try {
    running = await startFirebreak({ config: parsed.config, logger });
  } catch (error) {
    if (error instanceof EmbeddedDbUnavailableError)
      process.stderr.write(`Firebreak cannot start: ${error.message}\n`);
    else logger.fatal({ err: error }, "Firebreak failed to start");
    process.exit(1);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: no new work, finishing in-flight handlers");
    const hardStop = setTimeout(() => {
      logger.error("shutdown took longer than 10 s; exiting anyway");
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    hardStop.unref();
    running.stop(SHUTDOWN_LIMIT_MS - 2_000).then(
      () => {
        logger.info("stopped cleanly");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

await main();
