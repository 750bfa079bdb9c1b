/**
 * A real SMTP server for mail tests (the smtp-server package), on a free port (TEST_PORTS range),
 * that keeps every message it accepts, parsed with mailparser, and can refuse the next ones.
 * `hooks` let a test act at the moment a message arrives, before or after the server's answer
 * (the crash test kills the sender there). An integration test file's usual setup around it is
 * `useSmtpServer` (test/support/mail.ts).
 */
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "./server";

export interface ReceivedMail {
  raw: string;
  parsed: ParsedMail;
  to: string[];
  /** The Message-ID header as sent (with its angle brackets), or "(none)". */
  messageId: string;
}

/** A message as it arrives, before it is parsed. */
export interface ArrivingMail {
  raw: string;
  to: string[];
  messageId: string;
}

export interface SmtpHooks {
  /** Before the server answers: return an error (with `responseCode`) to refuse the message. */
  beforeAnswer?(mail: ArrivingMail): (Error & { responseCode?: number }) | undefined;
  /** Just after the server answered "250" for the message. */
  afterAnswer?(mail: ArrivingMail): void;
}

export interface TestSmtpServer {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** The connections clients have opened to it so far. */
  readonly connections: number;
  /** Refuse the next `count` messages with this code (451: try later; 550: refused for good). */
  refuseNext(count: number, code: number): void;
  /** Resolves once `count` messages have been received. */
  waitFor(count: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpServer({ hooks = {} }: { hooks?: SmtpHooks } = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let refusals = 0;
  let refusalCode = 451;
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const mail: ArrivingMail = {
          raw,
          to: session.envelope.rcptTo.map((r) => r.address),
          messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? "(none)",
        };
        if (refusals > 0) {
          refusals -= 1;
          const error = new Error(refusalCode >= 500 ? "Mailbox unavailable" : "Try again later") as Error & { responseCode: number };
          error.responseCode = refusalCode;
          callback(error);
          return;
        }
        const refused = hooks.beforeAnswer?.(mail);
        if (refused) {
          callback(refused);
          return;
        }
        void simpleParser(raw).then((parsed) => {
          received.push({ ...mail, parsed });
          for (const waiter of [...waiters]) if (received.length >= waiter.count) waiter.resolve();
          callback();
          hooks.afterAnswer?.(mail);
        });
      });
    },
  });
  // A sender killed mid-connection (the crash tests) or a pooled connection dropped resets its
  // socket; the server reports that as an error event, which would otherwise be thrown uncaught.
  server.on("error", () => {});
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    get connections() {
      return connections;
    },
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
