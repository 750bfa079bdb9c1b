/**
 * attack12: the walked letter orders (letterOrderWalks) against the single ORDER BY on odd data:
 * letters sent in the future, closed on a future date, without deadlines, answered in the future,
 * every status combination, page sizes of the API, pages beyond the end.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.FIGURE_CACHE = "off";
});

import type { Db } from "../../db/client.server";
import { today, addCalendarDays as addDays } from "~/domain/dates";
import { parseLetterFilters } from "~/domain/filters";
import { listLetters } from "~/models/letters.server";
import { refreshLetterState } from "~/models/letter-state.server";
import { sql } from "drizzle-orm";
import { seedSyntheticLetters, createLetter, closeLetter, addResponse } from "../factories";
import { freshDatabase } from "../support/database";
import { previousLetterPage } from "../support/previous-queries";

let db: Db;

beforeAll(() => {
  db = freshDatabase();
  const now = today();
  // Synthetic letters up to two months from now: sent, answered, extended and closed in the future.
  seedSyntheticLetters(db, { letters: 400, seed: 5, endDate: now });
  const odd: number[] = [];
  for (let i = 0; i < 12; i++) {
    const future = createLetter(db, { sent_on: addDays(now, -1), deadline: i % 2 ? null : addDays(now, 30) });
    odd.push(future.id);
    const past = createLetter(db, { sent_on: addDays(now, -10 - i), deadline: i % 3 ? null : addDays(now, -2) });
    if (i % 3 === 0) closeLetter(db, past.id, addDays(now, -1));
    if (i % 5 === 0) addResponse(db, past.id, { receivedOn: now, completeness: "partial" });
    if (i % 3 === 0) odd.push(past.id);
  }
  // What the app's rules refuse today but the data may still hold (a clock set back, an import
  // under other rules): letters sent in the future, closed on a future date.
  db.transaction((tx) => {
    for (const [index, id] of odd.entries()) {
      tx.run(sql`UPDATE letters SET sent_on = CASE WHEN sent_on = ${addDays(now, -1)} THEN ${addDays(now, 1 + (index % 3))} ELSE sent_on END,
        closed_on = CASE WHEN closed_on IS NOT NULL THEN ${addDays(now, 2 + index)} END WHERE id = ${id}`);
    }
    refreshLetterState({ tx, letterIds: odd });
  });
  const counts = db.all(sql`SELECT (sent_on > ${now}) AS future, (closed_on > ${now}) AS closesLater, COUNT(*) AS n FROM letters GROUP BY 1, 2`);
  expect(counts.length).toBeGreaterThan(2);
});

const orders = ["sort=deadline", "sort=deadline&dir=asc", "sort=outstanding", "sort=outstanding&dir=asc", "sort=status", "sort=status&dir=asc"];
const selections = ["", "&status=awaiting", "&status=closed", "&status=overdue", "&status=awaiting&status=closed", "&status=full&status=refused&status=awaiting", "&status=closed&status=overdue&status=partial"];

describe("walked orders on odd data equal the single ORDER BY", () => {
  it.each(orders.flatMap((order) => selections.map((selection) => `${order}${selection}`)))("every page of %s", (query) => {
    const asOf = today();
    for (const pageSize of [7, 20, 500]) {
      const filters = (page: number) => parseLetterFilters(new URLSearchParams(`${query}&page=${page}`)).filters;
      const first = listLetters({ filters: filters(1), asOf, pageSize });
      const seen: number[] = [];
      for (let page = 1; page <= first.pageCount + 2; page++) {
        const now = listLetters({ filters: filters(page), asOf, pageSize });
        const before = previousLetterPage({ filters: filters(page), asOf, pageSize });
        expect(now.letters.map((l) => l.id), `${query} size ${pageSize} page ${page}`).toEqual(before.letters.map((l) => (l as { id: number }).id));
        if (page <= first.pageCount) seen.push(...now.letters.map((l) => l.id));
      }
      expect(new Set(seen).size).toBe(first.total);
    }
  });
});
