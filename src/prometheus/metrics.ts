import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Logger } from "../logger.ts";
import { type Metrics, SLACK_SURFACES, type SlackSurface } from "../metrics.ts";

/** What a scrape reads from the database: cheap reads of live sets, never a scan of history. */
export interface ScrapeReads {
  /** Open incidents (drills aside) by severity. */
  openIncidents(): Promise<Readonly<Record<string, number>>>;
  /** Work whose due time has passed and that is not done yet, by queue. */
  dueWork(): Promise<Readonly<Record<string, number>>>;
}

/** Slack wants an ack within 3 s: the buckets are finest where a click feels instant, and mark 3 s. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
/** A page should go out within a second or two of its time; minutes and hours are a restart's catch-up. */
const LATENESS_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600];

/**
 * The metrics port over prom-client, with a registry of its own (several apps may run in one process, as
 * the tests do) holding Firebreak's metrics (`firebreak_…`) and prom-client's default process metrics.
 * The gauges read the database when scraped, so nothing is kept in step by hand.
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"surface">;
  /** Bound to their label up front: the ack path does one observe and nothing more. */
  private readonly ackBySurface: Record<SlackSurface, Histogram.Internal<"surface">>;
  private readonly received: Counter<"source">;
  private readonly deduplicated: Counter<"source">;
  private readonly paged: Counter<"source">;
  private readonly lateness: Histogram;
  private readonly apiCalls: Counter<"method">;
  private readonly rateLimited: Counter<"method">;
  private readonly dbErrors: Counter<"command">;

  constructor(reads: ScrapeReads, logger: Logger) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: "firebreak_slack_requests_total",
      help: "Requests from Slack (commands, clicks, form submissions, shortcuts, events) by surface.",
      labelNames: ["surface"],
      registers,
    });
    const ack = new Histogram({
      name: "firebreak_slack_ack_seconds",
      help: "Time from a Slack request reaching the app to its ack, by surface.",
      labelNames: ["surface"],
      buckets: ACK_BUCKETS,
      registers,
    });
    this.ackBySurface = Object.fromEntries(
      SLACK_SURFACES.map((surface) => [surface, ack.labels(surface)] as const),
    ) as Record<string, Histogram.Internal<"surface">> as Record<SlackSurface, Histogram.Internal<"surface">>;
    this.received = new Counter({
      name: "firebreak_alerts_received_total",
      help: "Alerts taken by the webhooks (firings, repeats and resolutions), by source.",
      labelNames: ["source"],
      registers,
    });
    this.deduplicated = new Counter({
      name: "firebreak_alerts_deduplicated_total",
      help: "Repeats of an open alert, folded into it instead of posted again, by source.",
      labelNames: ["source"],
      registers,
    });
    this.paged = new Counter({
      name: "firebreak_alerts_paged_total",
      help: "Escalation steps fired (a level paged), by the timer or Escalate now, by source (incident: an incident's escalation).",
      labelNames: ["source"],
      registers,
    });
    this.lateness = new Histogram({
      name: "firebreak_escalation_lateness_seconds",
      help: "How long after its due time the escalation timer fired a step.",
      buckets: LATENESS_BUCKETS,
      registers,
    });
    this.apiCalls = new Counter({
      name: "firebreak_slack_api_calls_total",
      help: "HTTP calls to Slack's Web API, by method.",
      labelNames: ["method"],
      registers,
    });
    this.rateLimited = new Counter({
      name: "firebreak_slack_api_rate_limited_total",
      help: "Web API calls Slack answered with 429 (rate limited), by method.",
      labelNames: ["method"],
      registers,
    });
    this.dbErrors = new Counter({
      name: "firebreak_database_errors_total",
      help: "Database commands that failed (a unique-key refusal aside: that is how claims work), and failed server checks (hello), by command.",
      labelNames: ["command"],
      registers,
    });
    scrapedGauge({
      name: "firebreak_incidents_open",
      help: "Open incidents by severity (drills aside).",
      label: "severity",
      read: reads.openIncidents,
      registers,
      logger,
    });
    scrapedGauge({
      name: "firebreak_due_work",
      help: "Work past its due time and not done yet, by queue (deliveries: queued Slack work; escalations: escalation steps).",
      label: "queue",
      read: reads.dueWork,
      registers,
      logger,
    });
  }

  /** The exposition text for a scrape, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  slackRequestReceived(surface: SlackSurface): void {
    this.requests.inc({ surface });
  }

  slackRequestAcked(surface: SlackSurface, seconds: number): void {
    this.ackBySurface[surface].observe(seconds);
  }

  alertReceived(source: string): void {
    this.received.inc({ source });
  }

  alertDeduplicated(source: string): void {
    this.deduplicated.inc({ source });
  }

  alertPaged(source: string): void {
    this.paged.inc({ source });
  }

  escalationFired(lateSeconds: number): void {
    this.lateness.observe(Math.max(0, lateSeconds));
  }

  slackApiCalled(method: string, rateLimited: boolean): void {
    this.apiCalls.inc({ method });
    if (rateLimited) this.rateLimited.inc({ method });
  }

  databaseError(command: string): void {
    this.dbErrors.inc({ command });
  }
}

/**
 * A gauge read from the database at each scrape. When the read fails (the database is down), the gauge is
 * left out of that scrape rather than showing stale figures; the rest of the scrape still answers.
 */
function scrapedGauge(options: {
  name: string;
  help: string;
  label: string;
  read: () => Promise<Readonly<Record<string, number>>>;
  registers: Registry[];
  logger: Logger;
}): void {
  const { name, help, label, read, registers, logger } = options;
  new Gauge({
    name,
    help,
    labelNames: [label],
    registers,
    async collect() {
      this.reset();
      try {
        for (const [value, count] of Object.entries(await read())) this.set({ [label]: value }, count);
      } catch (error) {
        logger.warn({ err: error, metric: name }, "could not read a metric from the database");
      }
    },
  });
}
