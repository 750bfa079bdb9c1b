/**
 * Leftover of issue 11 (session 14): the one letter writer never gives a letter a slug that names a
 * page under /letters/ ("new" is the new-letter form, so that letter's page could not be reached),
 * whether typed, imported, or already stored before this rule.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { letters } from "../../db/schema";
import { letterInputFromRecord } from "~/domain/letter-input";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { saveLetter } from "~/models/letter-writer.server";
import { buildLetterRecord, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
beforeEach(() => {
  db = freshDatabase();
});

const inputWithSlug = (slug: string | null, title = "A letter") => ({ ...letterInputFromRecord(buildLetterRecord({ title })), slug });

describe("reserved letter slugs in the writer", () => {
  it("refuses a new letter typed with the slug new, on the slug field", () => {
    const result = saveLetter({ input: inputWithSlug("new"), actor: SYSTEM_ACTOR });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors.slug?.[0]).toMatch(/"new" cannot be used/);
    expect(db.select().from(letters).where(eq(letters.slug, "new")).all()).toHaveLength(0);
  });

  it("refuses changing a letter's slug to new", () => {
    const letter = createLetter(db, { id: "some-letter" });
    const result = saveLetter({ slug: letter.slug, input: inputWithSlug("new"), actor: SYSTEM_ACTOR, expectedVersion: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors.slug?.[0]).toMatch(/"new" cannot be used/);
  });

  it("a title that slugifies to new gets a slug that is not new", () => {
    const result = saveLetter({ input: inputWithSlug(null, "New"), actor: SYSTEM_ACTOR });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.slug).not.toBe("new");
  });

  it("a letter stored with the slug new before the rule must move on its next save, and then can", () => {
    const letter = createLetter(db, { id: "legacy" });
    db.update(letters).set({ slug: "new" }).where(eq(letters.id, letter.id)).run();
    const kept = saveLetter({ slug: "new", input: inputWithSlug(null, "Changed title"), actor: SYSTEM_ACTOR, expectedVersion: 1 });
    expect(kept.ok).toBe(false);
    if (!kept.ok) expect(kept.fieldErrors.slug?.[0]).toMatch(/"new" cannot be used/);
    const moved = saveLetter({ slug: "new", input: inputWithSlug("legacy-moved"), actor: SYSTEM_ACTOR, expectedVersion: 1 });
    expect(moved.ok).toBe(true);
    expect(db.select({ slug: letters.slug }).from(letters).where(eq(letters.id, letter.id)).get()?.slug).toBe("legacy-moved");
  });
});
