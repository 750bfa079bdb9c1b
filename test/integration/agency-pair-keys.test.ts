/**
 * agencyFigures keeps one (letter, agency) pair per letter and agency with a numeric key
 * (letterId × 2^21 + agencyId). An agency id past 2^21 would make letter L's pair with it the same
 * number as letter L+1's pair with a small id; such ids take a text key instead, so no letter is
 * dropped from an agency's figures.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { today } from "~/domain/dates";
import { agencyFigures } from "~/models/dashboard.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";

const SPAN = 2 ** 21;
const near = { name: "Ann Near", title: "Director", agency: "Near Agency" };
const far = { name: "Bo Far", title: "Director", agency: "Far Agency" };
let db: Db;

beforeAll(() => {
  db = freshDatabase();
  createLetter(db, { sent_on: "2025-01-10", recipients: [near] });
  const nearId = db.get<{ id: number }>(sql`SELECT id FROM agencies WHERE name = 'Near Agency'`)!.id;
  db.run(sql`INSERT INTO agencies (id, slug, name) VALUES (${SPAN + nearId}, 'far-agency', 'Far Agency')`);
  // Letter L to the far agency, then letter L + 1 to the near one: the numeric keys would clash.
  const first = createLetter(db, { sent_on: "2025-01-11", recipients: [far] });
  const second = createLetter(db, { sent_on: "2025-01-12", recipients: [near] });
  expect(second.id).toBe(first.id + 1);
  expect(db.get<{ id: number }>(sql`SELECT agency_id AS id FROM letter_recipients WHERE letter_id = ${first.id}`)!.id).toBe(SPAN + nearId);
});

describe("agency figures with an agency id past the numeric key's span", () => {
  it("count every letter of each agency", () => {
    const letters = new Map(agencyFigures({ asOf: today() }).map((agency) => [agency.slug, agency.letters]));
    expect(letters.get("far-agency")).toBe(1);
    expect(letters.get("near-agency")).toBe(2);
  });
});
