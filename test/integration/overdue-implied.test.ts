/**
 * Follows see implied deadlines (issue 13, decision 0014): the daily overdue pass reads the stored
 * effective deadline, which for a letter that sets no deadline is DEFAULT_RESPONSE_DAYS after
 * sending; with 0 such a letter is never overdue and gets no event.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { recordOverdueEvents } from "~/models/letter-events.server";
import { syncStateSettings } from "~/models/letter-state.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
beforeAll(() => {
  db = freshDatabase();
});

const overdueEvents = (letterId: number) =>
  db.all<{ details: string; dedupe_key: string }>(
    sql`SELECT details, dedupe_key FROM letter_events WHERE kind = 'letter_overdue' AND letter_id = ${letterId}`,
  );

describe("the daily overdue pass and implied deadlines", () => {
  it("a letter without a deadline is overdue DEFAULT_RESPONSE_DAYS after sending, and not before", () => {
    syncStateSettings(db, 30);
    const silent = createLetter(db, { sent_on: "2024-05-01", deadline: null });
    db.transaction((tx) => recordOverdueEvents(tx, "2024-05-31"));
    expect(overdueEvents(silent.id)).toEqual([]);
    db.transaction((tx) => recordOverdueEvents(tx, "2024-06-01"));
    expect(overdueEvents(silent.id)).toEqual([{ details: JSON.stringify({ deadline: "2024-05-31" }), dedupe_key: `overdue:${silent.id}:2024-05-31` }]);
  });

  it("with DEFAULT_RESPONSE_DAYS 0 such a letter is never overdue", () => {
    const silent = createLetter(db, { sent_on: "2024-05-02", deadline: null, title: "Never due" });
    syncStateSettings(db, 0);
    db.transaction((tx) => recordOverdueEvents(tx, "2026-01-01"));
    expect(overdueEvents(silent.id)).toEqual([]);
    syncStateSettings(db, 30);
  });
});
