import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import { type Logger, pino } from "pino";
import type { Config } from "./config.ts";
import { correlationId } from "./correlation.ts";

export type { Logger };

/**
 * Structured JSON logs. Secrets never reach a log line: token-like fields are censored wherever they appear.
 * A line written during a request or a due job carries its `correlationId` (src/correlation.ts).
 */
export function createLogger(level: Config["logLevel"], destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: "firebreak" },
      // A fresh object each line: pino merges the line's own fields into it.
      mixin: () => {
        const id = correlationId();
        return id === undefined ? {} : { correlationId: id };
      },
      redact: {
        paths: [
          "token",
          "*.token",
          "botToken",
          "*.botToken",
          "appToken",
          "*.appToken",
          "signingSecret",
          "*.signingSecret",
          "headers.authorization",
          "*.headers.authorization",
        ],
        censor: "[redacted]",
      },
    },
    destination ?? process.stdout,
  );
}

const SLACK_TO_PINO: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: "debug",
  [LogLevel.INFO]: "info",
  [LogLevel.WARN]: "warn",
  [LogLevel.ERROR]: "error",
};

/** Bolt and the Web API client log through this adapter, so their lines are JSON like ours. */
export function slackLoggerFor(logger: Logger): SlackLogger {
  let child = logger.child({ component: "slack" });
  const message = (parts: unknown[]) =>
    parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(" ");
  return {
    debug: (...parts) => child.debug(message(parts)),
    info: (...parts) => child.info(message(parts)),
    warn: (...parts) => child.warn(message(parts)),
    error: (...parts) => child.error(message(parts)),
    // Bolt sets its own level at start-up; the operator's LOG_LEVEL wins, so this only records the wish.
    setLevel: () => {},
    getLevel: () =>
      (Object.entries(SLACK_TO_PINO).find(([, pinoLevel]) => pinoLevel === child.level)?.[0] as LogLevel) ??
      LogLevel.INFO,
    setName: (name) => {
      child = logger.child({ component: name });
    },
  };
}
