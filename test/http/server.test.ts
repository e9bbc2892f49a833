import { describe, expect, it } from "vitest";
import { matchPath } from "../../src/http/server.ts";

describe("matchPath", () => {
  it.each([
    ["/healthz", "/healthz", {}],
    ["/healthz", "/healthz/", undefined],
    ["/webhooks/alerts/:source", "/webhooks/alerts/grafana", { source: "grafana" }],
    ["/webhooks/alerts/:source", "/webhooks/alerts/a%20b", { source: "a b" }],
    ["/webhooks/alerts/:source", "/webhooks/alerts/", undefined],
    ["/webhooks/alerts/:source", "/webhooks/alerts", undefined],
    ["/webhooks/alerts/:source", "/webhooks/alerts/grafana/extra", undefined],
    ["/webhooks/alerts/:source", "/webhooks/other/grafana", undefined],
    ["/webhooks/alerts/:source", "/webhooks/alerts/%E0%A4%A", undefined],
    ["/a/:x/b/:y", "/a/1/b/2", { x: "1", y: "2" }],
  ])("%s against %s", (pattern, path, params) => {
    expect(matchPath(pattern, path)).toEqual(params);
  });
});
