/**
 * Attack on the letter page's statements prepared once per connection (getLetterDetail,
 * followUpChain, letterDocumentsOf, responseDocumentsOf by one json_each parameter): the page
 * reads what was written since its statements were prepared (a response added, a document
 * attached, a slug renamed), a letter with hundreds of responses gets every response's documents,
 * and a database closed and opened again is read through new statements.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { documents, letters, responseDocuments } from "../../db/schema";
import { getLetterDetail, followUpChain } from "~/models/letters.server";
import { responseDocumentsOf } from "~/models/documents.server";
import { addResponse, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

let db: Db;
const ASOF = "2026-01-01";
const sha = (n: number) => n.toString(16).padStart(64, "0");

function attach(responseId: number, n: number) {
  db.insert(documents).values({ sha256: sha(n), mediaType: "application/pdf", byteSize: 100, originalName: `reply-${n}.pdf` }).onConflictDoNothing().run();
  db.insert(responseDocuments).values({ responseId, documentSha256: sha(n), position: 1 }).run();
}

describe("the letter page's prepared statements", () => {
  let letter: { id: number; slug: string };
  beforeAll(() => {
    db = freshDatabase();
    letter = createLetter(db, { sent_on: "2025-01-10" });
  });

  it("read a response added and a document attached after they were prepared", () => {
    expect(getLetterDetail({ slug: letter.slug, asOf: ASOF })!.responses).toHaveLength(0);
    const responseId = addResponse(db, letter.id, { receivedOn: "2025-02-01", completeness: "partial" });
    const after = getLetterDetail({ slug: letter.slug, asOf: ASOF })!;
    expect(after.responses).toHaveLength(1);
    attach(responseId, 1);
    const withDocument = getLetterDetail({ slug: letter.slug, asOf: ASOF })! as unknown as { responses: Array<{ documents: unknown[] }> };
    expect(withDocument.responses[0]!.documents).toHaveLength(1);
  });

  it("read the letter by its new slug, not its old one, once renamed", () => {
    db.update(letters).set({ slug: "renamed-by-attack-11b" }).where(eq(letters.id, letter.id)).run();
    expect(getLetterDetail({ slug: letter.slug, asOf: ASOF })).toBeNull();
    expect(getLetterDetail({ slug: "renamed-by-attack-11b", asOf: ASOF })!.id).toBe(letter.id);
    expect(followUpChain(letter.id).map((entry) => entry.slug)).toContain("renamed-by-attack-11b");
  });

  it("give every document of a letter with hundreds of responses", () => {
    const many = createLetter(db, { sent_on: "2025-01-10" });
    const ids: number[] = [];
    for (let index = 0; index < 600; index += 1) {
      const id = addResponse(db, many.id, { receivedOn: "2025-02-01", completeness: "acknowledgment" });
      attach(id, 1000 + index);
      ids.push(id);
    }
    const byResponse = responseDocumentsOf(ids);
    expect(byResponse.size).toBe(600);
    const detail = getLetterDetail({ slug: many.slug, asOf: ASOF })! as unknown as { responses: Array<{ documents: unknown[] }> };
    expect(detail.responses).toHaveLength(600);
    expect(detail.responses.every((response) => response.documents.length === 1)).toBe(true);
  });

  it("read a database closed and opened again", () => {
    db = freshDatabase();
    const again = createLetter(db, { sent_on: "2025-03-01" });
    expect(getLetterDetail({ slug: again.slug, asOf: ASOF })!.id).toBe(again.id);
  });
});
