/**
 * The daily overdue pass (decision 0016) runs on the event loop at every turn of the mail sender:
 * at 100,000 letters, scanning every overdue letter held the loop for seconds (the bench's mixed
 * load, event loop delay max 2.1 s). It now reads only deadlines that passed in the last week, by
 * index; a letter written with its deadline already passed gets its event from the write.
 */
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { addCalendarDays, today } from "~/domain/dates";
import { OVERDUE_CATCH_UP_DAYS, recordOverdueEvents } from "~/models/letter-events.server";
import { addExtension, addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { queryPlans } from "../support/query-plans";

let db: Db;
beforeEach(() => {
  db = freshDatabase();
});

const overdueEvents = (letterId: number) =>
  db.all<{ deadline: string }>(sql`SELECT json_extract(details, '$.deadline') AS deadline FROM letter_events WHERE kind = 'letter_overdue' AND letter_id = ${letterId} ORDER BY id`);
const pass = (day = today()) => db.transaction((tx) => recordOverdueEvents(tx, day), { behavior: "immediate" });

describe("the overdue pass", () => {
  const day = today();
  const sentOn = addCalendarDays(day, -60);

  it("tells of a deadline that passed in the last days, once, and not of a letter answered", () => {
    const deadline = addCalendarDays(day, 10);
    const open = createLetter(db, { sent_on: sentOn, deadline });
    const answered = createLetter(db, { sent_on: sentOn, deadline });
    addResponse(db, answered.id, { receivedOn: day, completeness: "full" });
    expect(overdueEvents(open.id)).toEqual([]);
    expect(pass(addCalendarDays(deadline, 2))).toBe(1);
    expect(pass(addCalendarDays(deadline, 3))).toBe(0);
    expect(overdueEvents(open.id)).toEqual([{ deadline }]);
    expect(overdueEvents(answered.id)).toEqual([]);
  });

  it(`catches up on ${OVERDUE_CATCH_UP_DAYS} days (a server that was down), not on every deadline ever passed`, () => {
    const deadline = addCalendarDays(day, 10);
    const open = createLetter(db, { sent_on: sentOn, deadline });
    expect(pass(addCalendarDays(deadline, OVERDUE_CATCH_UP_DAYS + 1))).toBe(0);
    expect(pass(addCalendarDays(deadline, OVERDUE_CATCH_UP_DAYS))).toBe(1);
    expect(overdueEvents(open.id)).toEqual([{ deadline }]);
  });

  it("reads the letters by their (answer status, deadline) index, never every letter", () => {
    createLetter(db, { sent_on: sentOn, deadline: addCalendarDays(day, 10) });
    const plans = queryPlans(db, () => pass(addCalendarDays(day, 12)), /letter_overdue/);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatch(/SEARCH letters USING INDEX letters_answer_status_idx \(answer_status=\? AND effective_deadline>\? AND effective_deadline<\?\)/);
    expect(plans[0]).not.toMatch(/SCAN letters/);
  });
});

describe("a write that leaves a letter open past its deadline", () => {
  const day = today();

  it("records the overdue event itself: a letter logged late, an extension entered already passed", () => {
    const deadline = addCalendarDays(day, -30);
    const late = createLetter(db, { sent_on: addCalendarDays(day, -90), deadline });
    expect(overdueEvents(late.id)).toEqual([{ deadline }]);
    const extended = addCalendarDays(day, -10);
    addExtension(db, late.id, { newDeadline: extended, grantedOn: addCalendarDays(day, -20) });
    expect(overdueEvents(late.id)).toEqual([{ deadline }, { deadline: extended }]);
    // Once answered, a later write tells nothing more.
    addResponse(db, late.id, { receivedOn: day, completeness: "full" });
    expect(overdueEvents(late.id)).toHaveLength(2);
    // And the daily pass never repeats what the write told.
    expect(pass(addCalendarDays(extended, 1))).toBe(0);
  });

  it("records nothing for a letter whose deadline is still ahead", () => {
    const ahead = createLetter(db, { sent_on: addCalendarDays(day, -5), deadline: addCalendarDays(day, 5) });
    expect(overdueEvents(ahead.id)).toEqual([]);
  });
});
