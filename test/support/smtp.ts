import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** One message as the test SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The Subject header, unfolded. */
  subject: string;
  raw: string;
}

export interface TestSmtp {
  url: string;
  received: ReceivedMail[];
  /** While true, every message is refused with a temporary error (451), as a server in trouble does. */
  rejecting: boolean;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (no TLS, no auth) that keeps what arrives, for tests to read. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const state: TestSmtp = { url: "", received: [], rejecting: false, close: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!state.rejecting) return callback();
      const error = Object.assign(new Error("mailbox busy, try later"), { responseCode: 451 });
      return callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const subject = raw.match(/^Subject: (.*(?:\r\n[ \t].*)*)/im)?.[1]?.replace(/\r\n[ \t]/g, " ") ?? "";
        state.received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          subject,
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  state.url = `smtp://127.0.0.1:${port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
