/**
 * The ack-latency floor: a bare Bolt app with the receiver Firebreak uses (HTTPReceiver, signature checked,
 * `processBeforeResponse: false`, the same token and Web API URL), whose listeners only call `ack()`. It runs
 * in a process of its own, like the bot, so the two are compared on equal terms. Started by the bench.
 */
import { createServer } from "node:http";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`the floor app needs ${name}`);
  return value;
};

const receiver = new HTTPReceiver({
  signingSecret: env("SLACK_SIGNING_SECRET"),
  endpoints: "/slack/events",
  processBeforeResponse: false,
  logLevel: LogLevel.ERROR,
});
const app = new App({
  token: env("SLACK_BOT_TOKEN"),
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: env("SLACK_API_URL") },
});
app.command(/.*/, async ({ ack }) => {
  await ack();
});
app.action(/.*/, async ({ ack }) => {
  await ack();
});

const server = createServer((request, response) => {
  if (request.method === "GET" && request.url === "/healthz") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"status":"ok"}');
    return;
  }
  receiver.requestListener(request, response);
});
server.listen(Number(env("PORT")), "127.0.0.1");
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
