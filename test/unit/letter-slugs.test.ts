/**
 * Leftover of issue 11 (session 14): a letter's slug never names a page of its own under /letters/.
 * The slug "new" could be saved (form and import), and that letter's page was the new-letter form.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { letterFormSchema } from "~/domain/forms";
import { letterRecordSchema } from "~/domain/letter-record";
import { RESERVED_LETTER_SLUGS } from "~/domain/slug";
import { buildLetterRecord } from "../factories";

/** Static path segments directly under /letters/ that a route file of app/routes claims. */
function staticSegmentsUnderLetters(): string[] {
  const segments = new Set<string>();
  for (const file of fs.readdirSync("app/routes")) {
    const name = file.replace(/\.(tsx?|jsx?)$/, "");
    const parts = name.split(/\.(?![^[]*\])/); // dots outside [ ] separate segments
    if (parts[0] !== "letters" || parts.length < 2) continue;
    const segment = parts[1]!.replace(/\[|\]/g, "");
    // $slug (the letter), _index (the list), pathless layouts: not an address of their own.
    if (segment.startsWith("$") || segment.startsWith("_")) continue;
    // letters.x.tsx and letters.x._index.tsx answer /letters/x; letters.x.y.tsx only /letters/x/y.
    if (parts.length === 2 || (parts.length === 3 && parts[2] === "_index")) segments.add(segment.replace(/_$/, ""));
  }
  return [...segments].sort();
}

describe("reserved letter slugs", () => {
  it("covers every page of its own directly under /letters/", () => {
    const segments = staticSegmentsUnderLetters();
    expect(segments).toContain("new");
    // Only slugs a letter could take matter ("a.b" is not a slug).
    for (const segment of segments.filter((s) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s))) expect(RESERVED_LETTER_SLUGS.has(segment), segment).toBe(true);
  });

  it("the letter form refuses the slug new with a message on the field", () => {
    const result = letterFormSchema.shape.slug.safeParse("new");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/"new" cannot be used: \/letters\/new is a page of the tracker itself/);
    // Typed with capitals and spaces, as the form lowercases and trims it.
    expect(letterFormSchema.shape.slug.safeParse("  New ").success).toBe(false);
    expect(letterFormSchema.shape.slug.safeParse("new-2025-01-10").success).toBe(true);
    expect(letterFormSchema.shape.slug.safeParse("renew").success).toBe(true);
  });

  it("the import format refuses a letter whose id is new", () => {
    const record = { ...buildLetterRecord(), id: "new" };
    const result = letterRecordSchema.safeParse(record);
    expect(result.success).toBe(false);
    expect(result.error?.issues.find((issue) => issue.path[0] === "id")?.message).toMatch(/must not be "new"/);
  });
});
