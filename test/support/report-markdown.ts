import { readFileSync, writeFileSync } from "node:fs";
import type { FakeSlack } from "./fake-slack/server.ts";

/**
 * A report message as GitHub Markdown, for the README's picture of a real report: Slack's mrkdwn in each
 * block becomes Markdown, dates show their fallback text, mentions the names the fake Slack knows, and
 * emoji codes their characters. Only the handful of codes the report uses are known.
 */

const EMOJI: Record<string, string> = {
  red_circle: "🔴",
  large_orange_circle: "🟠",
  large_yellow_circle: "🟡",
  large_blue_circle: "🔵",
  warning: "⚠️",
  white_check_mark: "✅",
  hourglass: "⌛",
};

function toMarkdown(mrkdwn: string, slack: FakeSlack): string {
  return mrkdwn
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, "$1")
    .replace(/<#([A-Z0-9]+)>/g, (_, id: string) => `#${slack.state.channels[id]?.name ?? id}`)
    .replace(/<@([A-Z0-9]+)>/g, (_, id: string) => `@${slack.state.users[id]?.name ?? id}`)
    .replace(/<!subteam\^([A-Z0-9]+)>/g, "@$1")
    .replace(/\*([^*\n]+)\*/g, "**$1**")
    .replace(/:([a-z_]+):/g, (code, name: string) => EMOJI[name] ?? code)
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\\\n");
}

export function reportMarkdown(blocks: unknown[], slack: FakeSlack): string {
  const texts = (blocks as { text?: { text: string }; elements?: { text?: string }[] }[]).flatMap((block) =>
    block.text ? [block.text.text] : (block.elements ?? []).flatMap((e) => (e.text ? [e.text] : [])),
  );
  return texts.map((text) => toMarkdown(text, slack)).join("\n>\n");
}

const START =
  "<!-- report-example:start (written by UPDATE_DOCS_IMAGES=1 npx vitest run test/reports/daily-report.test.ts) -->";
const END = "<!-- report-example:end -->";

/** Puts the Markdown between the README's report-example markers. */
export function writeReadmeExample(markdown: string): void {
  const readme = readFileSync("README.md", "utf8");
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error("README.md has no report-example markers");
  writeFileSync("README.md", `${readme.slice(0, from + START.length)}\n\n${markdown}\n\n${readme.slice(to)}`);
}
