/**
 * ATTACK: the writer promises "nothing before the sent date" for every fact of a letter, but an
 * edit that moves the sent date later only checks it against the responses
 * (letter-writer.server.ts checkLetterInput). Extensions granted, the closing date and the letters
 * that follow this one up can all end up before the letter was sent: states the writer refuses
 * when they are entered directly.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { letters } from "../../db/schema";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { letterInputFromRecord } from "~/domain/letter-input";
import { saveLetter, writeTransaction, writeResponse } from "~/models/letter-writer.server";
import { addExtension, buildLetterRecord, closeLetter, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
beforeEach(() => {
  db = freshDatabase();
});

const moveSentOn = (slug: string, sentOn: string) =>
  saveLetter({ slug, input: { ...letterInputFromRecord(buildLetterRecord({ id: slug, sent_on: sentOn })), slug }, actor: SYSTEM_ACTOR });

describe("ATTACK: moving the sent date after the letter's own facts", () => {
  it("control: a response before the new sent date is refused", () => {
    const letter = createLetter(db, { id: "with-response", sent_on: "2025-01-10" });
    writeTransaction((tx) => writeResponse({ tx, letterId: letter.id, actor: SYSTEM_ACTOR, input: { receivedOn: "2025-02-01", from: "A", completeness: "partial", summary: null, sourceUrl: null, notes: null } }));
    expect(moveSentOn("with-response", "2025-03-01").ok).toBe(false);
  });

  it("refuses a sent date after an extension was granted", () => {
    const letter = createLetter(db, { id: "with-extension", sent_on: "2025-01-10", deadline: "2025-02-01" });
    addExtension(db, letter.id, { grantedOn: "2025-01-20", newDeadline: "2025-03-01" });
    expect(moveSentOn("with-extension", "2025-02-15").ok).toBe(false);
  });

  it("refuses a sent date after the letter was closed", () => {
    const letter = createLetter(db, { id: "closed", sent_on: "2025-01-10" });
    closeLetter(db, letter.id, "2025-01-20");
    expect(moveSentOn("closed", "2025-02-15").ok).toBe(false);
  });

  it("refuses a sent date after a letter that follows it up", () => {
    createLetter(db, { id: "first", sent_on: "2025-01-10" });
    createLetter(db, { id: "follow-up", sent_on: "2025-02-01", follows_up: "first" });
    const moved = moveSentOn("first", "2025-03-01");
    const stored = db.select({ sentOn: letters.sentOn }).from(letters).where(eq(letters.slug, "first")).get();
    expect(moved.ok, `stored sent date ${stored?.sentOn}, its follow-up was sent 2025-02-01`).toBe(false);
  });
});

describe("ATTACK: follow-up cycles through edits", () => {
  it("refuses making two letters follow each other up", async () => {
    createLetter(db, { id: "cycle-a", sent_on: "2025-01-10" });
    createLetter(db, { id: "cycle-b", sent_on: "2025-02-01", follows_up: "cycle-a" });
    const saved = saveLetter({
      slug: "cycle-a",
      input: { ...letterInputFromRecord(buildLetterRecord({ id: "cycle-a", sent_on: "2025-03-01", follows_up: "cycle-b" })), slug: "cycle-a" },
      actor: SYSTEM_ACTOR,
    });
    const { getLetterDetail } = await import("~/models/letters.server");
    const started = Date.now();
    const detail = getLetterDetail({ slug: "cycle-a", asOf: "2026-01-01" as never });
    expect(saved.ok, `cycle stored; the letter page's chain has ${detail?.chain.length} entries, read in ${Date.now() - started} ms`).toBe(false);
  });
});
