import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../domain/clock.ts";
import type { Logger } from "../logger.ts";
import { newReference } from "../reference.ts";

/**
 * Public pages under load: the data is read from the database at most once per `maxAgeMs` (one read at a
 * time, shared by every request waiting), each representation is rendered once per read, and when a read
 * fails or hangs the last good one is served, so a database that is briefly down does not take the page
 * with it.
 */
export class SnapshotCache<T extends object> {
  private last: { value: T; at: number } | undefined;
  private loading: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly options: { clock: Clock; logger: Logger; maxAgeMs: number; waitMs: number },
  ) {}

  /** The current data, or the last good data when reading fails; throws only when there never was any. */
  async get(): Promise<T> {
    const now = this.options.clock.now().getTime();
    if (this.last && now - this.last.at < this.options.maxAgeMs) return this.last.value;
    const loading = this.refresh(now);
    if (!this.last) return loading;
    const stale = this.last.value;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<T>((done) => {
      timer = setTimeout(() => done(stale), this.options.waitMs);
    });
    return Promise.race([loading.catch(() => stale), timeout]).finally(() => clearTimeout(timer));
  }

  private refresh(now: number): Promise<T> {
    this.loading ??= this.load()
      .then((value) => {
        this.last = { value, at: now };
        return value;
      })
      .catch((error: unknown) => {
        const ref = newReference();
        this.options.logger.error({ err: error, ref }, "could not read the status page's data");
        throw Object.assign(new Error(`status page data unavailable (reference ${ref})`), { ref });
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}

export interface Rendered {
  body: string;
  contentType: string;
  etag: string;
  /** When this body was first rendered by this process (HTTP dates are whole seconds). */
  lastModified: Date;
}

/**
 * One representation of the cached data: rendered once per snapshot; its Last-Modified moves only when the
 * body changes, so a client's conditional request gets a 304 until something it would see has changed.
 */
export class Representation<T extends object> {
  private readonly rendered = new WeakMap<T, Rendered>();
  private previous: Rendered | undefined;

  constructor(
    private readonly contentType: string,
    private readonly render: (data: T) => string,
    private readonly clock: Clock,
  ) {}

  of(data: T): Rendered {
    const known = this.rendered.get(data);
    if (known) return known;
    const body = this.render(data);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    const lastModified =
      this.previous?.etag === etag ? this.previous.lastModified : new Date(this.clock.now().getTime());
    lastModified.setUTCMilliseconds(0);
    const rendered = { body, contentType: this.contentType, etag, lastModified };
    this.rendered.set(data, rendered);
    this.previous = rendered;
    return rendered;
  }
}

/** Whether the client's copy is current: If-None-Match wins over If-Modified-Since (RFC 9110, 13.2.2). */
export function isNotModified(request: IncomingMessage, rendered: Rendered): boolean {
  const match = request.headers["if-none-match"];
  if (match !== undefined)
    return match
      .split(",")
      .map((tag) => tag.trim().replace(/^W\//, ""))
      .some((tag) => tag === "*" || tag === rendered.etag);
  const since = Date.parse(request.headers["if-modified-since"] ?? "");
  return !Number.isNaN(since) && rendered.lastModified.getTime() <= since;
}

/** Sends a rendered body, or 304 when the client's copy is current; HEAD-safe and cacheable for a moment. */
export function sendRendered(request: IncomingMessage, response: ServerResponse, rendered: Rendered): void {
  const headers = {
    etag: rendered.etag,
    "last-modified": rendered.lastModified.toUTCString(),
    "cache-control": "public, max-age=5",
  };
  if (isNotModified(request, rendered)) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  response.writeHead(200, { ...headers, "content-type": rendered.contentType });
  response.end(rendered.body);
}
