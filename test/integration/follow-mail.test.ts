/**
 * Following by email against a real SMTP server (smtp-server, messages parsed with mailparser) and
 * a real SQLite file: double opt-in, the same answer for a known address, an alert with the right
 * headers, retries with back-off, giving up with the reason, no second Message-ID after a crash,
 * one-click unsubscribe by POST with no cookie, digests, throttling, and the events the writer
 * records in the same transaction as the change.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { confirmFollow, requestFollow } from "~/models/follows.server";
import { writeClosing } from "~/models/letter-writer.server";
import { listOutbox, nextDueMessage, noteAttempt, writeDueDigests } from "~/models/outbox.server";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileTransport, runMailTurn } from "~/utils/mail-sender.server";
import { action as unsubscribeAction } from "~/routes/unsubscribe";
import { addExtension, addResponse, createLetter } from "../factories";
import { freshDatabase, tableCounts } from "../support/database";
import { useSmtpServer } from "../support/mail";

let db: Db;
let clock = Date.now();
const now = () => clock;
let client = 0;

/** The SMTP server and the transport to it, for every test here (test/support/mail.ts). */
const mail = useSmtpServer();
beforeEach(() => {
  db = freshDatabase();
  clock = Date.now();
});

const follow = (email: string, kind: "letter" | "agency", key: string, cadence: "immediate" | "daily" = "immediate") =>
  requestFollow({ email, kind, key, cadence, client: `client-${(client += 1)}`, now: clock });

function linkIn(text: string, path: string): string {
  const match = new RegExp(`https?://[^\\s]+${path.replace("/", "\\/")}\\?token=[^\\s>]+`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[0];
}
const tokenOf = (link: string) => decodeURIComponent(new URL(link).searchParams.get("token")!);

async function subscribe(email: string, kind: "letter" | "agency", key: string, cadence: "immediate" | "daily" = "immediate") {
  expect(follow(email, kind, key, cadence)).toEqual({ ok: true });
  const before = mail.smtp.received.length;
  await runMailTurn({ transport: mail.transport, now });
  await mail.smtp.waitFor(before + 1);
  const confirmation = mail.smtp.received[before]!;
  expect(confirmation.parsed.subject).toMatch(/^Confirm: follow/);
  expect(confirmFollow(tokenOf(linkIn(confirmation.parsed.text!, "/follow/confirm")), clock).ok).toBe(true);
  return confirmation;
}

describe("following a letter by email", () => {
  it("sends nothing but the confirmation until confirmed, then one alert per change with the right headers", async () => {
    const letter = createLetter(db);
    expect(follow("reader@example.org", "letter", letter.slug)).toEqual({ ok: true });
    // A change before confirmation reaches nobody, now or later.
    addResponse(db, letter.id, { receivedOn: "2025-01-20", completeness: "acknowledgment" });
    await runMailTurn({ transport: mail.transport, now });
    await mail.smtp.waitFor(1);
    expect(mail.smtp.received).toHaveLength(1);
    const confirmation = mail.smtp.received[0]!;
    expect(confirmation.to).toEqual(["reader@example.org"]);
    expect(confirmFollow(tokenOf(linkIn(confirmation.parsed.text!, "/follow/confirm")), clock).ok).toBe(true);
    await runMailTurn({ transport: mail.transport, now });
    expect(mail.smtp.received).toHaveLength(1);

    // Asking again once following: the same answer, and nothing is sent.
    expect(follow("Reader@Example.org", "letter", letter.slug)).toEqual({ ok: true });
    await runMailTurn({ transport: mail.transport, now });
    expect(mail.smtp.received).toHaveLength(1);

    clock += 1000;
    addResponse(db, letter.id, { receivedOn: "2025-01-25", completeness: "full", from: "Department of State" });
    await runMailTurn({ transport: mail.transport, now });
    const [, alert] = await mail.smtp.waitFor(2);
    expect(mail.smtp.received).toHaveLength(2);
    expect(alert!.parsed.subject).toBe(`Response logged: Test letter ${letter.slug.split("-").pop()}`);
    expect(alert!.parsed.text).toContain("Response logged from Department of State, received 2025-01-25: full answer. It answered questions 1, 2 of 2.");
    expect(alert!.parsed.text).toContain(`/letters/${letter.slug}`);
    expect(alert!.parsed.html).toContain(`/letters/${letter.slug}`);
    expect(alert!.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(alert!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/im);
    const listUnsubscribe = alert!.raw.match(/^List-Unsubscribe:\s*<([^>]+)>/im)![1]!;
    expect(listUnsubscribe).toContain("/unsubscribe?token=");
    const row = listOutbox().find((message) => message.kind === "alert")!;
    expect(alert!.parsed.messageId).toBe(row.messageId);
    expect(row.state).toBe("sent");
    expect(row.lastResponse).toMatch(/^250/);

    // One-click unsubscribe: a POST with no cookie and no form token, as a mail program sends it.
    const response = await unsubscribeAction({
      request: new Request(listUnsubscribe, { method: "POST", body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }) }),
      params: {},
      context: {},
    });
    expect((response as { stopped: boolean }).stopped).toBe(true);
    addExtension(db, letter.id, { newDeadline: "2025-03-01", grantedOn: "2025-01-26" });
    await runMailTurn({ transport: mail.transport, now });
    expect(mail.smtp.received).toHaveLength(2);
  });

  it("tries again with growing waits after the server refuses, then gives up with the reason for admins", async () => {
    const letter = createLetter(db);
    await subscribe("retry@example.org", "letter", letter.slug);
    mail.smtp.received.length = 0;
      mail.smtp.refuseNext(2, 451);
    addResponse(db, letter.id, { receivedOn: "2025-01-20", completeness: "partial" });
    await runMailTurn({ transport: mail.transport, now });
    let row = listOutbox().find((message) => message.kind === "alert")!;
    expect(row).toMatchObject({ state: "queued", attempts: 1 });
    expect(row.lastError).toMatch(/451/);
    expect(row.nextAttemptAt).toBe(clock + 60_000);
    // Not before its time.
    await runMailTurn({ transport: mail.transport, now });
    expect(listOutbox().find((message) => message.kind === "alert")!.attempts).toBe(1);
    clock += 60_000;
    await runMailTurn({ transport: mail.transport, now });
    row = listOutbox().find((message) => message.kind === "alert")!;
    expect(row).toMatchObject({ state: "queued", attempts: 2 });
    expect(row.nextAttemptAt).toBe(clock + 120_000);
    clock += 120_000;
    await runMailTurn({ transport: mail.transport, now });
    await mail.smtp.waitFor(1);
    row = listOutbox().find((message) => message.kind === "alert")!;
    expect(row).toMatchObject({ state: "sent", attempts: 3 });
    expect(mail.smtp.received).toHaveLength(1);
    expect(mail.smtp.received[0]!.parsed.messageId).toBe(row.messageId);

    // A permanent refusal: given up at once, with the server's answer.
    mail.smtp.refuseNext(1, 550);
    clock += 1000;
    addExtension(db, letter.id, { newDeadline: "2025-03-01", grantedOn: "2025-01-26" });
    await runMailTurn({ transport: mail.transport, now });
    const failed = listOutbox().find((message) => message.subject.startsWith("Deadline extended"))!;
    expect(failed.state).toBe("failed");
    expect(failed.lastError).toMatch(/^Refused by the mail server: 550/);
  });

  it("sends the same message again, never a different one, after a crash between sending and recording", async () => {
    const letter = createLetter(db);
    await subscribe("crash@example.org", "letter", letter.slug);
    mail.smtp.received.length = 0;
    clock += 1000;
    writeClosingNow(db, letter.id);
    await runMailTurn({ transport: mail.transport, now, batch: 0 }); // events to messages, nothing sent
    // The sender's steps, cut off after the server accepted the message: nothing is recorded.
    const message = nextDueMessage(clock)!;
    noteAttempt(message.id, clock);
    await mail.transport.send(message);
    await mail.smtp.waitFor(1);
    // The process is gone; its lease and the message's hold run out, and another sender goes on.
    clock += 5 * 60_000;
    db.run(sql`DELETE FROM job_leases`);
    await runMailTurn({ transport: mail.transport, now });
    await mail.smtp.waitFor(2);
    expect(mail.smtp.received).toHaveLength(2);
    expect(mail.smtp.received[0]!.parsed.messageId).toBe(mail.smtp.received[1]!.parsed.messageId);
    expect(mail.smtp.received[0]!.parsed.text).toBe(mail.smtp.received[1]!.parsed.text);
    expect(mail.smtp.received[0]!.parsed.date?.getTime()).toBe(mail.smtp.received[1]!.parsed.date?.getTime());
    expect(listOutbox().filter((row) => row.kind === "alert")).toHaveLength(1);
  });

  it("groups a daily follower's events into one digest at the set hour", async () => {
    const first = createLetter(db);
    const second = createLetter(db);
    // Before the digest hour (8), so no turn below writes today's digest early.
    // (Yesterday: the writer stamps events with the real time, after the confirmation.)
    const morning = new Date(clock - 24 * 60 * 60_000);
    morning.setHours(6, 0, 0, 0);
    clock = morning.getTime();
    const agency = db.get<{ slug: string }>(sql`SELECT a.slug FROM agencies a JOIN letter_recipients r ON r.agency_id = a.id WHERE r.letter_id = ${first.id}`)!.slug;
    await subscribe("digest@example.org", "agency", agency, "daily");
    mail.smtp.received.length = 0;
    clock += 1000;
    addResponse(db, first.id, { receivedOn: "2025-01-20", completeness: "partial" });
    addExtension(db, second.id, { newDeadline: "2025-03-01", grantedOn: "2025-01-26" });
    addResponse(db, first.id, { receivedOn: "2025-01-21", completeness: "full" });
    await runMailTurn({ transport: mail.transport, now });
    expect(mail.smtp.received).toHaveLength(0);
    const at = new Date(clock);
    at.setHours(9, 0, 0, 0);
    at.setDate(at.getDate() + 1);
    expect(writeDueDigests({ now: at })).toBe(1);
    expect(writeDueDigests({ now: at })).toBe(0);
    await runMailTurn({ transport: mail.transport, now: () => at.getTime() });
    const [digest] = await mail.smtp.waitFor(1);
    expect(mail.smtp.received).toHaveLength(1);
    // The extension's new deadline has passed too: the daily pass found the letter overdue.
    expect(digest!.parsed.subject).toMatch(/^Today: 4 changes in /);
    expect(digest!.parsed.text).toContain("Overdue: the deadline of 2025-03-01 passed");
    expect(digest!.parsed.text!.match(/Test letter/g)).toHaveLength(2);
    expect(digest!.parsed.text!.match(/Response logged/g)).toHaveLength(2);
    expect(digest!.parsed.text).toContain("Deadline extended to 2025-03-01");
  });

  it("throttles confirmations per address, with a message naming the field", () => {
    const letter = createLetter(db);
    for (let i = 0; i < 3; i += 1) expect(follow("many@example.org", "letter", letter.slug).ok).toBe(true);
    const refused = follow("many@example.org", "letter", letter.slug);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.fieldErrors.email![0]).toMatch(/^Email address: too many requests/);
    expect(follow("other@example.org", "letter", letter.slug).ok).toBe(true);
    const unknown = follow("x@example.org", "letter", "no-such-letter");
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.fieldErrors.key![0]).toMatch(/^What to follow:/);
  });

  it("records events in the writer's transaction: a refused change leaves none", () => {
    const letter = createLetter(db);
    const before = tableCounts(db).letter_events!;
    expect(() => addExtension(db, letter.id, { newDeadline: "2025-03-01", grantedOn: "2099-01-01" })).toThrow();
    expect(tableCounts(db).letter_events).toBe(before);
    addExtension(db, letter.id, { newDeadline: "2025-03-01", grantedOn: "2025-01-26" });
    expect(db.all<{ kind: string }>(sql`SELECT kind FROM letter_events WHERE letter_id = ${letter.id} ORDER BY id`).map((e) => e.kind)).toEqual([
      "letter_logged",
      // Sent in 2025 with no deadline: its implied one (decision 0014) had passed when it was logged.
      "letter_overdue",
      "deadline_extended",
      // The new deadline had already passed (the letter is still open): the write tells at once.
      "letter_overdue",
    ]);
  });
});

describe("without an SMTP server", () => {
  it("writes each message as an .eml file with its Message-ID", async () => {
    const letter = createLetter(db);
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "outbox-"));
    const files = fileTransport(directory);
    expect(follow("eml@example.org", "letter", letter.slug)).toEqual({ ok: true });
    await runMailTurn({ transport: files, now });
    const row = listOutbox()[0]!;
    expect(row).toMatchObject({ state: "sent", kind: "confirm", lastResponse: `written to ${row.id}.eml` });
    const eml = fs.readFileSync(path.join(directory, `${row.id}.eml`), "utf8");
    expect(eml).toContain(`Message-ID: ${row.messageId}`);
    expect(eml).toMatch(/Content-Type: multipart\/alternative/);
    files.close();
  });
});

function writeClosingNow(database: Db, letterId: number) {
  database.transaction((tx) => writeClosing({ tx, letterId, closing: { closedOn: "2025-02-01", reason: "Answered" }, actor: SYSTEM_ACTOR }), { behavior: "immediate" });
}
