import { z } from "zod";

/** The status page's settings (`STATUS_PAGE_*`): the config reads them with these schemas and hints. */

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);

export const STATUS_PAGE_HINTS: Record<string, string> = {
  STATUS_PAGE_TITLE: 'The public status page\'s heading, e.g. "Acme status" (default "Service status").',
  STATUS_PAGE_SERVICES:
    "The services always listed on the public status page, comma-separated (e.g. checkout, payments-api); services of public incidents are added.",
  STATUS_PAGE_URL:
    "The public address of the status page (e.g. https://status.example.com/status), used in the Atom feed's links; unset: the request's host.",
};

export const statusPageEnv = {
  STATUS_PAGE_TITLE: z.preprocess(emptyToUndefined, z.string().trim().max(100).default("Service status")),
  STATUS_PAGE_SERVICES: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("")
      .transform((text) => [
        ...new Set(
          text
            .split(",")
            .map((name) => name.trim())
            .filter(Boolean),
        ),
      ]),
  ),
  STATUS_PAGE_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// address" })
      .transform((url) => url.replace(/\/+$/, ""))
      .optional(),
  ),
};

export interface StatusPageSettings {
  title: string;
  /** Listed even while nothing public touches them. */
  services: string[];
  /** The page's public address; unset: taken from each request's Host. */
  url: string | undefined;
}

export function statusPageSettings(env: {
  STATUS_PAGE_TITLE: string;
  STATUS_PAGE_SERVICES: string[];
  STATUS_PAGE_URL?: string | undefined;
}): StatusPageSettings {
  return { title: env.STATUS_PAGE_TITLE, services: env.STATUS_PAGE_SERVICES, url: env.STATUS_PAGE_URL };
}
