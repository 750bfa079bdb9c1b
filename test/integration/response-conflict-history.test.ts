/**
 * ATTACK: a stale response save lists "what changed since you opened it" by slicing the response's
 * history entries at the form's version (letter-writer.server.ts responseChangesSince: `.slice(version)`),
 * assuming entry 1 is the response's creation. Responses written without a creation entry (the
 * synthetic bulk writer, every response of a database migrated from the previous release) lose
 * the first real change: the 409 notice says only "the record was changed" and lists nothing.
 * Seen on the 100,000-letter database: edit response 84604 of
 * green-ds-pipeline-inspections-2026-10-13-99620, then save a form loaded before it.
 */
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { saveResponse } from "~/models/letter-writer.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
beforeEach(() => {
  db = freshDatabase();
});

const input = (summary: string) => ({ receivedOn: "2025-02-01", from: "Agency", completeness: "partial" as const, summary, sourceUrl: null, notes: null });

describe("ATTACK: response conflicts on responses without a creation entry", () => {
  it("lists the other editor's change", () => {
    const letter = createLetter(db, { id: "bulk-written", sent_on: "2025-01-10" });
    // As the synthetic writer and the previous release's data leave it: a response, no history.
    const { id } = db.$client
      .prepare(`INSERT INTO responses (letter_id, received_on, "from", completeness) VALUES (?, '2025-02-01', 'Agency', 'partial') RETURNING id`)
      .get(letter.id) as { id: number };
    db.run(sql`UPDATE letters SET version = version`);
    const first = saveResponse({ letterSlug: "bulk-written", responseId: id, input: input("first editor"), actor: SYSTEM_ACTOR, expectedVersion: 1 });
    expect(first.ok).toBe(true);
    const stale = saveResponse({ letterSlug: "bulk-written", responseId: id, input: input("second editor"), actor: SYSTEM_ACTOR, expectedVersion: 1 });
    expect(stale.ok).toBe(false);
    if (stale.ok) return;
    expect(stale.conflict?.changes.map((change) => change.summary)).toHaveLength(1);
  });
});
