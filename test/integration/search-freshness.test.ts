/**
 * Search keeps what the index found (counts, ranks, passages) until searchable text changes
 * (data_revision.search_revision, migration 0020), so an editor extending deadlines every second
 * no longer makes every reader's search run again (issue 11). What a reader relies on: new or
 * edited text is found at once, and each hit's status and days outstanding are today's, read at
 * every request.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { today } from "~/domain/dates";
import { searchRevision } from "~/models/figure-cache.server";
import { search } from "~/models/search.server";
import { agencies, questions } from "../../db/schema";
import type { Db } from "../../db/client.server";
import { addExtension, addResponse, closeLetter, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
let letter: { id: number; slug: string };

beforeAll(() => {
  db = freshDatabase();
  letter = createLetter(db, {
    title: "Zanzibar procurement letter",
    sent_on: "2026-01-05",
    deadline: "2026-02-05",
    questions: [{ n: 1, text: "Who approved the Quokka contract?", kind: "question" }],
  });
});

const find = (q: string) => search({ q, asOf: today() });
const hitsOf = (q: string, kind: string) => find(q).groups.find((group) => group.kind === kind)?.hits ?? [];
const data = () => (db.$client.prepare("SELECT revision FROM data_revision WHERE id = 1").get() as { revision: number }).revision;

describe("search results kept until searchable text changes", () => {
  it("a deadline extended or a letter closed moves the data revision but not the search revision, and the hit shows the new status at once", () => {
    expect(hitsOf("Zanzibar", "letter")[0]).toMatchObject({ letterSlug: letter.slug, status: "overdue" });
    const searchBefore = searchRevision();
    const dataBefore = data();

    addExtension(db, letter.id, { newDeadline: "2099-01-01", grantedOn: "2026-02-01" });
    expect(data()).toBeGreaterThan(dataBefore);
    expect(searchRevision()).toBe(searchBefore);
    expect(hitsOf("Zanzibar", "letter")[0]).toMatchObject({ letterSlug: letter.slug, status: "awaiting" });

    closeLetter(db, letter.id, "2026-03-01");
    expect(searchRevision()).toBe(searchBefore);
    expect(hitsOf("Zanzibar", "letter")[0]).toMatchObject({ status: "closed" });
  });

  it("after an extension the index is not counted and ranked again: only the hits' state is read", () => {
    const other = createLetter(db, { title: "Another letter", sent_on: "2026-01-06", deadline: "2026-02-06" });
    hitsOf("Quokka", "question");
    const prepare = vi.spyOn(db.$client, "prepare");
    try {
      addExtension(db, other.id, { newDeadline: "2099-02-01", grantedOn: "2026-02-02" });
      prepare.mockClear();
      expect(hitsOf("Quokka", "question")).toHaveLength(1);
      const statements = prepare.mock.calls.map(([text]) => String(text));
      expect(statements.filter((text) => text.includes("MATCH"))).toEqual([]);
      expect(statements.some((text) => text.includes("letter_state"))).toBe(true);
    } finally {
      prepare.mockRestore();
    }
  });

  it.each([
    ["a new letter", () => createLetter(db, { title: "Walrus logistics letter" }), "Walrus", "letter"],
    [
      "an edited question",
      () => db.update(questions).set({ text: "Who approved the Narwhal contract?" }).where(eq(questions.letterId, letter.id)).run(),
      "Narwhal",
      "question",
    ],
    ["a response", () => addResponse(db, letter.id, { receivedOn: "2026-02-20", completeness: "partial", from: "Office of Okapi Affairs" }), "Okapi", "response"],
    [
      "a renamed agency",
      () => db.update(agencies).set({ name: "Department of Pangolin Affairs" }).where(eq(agencies.name, "U.S. Department of State")).run(),
      "Pangolin",
      "letter",
    ],
  ] as const)("%s moves the search revision and is found at once", (_what, write, word, kind) => {
    expect(hitsOf(word, kind)).toEqual([]);
    const before = searchRevision()!;
    write();
    expect(searchRevision()).toBeGreaterThan(before);
    expect(hitsOf(word, kind).length).toBeGreaterThan(0);
  });
});
