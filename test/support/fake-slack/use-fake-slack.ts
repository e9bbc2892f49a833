/** Vitest wiring: one fake per test file, reset before each test, and WebClients pointed at it. */
import { type Logger, LogLevel, WebClient, type WebClientOptions } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from "./server.ts";

const ignore = () => undefined;
/** Tests provoke error answers on purpose; WebClient would log every one of them. */
export const silent: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  setLevel: ignore,
  getLevel: () => LogLevel.ERROR,
  setName: ignore,
};

export interface FakeSlackHandle {
  readonly fake: FakeSlack;
  /** A bot-token WebClient on the fake: silent, and without retries unless the options say so. */
  client(options?: WebClientOptions): WebClient;
}

export function useFakeSlack(options?: FakeSlackOptions): FakeSlackHandle {
  let started: FakeSlack | undefined;
  beforeAll(async () => {
    started = await startFakeSlack(options);
  });
  beforeEach(() => started?.reset());
  afterAll(() => started?.close());
  const handle: FakeSlackHandle = {
    get fake() {
      if (!started)
        throw new Error("useFakeSlack: the fake starts in beforeAll; use it inside tests or hooks");
      return started;
    },
    client: (clientOptions) =>
      new WebClient(handle.fake.botToken, {
        slackApiUrl: handle.fake.apiUrl,
        retryConfig: { retries: 0 },
        logger: silent,
        ...clientOptions,
      }),
  };
  return handle;
}
