import { expect } from "vitest";
import { DECLARE_BLOCKS, PUBLISH_OPTION_VALUE } from "../../src/slack/views/declare-modal.ts";
import { RESOLVE_BLOCKS } from "../../src/slack/views/resolve-modal.ts";
import { PUBLISH_UPDATE_VALUE, UPDATE_BLOCKS } from "../../src/slack/views/update-modal.ts";
import { checked, type IncidentDriver, option, text } from "./incident-driver.ts";
import { alice, waitForChannelOf } from "./incident-e2e.ts";
import type { TestApp } from "./test-app.ts";

/**
 * The three forms that decide what the status page shows, filled in as Alice would: declare, Post update
 * (with its public text and Publish box) and resolve. The internal texts carry words the page must never show.
 */

export async function declareIncident(
  drive: IncidentDriver,
  severity: string,
  title: string,
  services: string,
  publish = false,
): Promise<void> {
  const { triggerId, responseId } = await drive.incident(alice, "declare");
  const modal = await drive.modalOpenedBy(triggerId);
  await drive.submit(alice, modal, {
    [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: text(title) },
    [DECLARE_BLOCKS.severity]: { [DECLARE_BLOCKS.severity]: option(severity) },
    [DECLARE_BLOCKS.description]: { [DECLARE_BLOCKS.description]: text("hunter2 leaked in the logs") },
    [DECLARE_BLOCKS.services]: { [DECLARE_BLOCKS.services]: text(services) },
    [DECLARE_BLOCKS.publish]: {
      [DECLARE_BLOCKS.publish]: checked(...(publish ? [PUBLISH_OPTION_VALUE] : [])),
    },
  });
  await drive.answer(responseId, /declared/);
}

/** Submits Post update; returns the form as it was offered. */
export async function postUpdate(
  t: TestApp,
  drive: IncidentDriver,
  number: number,
  update: { status: string; message: string; publicText: string; publish: boolean },
) {
  const channelId = await waitForChannelOf(t, number);
  const { triggerId } = await drive.incident(alice, "update", channelId);
  const modal = await drive.modalOpenedBy(triggerId);
  const response = await drive.submit(alice, modal, {
    [UPDATE_BLOCKS.status]: { [UPDATE_BLOCKS.status]: option(update.status) },
    [UPDATE_BLOCKS.message]: { [UPDATE_BLOCKS.message]: text(update.message) },
    [UPDATE_BLOCKS.publish]: {
      [UPDATE_BLOCKS.publish]: checked(...(update.publish ? [PUBLISH_UPDATE_VALUE] : [])),
    },
    [UPDATE_BLOCKS.publicText]: { [UPDATE_BLOCKS.publicText]: text(update.publicText) },
  });
  expect(response.status).toBe(200);
  return modal;
}

export async function resolveIncident(t: TestApp, drive: IncidentDriver, number: number): Promise<void> {
  const channelId = await waitForChannelOf(t, number);
  const { triggerId } = await drive.incident(alice, "resolve", channelId);
  const modal = await drive.modalOpenedBy(triggerId);
  await drive.submit(alice, modal, {
    [RESOLVE_BLOCKS.resolution]: { [RESOLVE_BLOCKS.resolution]: text("Failed db-7 over to db-8") },
    [RESOLVE_BLOCKS.rootCause]: { [RESOLVE_BLOCKS.rootCause]: text("hunter2 expired") },
  });
}
