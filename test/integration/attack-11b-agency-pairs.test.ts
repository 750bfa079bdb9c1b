/**
 * Attack on agencyFigures' (letter, agency) pairs deduplicated in JavaScript (decision 0024): a
 * letter to several officials of one agency counts once for it, with and without agencySlugs, over
 * a member's letters, as of past dates and today; selectionProfile as of a past date gives each
 * agency's figures over the member's own letters. Compared with counts made independently (SQL
 * over letter_recipients, and the questions list filtered by agency).
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { ALL_LETTERS, parseQuestionFilters } from "~/domain/filters";
import { today } from "~/domain/dates";
import { agencyFigures, selectionProfile } from "~/models/dashboard.server";
import { listQuestions } from "~/models/questions.server";
import { addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
const STATE = "u-s-department-of-state";
const DEFENSE = "u-s-department-of-defense";
const rubio = { name: "Marco Rubio", title: "Secretary of State", agency: "U.S. Department of State" };
const landau = { name: "Christopher Landau", title: "Deputy Secretary of State", agency: "U.S. Department of State" };
const hegseth = { name: "Pete Hegseth", title: "Secretary of Defense", agency: "U.S. Department of Defense" };
const feinberg = { name: "Steve Feinberg", title: "Deputy Secretary of Defense", agency: "U.S. Department of Defense" };
const raskin = [{ name: "Jamie Raskin", party: "D" as const, state: "MD", role: "Ranking Member, House Judiciary" }];
const comer = [{ name: "James Comer", party: "R" as const, state: "KY", role: "Chairman, House Oversight" }];
const DATES = ["2025-01-05", "2025-01-20", "2025-02-20", "2025-03-20", "2025-05-01", today()];

/** Letters sent by `asOf` to `agency` (any of its officials), each once; those of `member` only when given. */
function lettersTo(agency: string, asOf: string, member?: string): number {
  return db.get<{ n: number }>(sql`SELECT COUNT(DISTINCT lr.letter_id) AS n FROM letter_recipients lr
    JOIN agencies a ON a.id = lr.agency_id JOIN letters l ON l.id = lr.letter_id
    WHERE a.slug = ${agency} AND l.sent_on <= ${asOf}
      ${member ? sql`AND l.id IN (SELECT ls.letter_id FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE m.slug = ${member})` : sql``}`)!.n;
}

/** Letters sent by `asOf` to `agency` with a substantive response received by then. */
function answeredTo(agency: string, asOf: string, member?: string): number {
  return db.get<{ n: number }>(sql`SELECT COUNT(DISTINCT lr.letter_id) AS n FROM letter_recipients lr
    JOIN agencies a ON a.id = lr.agency_id JOIN letters l ON l.id = lr.letter_id
    WHERE a.slug = ${agency} AND l.sent_on <= ${asOf}
      AND EXISTS (SELECT 1 FROM responses r WHERE r.letter_id = l.id AND r.received_on <= ${asOf} AND r.completeness <> 'acknowledgment')
      ${member ? sql`AND l.id IN (SELECT ls.letter_id FROM letter_senders ls JOIN members m ON m.id = ls.member_id WHERE m.slug = ${member})` : sql``}`)!.n;
}

const openQuestionsTo = (agency: string, asOf: string, member?: string) =>
  listQuestions({ filters: parseQuestionFilters(new URLSearchParams(`agency=${agency}${member ? `&member=${member}` : ""}`)).filters, asOf }).total;

beforeAll(() => {
  db = freshDatabase();
  // Two officials of State.
  createLetter(db, { sent_on: "2025-01-10", recipients: [rubio, landau], senders: raskin });
  // State and Defense, answered in February.
  const answered = createLetter(db, { sent_on: "2025-01-15", recipients: [rubio, hegseth], senders: raskin });
  addResponse(db, answered.id, { receivedOn: "2025-02-10", completeness: "full" });
  // Two officials of Defense and one of State, the first official listed being Defense's deputy.
  createLetter(db, { sent_on: "2025-03-01", recipients: [feinberg, rubio, hegseth], senders: raskin });
  // Another member's letter to both officials of each.
  const other = createLetter(db, { sent_on: "2025-04-01", recipients: [landau, hegseth, rubio, feinberg], senders: comer });
  addResponse(db, other.id, { receivedOn: "2025-04-20", completeness: "partial" });
});

describe("agency figures over letters to several officials of one agency", () => {
  it("count each letter once per agency, with and without agencySlugs", () => {
    for (const asOf of DATES) {
      for (const slugs of [undefined, [STATE], [DEFENSE], [STATE, DEFENSE]]) {
        const figures = agencyFigures({ asOf, agencySlugs: slugs });
        for (const agency of [STATE, DEFENSE]) {
          if (slugs && !slugs.includes(agency)) continue;
          const found = figures.find((row) => row.slug === agency);
          const expected = { letters: lettersTo(agency, asOf), answered: answeredTo(agency, asOf), openQuestions: openQuestionsTo(agency, asOf) };
          const got = found ? { letters: found.letters, answered: found.answered.count, openQuestions: found.openQuestions } : { letters: 0, answered: 0, openQuestions: 0 };
          expect(got, `${agency} as of ${asOf}, agencySlugs ${JSON.stringify(slugs)}`).toEqual(expected);
        }
      }
    }
  });

  it("over one member's letters, and in the member's profile of a past date and of today", () => {
    for (const asOf of DATES) {
      const selection = { ...ALL_LETTERS, member: "jamie-raskin" };
      const own = agencyFigures({ asOf, selection: selection as never });
      const profile = selectionProfile({ asOf, selection: selection as never });
      for (const agency of [STATE, DEFENSE]) {
        const expected = { letters: lettersTo(agency, asOf, "jamie-raskin"), answered: answeredTo(agency, asOf, "jamie-raskin") };
        const found = own.find((row) => row.slug === agency);
        expect(found ? { letters: found.letters, answered: found.answered.count } : { letters: 0, answered: 0 }, `${agency} as of ${asOf}`).toEqual(expected);
        const row = profile.agencies.find((entry) => entry.slug === agency) as unknown as { lettersFromSelection: number; letters: number } | undefined;
        expect(row?.lettersFromSelection ?? 0, `profile ${agency} as of ${asOf}`).toBe(expected.letters);
        if (row) {
          // As of today over all the agency's letters; as of a past date over the member's own.
          expect(row.letters, `profile ${agency} letters as of ${asOf}`).toBe(
            asOf === today() ? lettersTo(agency, asOf) : expected.letters,
          );
          expect(profile.agencyFiguresOver).toBe(asOf === today() ? "all letters" : "selection");
        }
      }
    }
  });
});
