import { z } from "zod";
import type { Severity } from "./incident.ts";
import { severityLabel } from "./severity.ts";
import { TEMPLATES } from "./templates.ts";

/**
 * Stakeholder e-mails, built from the public side of an incident only (its public name and the public
 * update text the status page shows), never from internal detail. Subjects follow the seeds' e-mail
 * templates: `[INCIDENT] …` at declaration, `[UPDATE] …`, `[RESOLVED] …`.
 */

/** The list of readers who subscribed on the status page: every public incident, whatever its services. */
export const ALL_SERVICES = "*";

export type EmailKind = "initial" | "update" | "resolved";

export interface PublicEmailInput {
  kind: EmailKind;
  severity: Severity;
  /** The incident's public name, as on the status page. */
  name: string;
  /** The public update's text. */
  body: string;
  /** The status page's address, linked at the foot; unset: no link. */
  statusPageUrl?: string | undefined;
  /** This recipient's one-click unsubscribe link; unset: none. */
  unsubscribeUrl?: string | undefined;
}

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

/** Which e-mail a public update is: its key says whether it opened or resolved the incident. */
export function emailKindOf(updateKey: string): EmailKind {
  if (updateKey === "initial") return "initial";
  if (updateKey.startsWith("resolved:")) return "resolved";
  return "update";
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** The subject line; CR and LF are dropped so no text can add a header. */
export function emailSubject(kind: EmailKind, severity: Severity, name: string): string {
  return TEMPLATES[kind].subject
    .replace("{severity}", severityLabel(severity))
    .replace("{incident_title}", name)
    .replace(/[\r\n]+/g, " ");
}

export function publicEmail(input: PublicEmailInput): EmailMessage {
  const subject = emailSubject(input.kind, input.severity, input.name);
  const link = input.statusPageUrl;
  const unsubscribe = input.unsubscribeUrl;
  const text = [
    subject,
    "",
    input.body.trim(),
    ...(link ? ["", `Status page: ${link}`] : []),
    ...(unsubscribe ? ["", `Unsubscribe: ${unsubscribe}`] : []),
  ].join("\n");
  const paragraphs = input.body
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replaceAll("\n", "<br>")}</p>`);
  const html = [
    "<!doctype html>",
    '<html lang="en"><body style="font-family: sans-serif; line-height: 1.5">',
    `<h1 style="font-size: 1.2em">${escapeHtml(subject)}</h1>`,
    ...paragraphs,
    ...(link ? [`<p><a href="${escapeHtml(link)}">Status page</a></p>`] : []),
    ...(unsubscribe
      ? [`<p style="font-size: 0.8em"><a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p>`]
      : []),
    "</body></html>",
  ].join("\n");
  return { subject, text, html };
}

/** Attempts before an e-mail is given up and the failure noted on the incident's timeline. */
export const EMAIL_MAX_ATTEMPTS = 6;

/** Wait after the given failed attempt (1-based): 1, 2, 4, 8, 16 minutes, so an SMTP outage of about half an hour is ridden out. */
export function emailRetryDelayMs(attempt: number): number {
  return 60_000 * 2 ** Math.max(0, attempt - 1);
}

/** One e-mail address, as commands and the config accept it. */
export const emailAddress = z.email({ error: "is not an e-mail address" }).trim().toLowerCase();

export type SubscribersCommand =
  | { kind: "list" }
  | { kind: "add" | "remove"; address: string; services: string[] }
  | {
      kind: "invalid";
      problem: "unknown" | "missing_address" | "bad_address" | "missing_service";
      given: string;
    };

export const SUBSCRIBERS_USAGE =
  "`/incident subscribers add <e-mail> <service…>`, `/incident subscribers remove <e-mail> <service…>` or `/incident subscribers list`";

/** Slack sends a typed address as a link (`<mailto:a@b.c|a@b.c>`): the address is what was typed. */
const unlink = (word: string) => /^<mailto:([^|>]+)(?:\|[^>]*)?>$/.exec(word)?.[1] ?? word;

/** `add|remove <address> <service…>` or `list`; services may be separated by spaces or commas. */
export function parseSubscribersCommand(args: string): SubscribersCommand {
  const words = args.split(/[\s,]+/).filter(Boolean);
  const action = words[0]?.toLowerCase();
  if (action === "list" && words.length === 1) return { kind: "list" };
  if (action !== "add" && action !== "remove")
    return { kind: "invalid", problem: "unknown", given: args.trim() };
  const typed = unlink(words[1] ?? "");
  const address = emailAddress.safeParse(typed);
  if (!address.success)
    return { kind: "invalid", problem: typed === "" ? "missing_address" : "bad_address", given: typed };
  const services = [...new Set(words.slice(2))];
  if (services.length === 0) return { kind: "invalid", problem: "missing_service", given: address.data };
  return { kind: action, address: address.data, services };
}

/** The double opt-in e-mail a reader gets after subscribing on the status page. */
export function confirmationEmail(pageTitle: string, confirmUrl: string): EmailMessage {
  const subject = `Confirm your e-mail subscription to ${pageTitle}`.replace(/[\r\n]+/g, " ");
  const lines = [
    `Someone, probably you, asked to get an e-mail about incidents on ${pageTitle}.`,
    "To confirm, open this link:",
    confirmUrl,
    "",
    "If it was not you, ignore this e-mail: nothing will be sent to you.",
  ];
  const html = [
    "<!doctype html>",
    '<html lang="en"><body style="font-family: sans-serif; line-height: 1.5">',
    `<p>Someone, probably you, asked to get an e-mail about incidents on ${escapeHtml(pageTitle)}.</p>`,
    `<p><a href="${escapeHtml(confirmUrl)}">Confirm your subscription</a></p>`,
    "<p>If it was not you, ignore this e-mail: nothing will be sent to you.</p>",
    "</body></html>",
  ].join("\n");
  return { subject, text: lines.join("\n"), html };
}
