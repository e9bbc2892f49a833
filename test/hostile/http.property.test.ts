import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signBody } from "../../src/http/alert-webhooks.ts";
import { deliverQueued } from "../support/deliver.ts";
import { BATCH, expectCleanOutput, mark, RUNS, useHostileApp, WEBHOOK_SECRET } from "./hostile-app.ts";
import { countDocuments, hostileText, hostileWord, inParallel, longText } from "./hostile-support.ts";

const TIMEOUT = 180_000;

const app = useHostileApp();

interface Answer {
  status: number;
  text: string;
  type: string;
}

async function post(path: string, body: string | Buffer, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${app.t.url}${path}`, { method: "POST", headers, body });
  return {
    status: response.status,
    text: await response.text(),
    type: response.headers.get("content-type") ?? "",
  };
}

async function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${app.t.url}${path}`, { headers });
  return {
    status: response.status,
    text: await response.text(),
    type: response.headers.get("content-type") ?? "",
  };
}

/**
 * Runs batches of BATCH concurrent requests; each answer passes `expectAnswer`. A run nothing was accepted
 * in must have written nothing; after one that was, the queued Slack work is delivered, so what reached Slack
 * from the accepted inputs is checked too.
 */
async function hostileBatches<T>(
  input: fc.Arbitrary<T>,
  send: (one: T) => Promise<Answer>,
  expectAnswer: (answer: Answer, one: T) => boolean,
) {
  let sent = 0;
  let accepted = 0;
  const start = mark(app);
  const before = await countDocuments(app.t);
  await fc.assert(
    fc.asyncProperty(fc.array(input, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      const from = mark(app);
      const answers = await inParallel(batch, BATCH, send);
      sent += batch.length;
      accepted += answers.filter((answer, index) => expectAnswer(answer, batch[index] as T)).length;
      await expectCleanOutput(
        app,
        from,
        answers.map((a) => a.text),
      );
    }),
    { numRuns: RUNS },
  );
  expect(sent).toBe(BATCH * RUNS);
  if (accepted === 0) {
    expect(await countDocuments(app.t)).toEqual(before);
    return;
  }
  // What the accepted inputs sent on to Slack (alert messages, pages) is held to the same rules.
  await deliverQueued(app.t, 600);
  await expectCleanOutput(app, start, []);
}

/** Any JSON value, nested deep or wide, of any type. */
const anyJson = fc.jsonValue({ depthSize: "medium", maxDepth: 6 });
const deepArray = fc
  .integer({ min: 100, max: 20_000 })
  .map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`);
const deepObject = fc
  .integer({ min: 100, max: 5_000 })
  .map((depth) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);

const hostileLabels = fc.dictionary(
  fc.oneof(
    fc.constantFrom("alertname", "severity", "service", "job", "__proto__", "constructor"),
    hostileWord,
  ),
  fc.oneof(hostileText, hostileWord, fc.constantFrom("critical", "high", "warning", "checkout")),
  { maxKeys: 6 },
);
const hostileAlert = fc.record(
  {
    status: fc.oneof(fc.constantFrom("firing", "resolved"), hostileWord),
    labels: fc.oneof(hostileLabels, anyJson),
    annotations: fc.oneof(hostileLabels, anyJson),
    startsAt: fc.oneof(
      fc.constantFrom("2026-11-23T09:00:00Z", "0001-01-01T00:00:00Z", "yesterday"),
      hostileWord,
    ),
    endsAt: fc.oneof(fc.constantFrom("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"), hostileWord),
    fingerprint: fc.oneof(hostileWord, fc.stringMatching(/^[0-9a-f]{16}$/)),
    generatorURL: fc.oneof(
      fc.constantFrom("https://prometheus.example/graph", "javascript:alert(1)"),
      hostileWord,
    ),
  },
  { requiredKeys: [] },
);

/** What each source's body looks like, filled with hostile values, wrong types and missing parts. */
const SOURCE_BODIES = {
  generic: fc.record(
    {
      title: fc.oneof(hostileText, longText, anyJson),
      severity: fc.oneof(
        fc.constantFrom("critical", "HIGH", " low ", "medium", "sev1"),
        hostileWord,
        anyJson,
      ),
      service: fc.oneof(fc.constantFrom("checkout", "search"), hostileWord, anyJson),
      description: fc.oneof(hostileText, longText, anyJson),
      fingerprint: fc.oneof(hostileWord, anyJson),
      status: fc.oneof(fc.constantFrom("firing", "resolved"), hostileWord),
      links: fc.oneof(
        fc.array(
          fc.record({
            title: hostileText,
            url: fc.constantFrom("https://x.example/", "javascript:alert(1)", "<!here>"),
          }),
          { maxLength: 3 },
        ),
        anyJson,
      ),
      labels: fc.oneof(hostileLabels, anyJson),
      startsAt: fc.oneof(fc.constantFrom("2026-11-23T09:00:00Z", "2026-02-30T00:00:00Z"), hostileWord),
    },
    { requiredKeys: [] },
  ),
  alertmanager: fc.record(
    {
      version: fc.oneof(fc.constant("4"), hostileWord),
      status: fc.oneof(fc.constantFrom("firing", "resolved"), hostileWord),
      receiver: hostileWord,
      externalURL: fc.oneof(fc.constant("https://alertmanager.example/"), hostileWord),
      alerts: fc.oneof(fc.array(hostileAlert, { maxLength: 5 }), anyJson),
    },
    { requiredKeys: [] },
  ),
  grafana: fc.record(
    {
      receiver: hostileWord,
      status: fc.oneof(fc.constantFrom("firing", "resolved"), hostileWord),
      version: fc.oneof(fc.constant("1"), hostileWord),
      externalURL: fc.oneof(fc.constant("https://grafana.example/"), hostileWord),
      alerts: fc.oneof(fc.array(hostileAlert, { maxLength: 5 }), anyJson),
    },
    { requiredKeys: [] },
  ),
};

describe.each(Object.keys(SOURCE_BODIES) as (keyof typeof SOURCE_BODIES)[])(
  "POST /webhooks/alerts/%s",
  (source) => {
    it(
      `answers ${BATCH * RUNS} bodies of wrong types, depths and sizes with 202 or a 4xx and its reason`,
      async () => {
        const body = fc.oneof(
          { weight: 8, arbitrary: SOURCE_BODIES[source].map((value) => JSON.stringify(value)) },
          { weight: 2, arbitrary: anyJson.map((value) => JSON.stringify(value)) },
          { weight: 1, arbitrary: fc.oneof(deepArray, deepObject) },
          {
            weight: 1,
            arbitrary: fc.oneof(hostileText, fc.constantFrom("{", '{"title":', "nul", "\uFEFF{}", "")),
          },
          { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
          {
            weight: 1,
            arbitrary: fc
              .integer({ min: 256 * 1024, max: 300 * 1024 })
              .map((size) => `"${"x".repeat(size)}"`),
          },
        );
        const input = fc.record({
          body,
          auth: fc.constantFrom("bearer", "bearer", "bearer", "signature", "bad-signature"),
          contentType: fc.constantFrom(
            "application/json",
            "application/json",
            "application/vnd.api+json",
            "text/plain",
          ),
        });
        await hostileBatches(
          input,
          (one) => {
            const headers: Record<string, string> = { "content-type": one.contentType };
            if (one.auth === "bearer") headers.authorization = `Bearer ${WEBHOOK_SECRET}`;
            else
              headers["x-firebreak-signature"] =
                one.auth === "signature" ? signBody(WEBHOOK_SECRET, one.body) : "sha256=00";
            return post(`/webhooks/alerts/${source}`, one.body, headers);
          },
          (answer) => {
            expect([202, 400, 401, 413, 415], answer.text.slice(0, 300)).toContain(answer.status);
            const parsed = JSON.parse(answer.text) as { error?: unknown; accepted?: unknown };
            if (answer.status === 202) {
              expect(parsed.accepted).toEqual(expect.any(Number));
              return (parsed.accepted as number) > 0;
            }
            expect(parsed.error).toEqual(expect.stringMatching(/\w/));
            return false;
          },
        );
      },
      TIMEOUT,
    );
  },
);

/** Markup that must come back escaped in any HTML page. */
const HTML_ATTACKS = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "<svg/onload=alert(1)>",
];
const rawHtmlAttack = (text: string) => /<script>alert|<img src=x|<svg\/onload/.test(text);

describe("the status page's routes", () => {
  it(
    `answers ${BATCH * RUNS} hostile subscribe forms with a page that says what was wrong, escaping what was typed`,
    async () => {
      const email = fc.oneof(
        hostileText,
        longText,
        fc.constantFrom(...HTML_ATTACKS),
        fc.emailAddress(),
        fc.constantFrom(
          "a@b",
          "@x.example",
          "x@",
          "a@b.c".repeat(500),
          '"<script>alert(1)</script>"@x.example',
        ),
      );
      const input = fc.record({
        form: fc.oneof(
          { weight: 6, arbitrary: email.map((value) => new URLSearchParams({ email: value }).toString()) },
          {
            weight: 1,
            arbitrary: fc
              .array(email, { maxLength: 4 })
              .map((all) => new URLSearchParams(all.map((v): [string, string] => ["email", v])).toString()),
          },
          { weight: 1, arbitrary: fc.oneof(hostileText, longText, fc.constant("email")) },
        ),
        contentType: fc.constantFrom(
          "application/x-www-form-urlencoded",
          "application/json",
          "multipart/form-data",
        ),
      });
      await hostileBatches(
        input,
        (one) => post("/status/subscribe", one.form, { "content-type": one.contentType }),
        (answer) => {
          expect([202, 400], answer.text.slice(0, 300)).toContain(answer.status);
          expect(answer.type).toMatch(/^text\/html/);
          expect(rawHtmlAttack(answer.text), answer.text.slice(0, 500)).toBe(false);
          if (answer.status === 400) expect(answer.text).toContain("That is not an e-mail address");
          return false;
        },
      );
    },
    TIMEOUT,
  );

  it(
    `answers ${BATCH * RUNS} forged confirm and unsubscribe links, and hostile page requests, without changing anything`,
    async () => {
      const token = fc.oneof(
        hostileText,
        longText,
        fc.constantFrom(...HTML_ATTACKS),
        fc.base64String({ maxLength: 200 }),
      );
      const input = fc.record({
        path: fc.constantFrom(
          "/status/subscribe/confirm",
          "/status/unsubscribe",
          "/status",
          "/status.json",
          "/status/feed.atom",
        ),
        method: fc.constantFrom("GET", "POST"),
        token,
        etag: fc.oneof(fc.constant(undefined), hostileWord, fc.constantFrom("*", 'W/"x"', '""')),
      });
      await hostileBatches(
        input,
        (one) => {
          const url = `${one.path}?${new URLSearchParams({ token: one.token })}`;
          const headers: Record<string, string> =
            one.etag === undefined ? {} : { "if-none-match": one.etag.replace(/[^\t\x20-\x7e]/g, "") };
          return one.method === "GET" ? get(url, headers) : post(url, one.token, headers);
        },
        (answer, one) => {
          const page =
            one.path === "/status" || one.path === "/status.json" || one.path === "/status/feed.atom";
          // 431: Node refuses a request line over its 16 KB header limit before any route sees it.
          if (page) expect([200, 304, 404, 431], answer.text.slice(0, 300)).toContain(answer.status);
          else expect([400, 431], answer.text.slice(0, 300)).toContain(answer.status);
          if (answer.status === 404) expect(JSON.parse(answer.text).error).toMatch(/^no route for POST /);
          expect(rawHtmlAttack(answer.text), answer.text.slice(0, 500)).toBe(false);
          return false;
        },
      );
    },
    TIMEOUT,
  );
});
