import type { WebClient } from "@slack/web-api";
import type { Clock } from "../domain/clock.ts";
import type { Logger } from "../logger.ts";

const RETRY_AFTER_MS = 15_000;

/**
 * Whether the bot token works (Slack's `auth.test`). Checked at start-up; while it fails, readiness asks
 * again at most every 15 s, so a token fixed in Slack's settings is noticed without a restart.
 */
export class SlackIdentity {
  private ok = false;
  private lastTry = 0;
  private pending: Promise<boolean> | undefined;

  constructor(
    private readonly client: WebClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Concurrent callers share one request; Slack being slow never starts a second. */
  check(): Promise<boolean> {
    if (this.ok) return Promise.resolve(true);
    if (this.pending) return this.pending;
    const now = this.clock.now().getTime();
    if (this.lastTry !== 0 && now - this.lastTry < RETRY_AFTER_MS) return Promise.resolve(false);
    this.lastTry = now;
    this.pending = this.ask().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async ask(): Promise<boolean> {
    try {
      const answer = await this.client.auth.test();
      this.ok = answer.ok === true;
      this.logger.info(
        { team: answer.team_id, botUser: answer.user_id },
        "Slack token verified with auth.test",
      );
    } catch (error) {
      this.logger.error(
        { err: error },
        "Slack auth.test failed: check SLACK_BOT_TOKEN (OAuth & Permissions)",
      );
    }
    return this.ok;
  }
}
