import { ALERT_ACTIONS } from "../../src/slack/ids.ts";
import { deliverQueued } from "./deliver.ts";
import { blockActions } from "./slack-payloads.ts";
import { startTestApp, type TestApp, type TestAppOptions } from "./test-app.ts";

export const WEBHOOK_SECRET = "test-webhook-secret-0123456789";
/** The channel `startAlertingApp()` posts alerts in. */
export const ALERTS = "C0ALERTS";
/** Who `startAlertingApp()`'s escalation policy pages: L1 at once, L2 after 15 minutes. */
export const L1 = "U0LEVEL1";
export const L2 = "U0LEVEL2";

/**
 * Boots an app that takes alerts on every webhook (WEBHOOK_SECRET), posts them in ALERTS (the bot is in it)
 * and pages L1, then L2 after 15 minutes. Its poller is stopped: the test runs the passes, on its clock.
 * `options` are the test app's (more environment, an embedded database of its own to kill).
 */
export async function startAlertingApp(options: TestAppOptions = {}): Promise<TestApp> {
  const t = await startTestApp({
    ...options,
    env: {
      ALERTS_CHANNEL: ALERTS,
      ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ESCALATION_POLICY: JSON.stringify({
        levels: [
          { afterMinutes: 0, targets: [L1] },
          { afterMinutes: 15, targets: [L2] },
        ],
      }),
      ...options.env,
    },
  });
  await t.firebreak.poller.stop();
  for (const id of [L1, L2]) t.slack.addUser({ id });
  t.slack.addChannel({ id: ALERTS, name: "alerts", members: [t.slack.state.bot.user_id] });
  return t;
}

/** Sends alerts into the real webhook endpoint and clicks the alert message's buttons as a person would. */
export class AlertDriver {
  constructor(private readonly t: TestApp) {}

  async webhook(source: string, body: unknown, secret = WEBHOOK_SECRET) {
    const response = await fetch(`${this.t.url}/webhooks/alerts/${source}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  /** A generic alert, firing unless said otherwise. */
  fire(fingerprint: string, overrides: Record<string, unknown> = {}) {
    return this.webhook("generic", {
      title: `Checkout errors ${fingerprint}`,
      severity: "critical",
      service: "checkout",
      fingerprint,
      ...overrides,
    });
  }

  click(
    user: { id: string; name?: string },
    action: keyof typeof ALERT_ACTIONS,
    alertId: string,
    responseId: string,
  ) {
    return this.t.send.interaction(
      blockActions({
        user,
        actionId: ALERT_ACTIONS[action],
        value: alertId,
        triggerId: this.t.slack.newTriggerId(user.id),
        message: { channelId: ALERTS, ts: "1.000000" },
        responseUrl: this.t.slack.responseUrl(responseId),
      }),
    );
  }

  /** Runs due work until the queued Slack work is all done; returns the passes it took. */
  deliver(maxPasses = 120): Promise<number> {
    return deliverQueued(this.t, maxPasses);
  }

  /** Direct messages that paged `userId`. */
  pagesTo(userId: string) {
    return this.t.slack.callsTo("chat.postMessage").filter((c) => c.ok && c.args.channel === userId);
  }
}

/** Alertmanager's webhook body (version 4) carrying `alerts`, all firing. */
export function alertmanagerBatch(alerts: { name: string; severity: string; service: string }[]) {
  return {
    version: "4",
    groupKey: "{}:{}",
    truncatedAlerts: 0,
    status: "firing",
    receiver: "firebreak",
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: "http://alertmanager.example.com:9093",
    alerts: alerts.map(({ name, severity, service }) => ({
      status: "firing",
      labels: { alertname: name, severity, service },
      annotations: { summary: `${name} on ${service}` },
      startsAt: "2026-11-23T08:59:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus.example.com:9090/graph",
      fingerprint: name,
    })),
  };
}
