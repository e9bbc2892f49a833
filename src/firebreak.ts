import type { Server } from "node:http";
import { alertDeliveryHandlers, noteAlertWorkGivenUp } from "./alerts/deliveries.ts";
import { onlyRepeats, recordAlerts } from "./alerts/intake.ts";
import { IntakeBatcher } from "./alerts/intake-batch.ts";
import { changeDeliveryHandlers } from "./changes/notices.ts";
import type { Config } from "./config.ts";
import { type Clock, systemClock } from "./domain/clock.ts";
import { homeDeliveryHandlers } from "./home/home.ts";
import { alertWebhookRoutes } from "./http/alert-webhooks.ts";
import { emailLinkRoutes } from "./http/email-links.ts";
import { healthRoutes } from "./http/health.ts";
import { metricsRoutes } from "./http/metrics.ts";
import { closeServer, createHttpServer, listen } from "./http/server.ts";
import { statusPageRoutes } from "./http/status-page.ts";
import { InFlight } from "./in-flight.ts";
import { incidentStepHandlers } from "./incidents/step-retries.ts";
import { archiveChannelsJob } from "./jobs/archive-channels.ts";
import { DeliveryJob } from "./jobs/deliveries.ts";
import { emailJob } from "./jobs/email.ts";
import { escalationJob } from "./jobs/escalation.ts";
import { handoffAnnouncementsJob } from "./jobs/handoffs.ts";
import { maintenanceJob } from "./jobs/maintenance.ts";
import { Poller } from "./jobs/poller.ts";
import { postmortemRemindersJob } from "./jobs/postmortem-reminders.ts";
import { ReportScheduler } from "./jobs/reports.ts";
import { updateRemindersJob } from "./jobs/update-reminders.ts";
import type { Logger } from "./logger.ts";
import { maintenanceDeliveryHandlers } from "./maintenance/notices.ts";
import { onCallLookup } from "./oncall/lookup.ts";
import { postmortemDeliveryHandlers } from "./postmortems/postmortems.ts";
import { reminderDeliveryHandlers } from "./postmortems/reminders.ts";
import { PrometheusMetrics } from "./prometheus/metrics.ts";
import { reportDeliveryHandlers } from "./reports/post.ts";
import { checklistDeliveryHandlers } from "./runbooks/checklists.ts";
import { loadRunbooks } from "./runbooks/library.ts";
import { countingUnanswered } from "./slack/acks-first.ts";
import { createSlackApp, SLACK_EVENTS_PATH, type SlackApp } from "./slack/app.ts";
import { SlackIdentity } from "./slack/identity.ts";
import { createSlackNotifier } from "./slack/notifier.ts";
import { registerSlackSurfaces } from "./slack/register.ts";
import { ListenerRouter } from "./slack/router.ts";
import { answerUnknownRequests } from "./slack/unknown-requests.ts";
import { connectDatabase, onDatabaseError, pingDatabase } from "./store/connection.ts";
import { logEmbeddedDbEvents, whileDatabaseUp } from "./store/database-supervision.ts";
import { type EmbeddedDb, startEmbeddedDb } from "./store/embedded-db.ts";
import { dueWorkBacklog, openIncidentsBySeverity } from "./store/gauges.ts";
import { openStore, type Store } from "./store/store.ts";

export interface FirebreakOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
}

export interface RunningFirebreak {
  /** The port of the HTTP server: Slack receiver and health in HTTP mode, health only in Socket Mode. */
  port: number;
  store: Store;
  slack: SlackApp;
  /** Runs due work (queued Slack work, escalations, archives…). Tests move their clock and call `poller.tick()`. */
  poller: Poller;
  /** The report schedules: `trigger(kind)` is what node-cron calls at a scheduled minute. */
  reports: ReportScheduler;
  /** The database this process started and supervises (no MONGODB_URI), if any. */
  embeddedDb: EmbeddedDb | undefined;
  /** Stops taking work, lets in-flight handlers finish (up to `graceMs`), then closes everything. */
  stop(graceMs?: number): Promise<void>;
}

/** Wiring only: config → database → Bolt app → HTTP routes → poller. Each part's rules live in its own module. */
export async function startFirebreak({
  config,
  logger,
  clock = systemClock,
}: FirebreakOptions): Promise<RunningFirebreak> {
  const embedded = config.mongodbUri ? undefined : await startDefaultEmbeddedDb(config, logger);
  // The embedded server starts empty: name the database, or the driver would call it "test".
  const uri = config.mongodbUri ?? `${embedded?.uri ?? ""}firebreak`;
  if (config.mongodbUri) logger.info("database: MONGODB_URI");
  const connection = await connectDatabase(uri, { autoIndex: config.nodeEnv !== "production" });
  const store = await openStore(connection, config.nodeEnv === "production" ? "sync" : "ensure");
  // This app's own registry: the gauges read this app's database when scraped.
  const metrics = new PrometheusMetrics(
    {
      openIncidents: () => openIncidentsBySeverity(store.models),
      dueWork: () => dueWorkBacklog(store.models, clock.now()),
    },
    logger,
  );
  onDatabaseError(connection, (command) => metrics.databaseError(command));

  const inFlight = new InFlight();
  const slack = createSlackApp(config, logger, inFlight, metrics);
  const notifier = createSlackNotifier({ config, clock, logger, metrics });
  // A broken runbook file is logged and skipped: the bot starts with the others.
  const runbooks = await loadRunbooks(config.runbooks.dir, logger);
  const context = {
    config,
    store,
    clock,
    logger,
    notifier,
    onCall: onCallLookup(store.models),
    runbooks,
    metrics,
  };
  // Routed by command, action_id and callback_id (src/slack/router.ts): Bolt matches a handful of listeners.
  const listening = registerSlackSurfaces(new ListenerRouter().routing(slack.app), context);
  // After every surface: answers what none of them takes (an old button, a forged id) instead of a timeout.
  answerUnknownRequests(slack.app, listening, context);
  const deliveries = new DeliveryJob({
    store,
    clock,
    logger,
    handlers: {
      ...alertDeliveryHandlers(context),
      ...reportDeliveryHandlers(context),
      ...postmortemDeliveryHandlers(context),
      ...reminderDeliveryHandlers(context),
      ...homeDeliveryHandlers(context),
      ...changeDeliveryHandlers(context),
      ...maintenanceDeliveryHandlers(context),
      ...checklistDeliveryHandlers(context),
      ...incidentStepHandlers(context),
    },
    onGiveUp: (item, failure, reference) => noteAlertWorkGivenUp(context, item, failure, reference),
  });
  const reports = new ReportScheduler(context);
  // Before the deliveries, so a missed report queued by the first pass goes out in that pass.
  const jobs = [
    archiveChannelsJob(context),
    escalationJob(context),
    reports,
    // Before the deliveries, so a reminder queued in a pass goes out in that pass.
    postmortemRemindersJob(context),
    // Before the deliveries, so an announcement queued by a window's step goes out in that pass.
    maintenanceJob(context),
    deliveries,
    updateRemindersJob(context),
  ];
  if (config.channels.oncall) jobs.push(handoffAnnouncementsJob(context, config.channels.oncall));
  if (config.email.smtpUrl) jobs.push(emailJob(context, config.email.smtpUrl));
  const poller = new Poller(jobs, clock, logger);
  const identity = new SlackIdentity(slack.app.client, clock, logger);
  void identity.check();
  // Concurrent webhooks' alerts are recorded together: one command per stage for several requests.
  const intake = new IntakeBatcher(
    (alerts, correlationIds) =>
      recordAlerts(context, alerts, { correlationIds, trailing: (work) => void inFlight.track(work) }),
    { goesAlone: onlyRepeats },
  );

  const routes = [
    ...healthRoutes({
      database: async () => (embedded?.isUp() ?? true) && (await pingDatabase(connection)),
      slack: () => identity.check(),
    }),
    ...alertWebhookRoutes({
      secrets: config.alerts.webhookSecrets,
      onAlerts: (alerts) => whileDatabaseUp(embedded, () => inFlight.track(intake.take(alerts))),
      logger,
    }),
    ...statusPageRoutes(context),
    ...emailLinkRoutes(context),
    ...metricsRoutes(metrics),
  ];
  if (slack.receiver)
    routes.push({
      method: "POST",
      path: SLACK_EVENTS_PATH,
      handle: countingUnanswered(slack.receiver.requestListener),
    });
  const server: Server = createHttpServer(routes, logger);
  const port = await listen(server, slack.socketMode ? config.healthPort : config.port);
  if (slack.socketMode) await slack.app.start();
  poller.start();
  reports.start();
  logger.info({ port, mode: slack.socketMode ? "socket" : "http" }, "Firebreak is listening");

  return {
    port,
    store,
    slack,
    poller,
    reports,
    embeddedDb: embedded,
    stop: async (graceMs = 8_000) => {
      const closing = closeServer(server);
      await reports.stop();
      await poller.stop();
      if (slack.socketMode) await slack.app.stop();
      const drained = await inFlight.drain(graceMs);
      if (drained === "timed-out")
        logger.warn({ pending: inFlight.size }, "stopped with handlers still running");
      server.closeAllConnections();
      await closing;
      await connection.close();
      await embedded?.stop();
    },
  };
}

async function startDefaultEmbeddedDb(config: Config, logger: Logger): Promise<EmbeddedDb> {
  const db = await startEmbeddedDb({
    storage: "persistent",
    dataDir: config.dataDir,
    prefer: config.embeddedDb,
    onProgress: (line) => logger.info(line),
    onSupervision: logEmbeddedDbEvents(logger),
  });
  logger.info(
    { database: db.kind, uri: db.uri, data: db.dataLocation },
    `database: embedded ${db.dataLocation}`,
  );
  return db;
}
