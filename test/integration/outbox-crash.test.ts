/**
 * The crash test of issue 14: the sender runs in a child process (test/support/mail-sender-child.ts)
 * against a real SMTP server (smtp-server) while it sends a few hundred messages, and is killed
 * with SIGKILL at random moments, at least 50 times, and started again each time. Afterwards every
 * event has reached every subscriber, and the server saw no two messages with different
 * Message-IDs for one (subscriber, event). (The same Message-ID twice is allowed: a kill between
 * the server's "250" and the sender's record of it sends the very same message again.)
 *
 * Kill moments are drawn relative to observed progress, never to time: at a random "turn" line
 * (fan-out under way), after a random number of "sent" lines, or inside the SMTP server at a
 * random accepted message, just before or just after it answers "250".
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, type Db } from "../../db/client.server";
import { env } from "~/env.server";
import { addExtension, addResponse, createLetter } from "../factories";
import { bundleScript } from "../support/bundle";
import { freshDatabase } from "../support/database";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp";

const LETTERS = 8;
const FOLLOWS_PER_LETTER = 12;
const KILLS = 50;

interface Received {
  messageId: string;
  to: string;
}

let db: Db;
let child: string;
let server: TestSmtpServer;
let smtpUrl: string;
/** Set by a run that means to be killed inside the SMTP server: which accepted message, and when. */
let killInServer: { after: number; moment: "before-250" | "after-250"; kill: () => void } | null = null;
let acceptedThisRun = 0;

beforeAll(async () => {
  db = freshDatabase();
  child = await bundleScript("test/support/mail-sender-child.ts");
  // The shared test server (test/support/smtp.ts); its hooks count what it accepts and kill the
  // sender inside the exchange, just before or just after the "250".
  server = await startSmtpServer({
    hooks: {
      beforeAnswer() {
        acceptedThisRun += 1;
        const plan = killInServer;
        if (plan && acceptedThisRun >= plan.after && plan.moment === "before-250") {
          killInServer = null;
          plan.kill(); // the client dies before the answer: not delivered
          return Object.assign(new Error("connection lost"), { responseCode: 421 });
        }
        return undefined;
      },
      afterAnswer() {
        const plan = killInServer;
        if (plan && acceptedThisRun >= plan.after && plan.moment === "after-250") {
          killInServer = null;
          plan.kill(); // delivered, and the sender dies before it records it
        }
      },
    },
  });
  smtpUrl = server.url;
}, 120_000);

afterAll(async () => {
  await server.close();
  closeDb();
});

type Plan = { kind: "turn"; at: number } | { kind: "sent"; at: number } | { kind: "server"; after: number; moment: "before-250" | "after-250" } | { kind: "none" };

/** Starts the sender, kills it as `plan` says (or lets it finish); resolves whether it was killed. */
function runSender(offsetMs: number, plan: Plan): Promise<{ killed: boolean; done: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    acceptedThisRun = 0;
    const proc: ChildProcess = spawn(process.execPath, [child, String(offsetMs)], {
      env: { ...process.env, DATABASE_PATH: env.DATABASE_PATH, SMTP_URL: smtpUrl, NODE_ENV: "test", MAIL_SENDER: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let killed = false;
    let done = false;
    let stderr = "";
    const kill = () => {
      if (!killed && proc.exitCode === null) {
        killed = true;
        proc.kill("SIGKILL");
      }
    };
    if (plan.kind === "server") killInServer = { after: plan.after, moment: plan.moment, kill };
    let turns = 0;
    let sent = 0;
    let buffer = "";
    proc.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line === "turn") turns += 1;
        if (line.startsWith("sent ")) sent += 1;
        if (line === "done") done = true;
        if (plan.kind === "turn" && turns >= plan.at) kill();
        if (plan.kind === "sent" && sent >= plan.at) kill();
      }
    });
    proc.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    proc.on("error", reject);
    proc.on("exit", () => {
      killInServer = null;
      resolve({ killed, done, stderr });
    });
  });
}

const randomInt = (max: number) => randomBytes(4).readUInt32BE(0) % max;

function randomPlan(): Plan {
  switch (randomInt(4)) {
    case 0:
      return { kind: "turn", at: 1 + randomInt(3) };
    case 1:
      return { kind: "sent", at: 1 + randomInt(12) };
    default:
      return { kind: "server", after: 1 + randomInt(12), moment: randomInt(2) === 0 ? "before-250" : "after-250" };
  }
}

describe("the sender killed with SIGKILL at random moments", () => {
  it("delivers every event to every subscriber, never as two different messages", async () => {
    const confirmedAt = Date.now() - 60_000;
    // Deadlines ahead (and after every extension below): the only events are the test's own
    // changes, not a letter overdue at its logging (its implied deadline long passed otherwise).
    const letters = Array.from({ length: LETTERS }, () => createLetter(db, { sent_on: "2026-01-01", deadline: "2027-12-31" }));
    const followsOf = new Map<number, Array<{ id: number; email: string }>>();
    for (const letter of letters) {
      const follows: Array<{ id: number; email: string }> = [];
      for (let n = 0; n < FOLLOWS_PER_LETTER; n++) {
        const email = `reader-${letter.id}-${n}@example.org`;
        const { id } = db.get<{ id: number }>(sql`
          INSERT INTO follows (email, subject_kind, subject_key, subject_label, cadence, digest_hour, secret, created_at, confirmed_at)
          VALUES (${email}, 'letter', ${letter.slug}, 'A letter', 'immediate', 7, ${randomBytes(16).toString("hex")}, ${confirmedAt}, ${confirmedAt}) RETURNING id`)!;
        follows.push({ id, email });
      }
      followsOf.set(letter.id, follows);
    }
    db.run(sql`UPDATE letter_events SET fanned_out = 1`); // the letters' "logged" events came before the follows

    let kills = 0;
    let runs = 0;
    let offset = 0;
    const stderrs: string[] = [];
    // Each round: a change on one letter (a dozen followers to tell), then a sender that is killed.
    while (kills < KILLS) {
      const letter = letters[runs % LETTERS]!;
      if (runs % 2 === 0) addResponse(db, letter.id, { receivedOn: "2026-01-02", completeness: "partial" });
      else addExtension(db, letter.id, { newDeadline: `2027-0${1 + (runs % 9)}-15`, grantedOn: "2026-01-03" });
      offset += 10 * 60_000; // past the dead sender's lease (2 min) and its message's hold (1 min)
      const outcome = await runSender(offset, randomPlan());
      runs += 1;
      if (outcome.killed) kills += 1;
      else if (!outcome.done) stderrs.push(outcome.stderr);
    }
    // Then one run left alone to the end.
    offset += 10 * 60_000;
    const last = await runSender(offset, { kind: "none" });
    expect(last.stderr).toBe("");
    expect(last.done).toBe(true);
    expect(stderrs).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(KILLS);

    // Every event reached every subscriber of its letter ...
    const events = db.all<{ id: number; letterId: number }>(sql`SELECT id, letter_id AS letterId FROM letter_events WHERE kind <> 'letter_logged'`);
    expect(events.length).toBe(runs);
    const messageOf = new Map(db.all<{ id: number; messageId: string; to: string }>(sql`SELECT id, message_id AS messageId, to_address AS "to" FROM outbox`).map((m) => [m.messageId, m]));
    const pairsOf = new Map<number, string[]>(); // outbox id -> "follow:event"
    for (const row of db.all<{ outboxId: number; followId: number; eventId: number }>(sql`
      SELECT outbox_id AS outboxId, follow_id AS followId, event_id AS eventId FROM follow_deliveries WHERE outbox_id IS NOT NULL`)) {
      pairsOf.set(row.outboxId, [...(pairsOf.get(row.outboxId) ?? []), `${row.followId}:${row.eventId}`]);
    }
    const idsOfPair = new Map<string, Set<string>>();
    const received: Received[] = server.received.map((mail) => ({ messageId: mail.messageId, to: mail.to.join(",") }));
    for (const mail of received) {
      const message = messageOf.get(mail.messageId);
      expect(message, `a message the outbox never wrote: ${mail.messageId}`).toBeTruthy();
      expect(mail.to).toBe(message!.to);
      for (const pair of pairsOf.get(message!.id) ?? []) idsOfPair.set(pair, (idsOfPair.get(pair) ?? new Set()).add(mail.messageId));
    }
    const expected = events.flatMap((event) => followsOf.get(event.letterId)!.map((follow) => `${follow.id}:${event.id}`));
    expect(expected.length).toBeGreaterThanOrEqual(KILLS * FOLLOWS_PER_LETTER);
    const missing = expected.filter((pair) => !idsOfPair.has(pair));
    expect(missing, "(follow, event) pairs no received message carried").toEqual([]);
    // ... and never as two different messages.
    const twice = [...idsOfPair].filter(([, ids]) => ids.size > 1).map(([pair]) => pair);
    expect(twice, "(follow, event) pairs received under two Message-IDs").toEqual([]);
    expect(db.get(sql`SELECT COUNT(*) AS n FROM outbox WHERE state <> 'sent'`)).toEqual({ n: 0 });
  }, 1_800_000);
});
