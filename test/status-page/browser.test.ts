// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, not DOM nodes: innerText() is the text as the reader sees it, laid out, which is what is checked.
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
} from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATUS_MAX_AGE_MS } from "../../src/http/status-page.ts";
import { getPublicIncident } from "../../src/store/status-page.ts";
import { eventually } from "../support/eventually.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { alice, INCIDENTS, waitForIncident } from "../support/incident-e2e.ts";
import { declareIncident, postUpdate, resolveIncident } from "../support/status-page-driver.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

/** Debian's package; `.ci/run` installs it when it is missing. */
const CHROMIUM = "/usr/bin/chromium";
/** Screenshots of the page as the test saw it (ignored by git). */
const ARTIFACTS = fileURLToPath(new URL("../artifacts/", import.meta.url));
/** Without these Chromium waits on the network this machine does not have (updates, sync, QUIC probes). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const READER = "America/New_York";
const LATEST = "We found the cause and are fixing it.";

// A browser on a shared, busy machine: more time than the default 20 s, none of it asserted.
describe("the status page in a real browser (headless Chromium), during and after a public SEV2", {
  timeout: 60_000,
}, () => {
  let t: TestApp;
  let drive: IncidentDriver;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Script errors and console errors of every page the test opened: there must be none. */
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `${CHROMIUM} is missing: this test runs the status page in Debian's Chromium. .ci/run installs it (apt-get install chromium); on your machine run: sudo apt-get install chromium`,
      );
    mkdirSync(ARTIFACTS, { recursive: true });
    // Playwright gives each launch a fresh temporary profile (user-data-dir) and deletes it on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    t = await startTestApp({
      env: { INCIDENTS_CHANNEL: INCIDENTS, STATUS_PAGE_SERVICES: "checkout, search" },
    });
    drive = new IncidentDriver(t);
    t.slack.addUser(alice);
    t.slack.addChannel({ id: INCIDENTS, name: "incidents", members: [t.slack.state.bot.user_id] });
  });
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await t?.stop();
  });

  /** Opens /status as a reader with these settings would, after the page's cache has expired. */
  async function open(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ locale: "en-US", ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    t.clock.advance(STATUS_MAX_AGE_MS);
    const response = await page.goto(`${t.url}/status`);
    expect(response?.status()).toBe(200);
    return page;
  }

  /** A service's entry in the list, found by its heading as a reader scans for it. */
  const serviceEntry = (page: Page, name: string) =>
    page.locator("li.service").filter({ has: page.getByRole("heading", { name, exact: true }) });

  /** The colour a reader sees behind an element (through its window: the tests are typed without the DOM). */
  const backgroundOf = (element: Locator): Promise<string> =>
    element.evaluate((e) => e.ownerDocument.defaultView.getComputedStyle(e).backgroundColor);

  const publicIncident = async () =>
    getPublicIncident(t.firebreak.store.models, (await waitForIncident(t, 1)).id);

  it("during the SEV2 the service reads 'Partial outage' and the latest public update comes first", async () => {
    await declareIncident(drive, "sev2", "db-7 failover breaks checkout", "checkout");
    t.clock.advance(10 * 60_000);
    await postUpdate(t, drive, 1, {
      status: "identified",
      message: "Rotated the db-7 password",
      publicText: LATEST,
      publish: true,
    });
    await eventually(
      async () => ((await publicIncident())?.updates.length === 2 ? true : undefined),
      "the public update stored",
    );

    const page = await open();
    await expect.poll(() => page.getByRole("status").innerText()).toBe("Partial System Outage");
    const checkout = serviceEntry(page, "checkout");
    expect(await checkout.locator(".state").innerText()).toBe("Partial outage");
    expect(await checkout.locator(".state").isVisible()).toBe(true);
    expect(await serviceEntry(page, "search").locator(".state").innerText()).toBe("Operational");

    const updates = page.getByRole("list", { name: "Updates, newest first" }).getByRole("listitem");
    expect(await updates.count()).toBe(2);
    expect(await updates.first().innerText()).toContain(LATEST);
    expect(await updates.first().isVisible()).toBe(true);
    expect(await updates.last().innerText()).toContain("We are currently investigating");
    expect(await page.locator("body").innerText()).not.toMatch(/db-7|hunter2/);
    await page.screenshot({ path: `${ARTIFACTS}status-sev2.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it("shows each time in UTC and in the reader's own zone, and the page is whole without script", async () => {
    const page = await open({ timezoneId: READER });
    const when = page.getByRole("list", { name: "Updates, newest first" }).locator(".when").first();
    const utc = await when.locator("time").innerText();
    const at = new Date((await when.locator("time").getAttribute("datetime")) ?? "");
    const local = new Intl.DateTimeFormat("en-US", {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: READER,
    }).format(at);
    expect(utc).toMatch(/UTC/);
    // New York is five hours behind UTC in November: the reader's time is not the UTC one.
    expect(local).not.toContain(utc.replace(/ UTC$/, ""));
    expect(await when.innerText()).toBe(`${utc} (${local} your time)`);

    const plain = await open({ timezoneId: READER, javaScriptEnabled: false });
    const plainWhen = plain.getByRole("list", { name: "Updates, newest first" }).locator(".when").first();
    expect(await plainWhen.innerText()).toBe(utc);
    expect(await serviceEntry(plain, "checkout").locator(".state").innerText()).toBe("Partial outage");
    expect(problems).toEqual([]);
  });

  it("renders the dark colour scheme without a script or console error", async () => {
    const page = await open({ colorScheme: "dark", timezoneId: READER });
    const body = page.locator("body");
    expect(
      await body.evaluate(
        (b) => b.ownerDocument.defaultView.matchMedia("(prefers-color-scheme: dark)").matches,
      ),
    ).toBe(true);
    expect(await backgroundOf(body)).toBe("rgb(13, 17, 23)");
    expect(await page.locator(".when").first().innerText()).toContain("your time");
    await page.screenshot({ path: `${ARTIFACTS}status-sev2-dark.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it("after the resolve every service is operational and today's mark on the bar lists the incident", async () => {
    t.clock.advance(3 * 3_600_000);
    await resolveIncident(t, drive, 1);
    await eventually(
      async () => ((await publicIncident())?.resolvedAt ? true : undefined),
      "resolved on the page",
    );

    const page = await open({ viewport: { width: 1000, height: 900 } });
    await expect.poll(() => page.getByRole("status").innerText()).toBe("All Systems Operational");
    const checkout = serviceEntry(page, "checkout");
    expect(await checkout.locator(".state").innerText()).toBe("Operational");
    expect(await page.getByText("No incidents right now.").isVisible()).toBe(true);

    const days = checkout.locator("details.day");
    expect(await days.count()).toBe(90);
    const today = days.last();
    const date = t.clock.now().toISOString().slice(0, 10);
    // Marked: today's bar has the partial-outage colour, the day before the operational one.
    const colour = (day: Locator) => backgroundOf(day.locator("summary"));
    expect(await colour(today)).not.toBe(await colour(days.nth(88)));
    expect(await colour(days.nth(88))).toBe(await colour(days.first()));

    // Hovering shows the day's title, which names its incidents.
    await today.locator("summary").hover();
    expect(await today.locator("summary").evaluate((summary) => summary.matches(":hover"))).toBe(true);
    expect(await today.locator("summary").getAttribute("title")).toBe(
      `${date}: Partial outage — Partial outage: checkout`,
    );
    // Tapping opens the list of the day's incidents.
    const tip = today.locator(".tip");
    expect(await tip.isVisible()).toBe(false);
    await today.locator("summary").click();
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.innerText()).toContain(`${date} · Partial outage`);
    expect(await tip.getByRole("listitem").allInnerTexts()).toEqual(["Partial outage: checkout"]);
    expect(await serviceEntry(page, "search").locator("details.day.s-operational").count()).toBe(90);
    await page.screenshot({ path: `${ARTIFACTS}status-resolved.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
