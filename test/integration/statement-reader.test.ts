/**
 * statementReader keeps each connection's most recently run statement texts prepared: a statement a
 * page runs on every request stays prepared however many one-off texts run between its runs
 * (attack 27, Low: it forgot the oldest text first, used or not).
 */
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { connectionOf, READER_STATEMENTS, statementReader } from "~/models/prepared.server";
import { freshDatabase } from "../support/database";

describe("statementReader", () => {
  it("keeps a text run often prepared while more than its room of other texts run in between", () => {
    const db = freshDatabase();
    const prepare = vi.spyOn(connectionOf(db), "prepare");
    const read = statementReader(db);
    const everyRequest = () => read<{ n: number }>(sql`select count(*) as n from letters where id > ${0}`);
    expect(everyRequest()).toEqual([{ n: 0 }]);
    for (let i = 0; i < READER_STATEMENTS * 2; i++) {
      // A text of its own each time (the number is in the SQL, not bound).
      read(sql.raw(`select ${i} as one_off`));
      everyRequest();
    }
    const preparedTexts = prepare.mock.calls.map(([text]) => text);
    expect(preparedTexts.filter((text) => text.includes("from letters"))).toHaveLength(1);
    expect(preparedTexts.filter((text) => text.includes("one_off"))).toHaveLength(READER_STATEMENTS * 2);
  });

  it("prepares a text it has forgotten again, and still reads what it says", () => {
    const db = freshDatabase();
    const prepare = vi.spyOn(connectionOf(db), "prepare");
    const read = statementReader(db);
    expect(read(sql`select ${7} as seven`)).toEqual([{ seven: 7 }]);
    for (let i = 0; i < READER_STATEMENTS; i++) read(sql.raw(`select ${i} as one_off`));
    expect(read(sql`select ${8} as seven`)).toEqual([{ seven: 8 }]);
    expect(prepare.mock.calls.filter(([text]) => text.includes("as seven"))).toHaveLength(2);
  });
});
