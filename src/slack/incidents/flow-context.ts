import type { WebClient } from "@slack/web-api";
import type { Incident } from "../../domain/incident.ts";
import type { SeverityPolicy } from "../../domain/severity.ts";
import type { SlackDeps } from "../deps.ts";

/** What an incident flow needs: the app's dependencies and a Web API client for this workspace. */
export interface FlowContext extends SlackDeps {
  client: WebClient;
}

export function policyOf(ctx: FlowContext, incident: Pick<Incident, "severity">): SeverityPolicy {
  return ctx.config.incidents.severityPolicy[incident.severity];
}

/** Slack's error code from a failed Web API call, or the error's message. */
export function slackErrorCode(error: unknown): string {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  if (typeof data?.error === "string") return data.error;
  return error instanceof Error ? error.message : String(error);
}
