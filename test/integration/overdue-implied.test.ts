/**
 * Follows see implied deadlines (issue 13, decision 0014): the daily overdue pass reads the stored
 * effective deadline, which for a letter that sets no deadline is DEFAULT_RESPONSE_DAYS after
 * sending; with 0 such a letter is never overdue and gets no event. A letter written when its
 * implied deadline has already passed gets the event from the write (recordOverdueOnWrite).
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { recordOverdueEvents } from "~/models/letter-events.server";
import { addCalendarDays, today } from "~/domain/dates";
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
  const day = today();

  it("a letter without a deadline is overdue DEFAULT_RESPONSE_DAYS after sending, and not before", () => {
    syncStateSettings(db, 30);
    const sentOn = addCalendarDays(day, -10);
    const implied = addCalendarDays(sentOn, 30);
    const silent = createLetter(db, { sent_on: sentOn, deadline: null });
    db.transaction((tx) => recordOverdueEvents(tx, implied));
    expect(overdueEvents(silent.id)).toEqual([]);
    db.transaction((tx) => recordOverdueEvents(tx, addCalendarDays(implied, 1)));
    expect(overdueEvents(silent.id)).toEqual([{ details: JSON.stringify({ deadline: implied, source: "implied", defaultDays: 30 }), dedupe_key: `overdue:${silent.id}:${implied}` }]);
  });

  it("a letter logged long after its implied deadline gets its event from the write", () => {
    syncStateSettings(db, 30);
    const late = createLetter(db, { sent_on: "2024-05-01", deadline: null, title: "Logged late" });
    expect(overdueEvents(late.id)).toEqual([{ details: JSON.stringify({ deadline: "2024-05-31", source: "implied", defaultDays: 30 }), dedupe_key: `overdue:${late.id}:2024-05-31` }]);
  });

  it("with DEFAULT_RESPONSE_DAYS 0 such a letter is never overdue", () => {
    const silent = createLetter(db, { sent_on: addCalendarDays(day, -5), deadline: null, title: "Never due" });
    syncStateSettings(db, 0);
    db.transaction((tx) => recordOverdueEvents(tx, addCalendarDays(day, 60)));
    expect(overdueEvents(silent.id)).toEqual([]);
    syncStateSettings(db, 30);
  });
});
