import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keepAliveFetch } from "../../src/slack/keep-alive-http.ts";

// The Web API client's fetch over node:http: what the client reads of an answer (status, headers such as
// Retry-After, the JSON body) must be what global fetch would have given it.

let server: http.Server;
let base = "";
const seen: { method?: string; type?: string; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      seen.push({ method: request.method, type: request.headers["content-type"], body });
      if (request.url === "/limited") {
        response.writeHead(429, { "retry-after": "7", "set-cookie": ["a=1", "b=2"] });
        return response.end('{"ok":false,"error":"ratelimited"}');
      }
      if (request.url === "/empty") return response.writeHead(204).end();
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok: true, echo: body }));
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

describe("keepAliveFetch", () => {
  it("posts the body with its headers and answers status, headers and JSON as fetch does", async () => {
    const body = "channel=C1&text=h%C3%A9llo";
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    const answer = await keepAliveFetch(`${base}/api/chat.postMessage`, { method: "POST", headers, body });
    expect(answer.status).toBe(200);
    expect(answer.ok).toBe(true);
    expect(await answer.json()).toEqual({ ok: true, echo: body });
    expect(seen.at(-1)).toEqual({ method: "POST", type: headers["content-type"], body });
  });

  it("keeps a 429's Retry-After and every value of a repeated header", async () => {
    const answer = await keepAliveFetch(`${base}/limited`, { method: "POST", body: "" });
    expect(answer.status).toBe(429);
    expect(answer.headers.get("retry-after")).toBe("7");
    expect((answer.headers as Headers).getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await answer.text()).toContain("ratelimited");
  });

  it("answers a 204 with no body, and rejects what cannot be reached", async () => {
    const empty = await keepAliveFetch(`${base}/empty`, { method: "POST" });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
    await expect(keepAliveFetch("http://127.0.0.1:1/api/x", { method: "POST", body: "" })).rejects.toThrow();
  });
});
