import { parseAlertmanager } from "./alertmanager.ts";
import type { AlertParser } from "./common.ts";
import { parseGeneric } from "./generic.ts";
import { parseGrafana } from "./grafana.ts";

export type { AlertParser, ParseResult } from "./common.ts";
export { parseAlertmanager, parseGeneric, parseGrafana };

/** Every source Firebreak takes alerts from, by the name used in `/webhooks/alerts/:source`. */
export const ALERT_SOURCES = {
  generic: parseGeneric,
  alertmanager: parseAlertmanager,
  grafana: parseGrafana,
} as const satisfies Record<string, AlertParser>;

export type AlertSourceName = keyof typeof ALERT_SOURCES;

export const ALERT_SOURCE_NAMES = Object.keys(ALERT_SOURCES) as AlertSourceName[];

/** Own keys only: "constructor" or "__proto__" in a URL is not a source. */
export function isAlertSourceName(name: string): name is AlertSourceName {
  return Object.hasOwn(ALERT_SOURCES, name);
}
