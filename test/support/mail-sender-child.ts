/**
 * The mail sender as a child process, for the crash test (test/integration/outbox-crash.test.ts):
 * opens the database at DATABASE_PATH (from its environment), runs the app's sender turns against
 * SMTP_URL until nothing is left, and says what it does on standard output, one line each:
 * "turn" before each turn (fan-out comes first in it), "sent <outbox id>" after the server's answer
 * (before it is recorded), "done" when nothing is left to send.
 * Argument: the clock's offset in ms (each restart comes "later", past the dead process's lease
 * and the hold on the message it was sending).
 */
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { runMailTurn, smtpTransport, type MailTransport } from "~/utils/mail-sender.server";

const offset = Number(process.argv[2] ?? "0");
const now = () => Date.now() + offset;
const smtp = smtpTransport(process.env.SMTP_URL!, { timeoutMs: 300_000 });
const say = (line: string) => process.stdout.write(`${line}\n`);

const transport: MailTransport = {
  async send(message) {
    const response = await smtp.send(message);
    say(`sent ${message.id}`);
    return response;
  },
  close: () => smtp.close(),
};

const db = getDb();
db.$client.pragma("busy_timeout = 60000");
for (;;) {
  say("turn");
  const tried = await runMailTurn({ transport, now, batch: 5 });
  const left = db.get<{ n: number }>(sql`
    SELECT (SELECT COUNT(*) FROM outbox WHERE state = 'queued')
      + (SELECT COUNT(*) FROM letter_events WHERE fanned_out = 0)
      + (SELECT COUNT(*) FROM follow_deliveries WHERE outbox_id IS NULL) AS n`)!.n;
  if (tried === 0 && left === 0) break;
  if (tried === 0) await new Promise((resolve) => setTimeout(resolve, 50));
}
smtp.close();
say("done");
process.exit(0);
