/**
 * A real SMTP server for mail tests (the smtp-server package), on a free port (TEST_PORTS range),
 * that keeps every message it accepts, parsed with mailparser, and can refuse the next ones.
 */
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "./server";

export interface ReceivedMail {
  raw: string;
  parsed: ParsedMail;
  to: string[];
}

export interface TestSmtpServer {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Refuse the next `count` messages with this code (451: try later; 550: refused for good). */
  refuseNext(count: number, code: number): void;
  /** Resolves once `count` messages have been received. */
  waitFor(count: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let refusals = 0;
  let refusalCode = 451;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (refusals > 0) {
          refusals -= 1;
          const error = new Error(refusalCode >= 500 ? "Mailbox unavailable" : "Try again later") as Error & { responseCode: number };
          error.responseCode = refusalCode;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        void simpleParser(raw).then((parsed) => {
          received.push({ raw, parsed, to: session.envelope.rcptTo.map((r) => r.address) });
          for (const waiter of [...waiters]) if (received.length >= waiter.count) waiter.resolve();
          callback();
        });
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    refuseNext(count, code) {
      refusals = count;
      refusalCode = code;
    },
    waitFor(count) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve) => waiters.push({ count, resolve: () => resolve(received) }));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
