/**
 * Confirming a follow (issue 14 gaps, decision 0025): the limit check and the update are one write
 * transaction, and the write gate holds. While an import holds the bulk-write gate the confirm page
 * answers 503 with Retry-After, says why, offers the button again, and writes nothing; pressed
 * again once the import is done, it confirms.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { FOLLOW_LIMITS } from "~/domain/follows";
import { confirmFollow, followLink, requestFollow } from "~/models/follows.server";
import { acquireLease, releaseLease } from "~/models/leases.server";
import * as confirm from "~/routes/follow_.confirm";
import { BULK_WRITE_LEASE, runWithWriteGate, WRITE_GATE_SHORT_MESSAGE } from "~/utils/write-gate.server";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";
import { formRequest, run } from "../support/requests";

const IMPORT = "an-import-elsewhere";
let db: Db;
let clients = 0;
beforeEach(() => {
  db = freshDatabase();
});
afterEach(() => releaseLease({ name: BULK_WRITE_LEASE, holder: IMPORT }));

function requested(email: string, key: string, kind: "letter" | "search" = "letter"): { id: number; secret: string } {
  expect(requestFollow({ email, kind, key, cadence: "immediate", client: `c${(clients += 1)}` })).toEqual({ ok: true });
  return db.get<{ id: number; secret: string }>(sql`SELECT id, secret FROM follows WHERE email = ${email} AND subject_key = ${key}`)!;
}
const confirmPath = (row: { id: number; secret: string }) => {
  const url = new URL(followLink(row, "confirm"));
  return `${url.pathname}${url.search}`;
};
const stateOf = (id: number) => db.get<{ confirmedAt: number | null; lastDigestAt: number | null }>(sql`SELECT confirmed_at AS confirmedAt, last_digest_at AS lastDigestAt FROM follows WHERE id = ${id}`)!;

describe("confirming a follow while an import is written", () => {
  it("answers 503 with Retry-After and a message, keeps the button, writes nothing; confirms when pressed again after", async () => {
    const letter = createLetter(db);
    const row = requested("reader@example.org", letter.slug);
    expect(acquireLease({ name: BULK_WRITE_LEASE, holder: IMPORT, ttlMs: 60 * 60_000 })).toBe(true);

    let refused = false;
    const response = await runWithWriteGate({ onRefused: () => (refused = true) }, () => confirm.action({ request: formRequest(confirmPath(row), {}), params: {}, context: {} }));
    const outcome = response as unknown as { data: { confirmed: boolean; retry: string | null }; init: ResponseInit };
    expect(outcome.init.status).toBe(503);
    expect(new Headers(outcome.init.headers).get("Retry-After")).toBe("60");
    expect(outcome.data).toEqual({ confirmed: false, retry: WRITE_GATE_SHORT_MESSAGE, manageUrl: null });
    expect(WRITE_GATE_SHORT_MESSAGE).toMatch(/import is being written.*Try again in a minute/);
    expect(refused).toBe(true);
    expect(stateOf(row.id)).toEqual({ confirmedAt: null, lastDigestAt: null });

    releaseLease({ name: BULK_WRITE_LEASE, holder: IMPORT });
    const again = await run(confirm.action, formRequest(confirmPath(row), {}));
    expect(again.status).toBe(200);
    expect(again.data).toMatchObject({ confirmed: true, retry: null });
    // Pressing Confirm hands over the link to the alerts page (only then: decision 0025's page).
    expect((again.data as { manageUrl: string | null }).manageUrl).toMatch(/^\/follows\/manage\?token=/);
    expect(stateOf(row.id).confirmedAt).not.toBeNull();
  });

  it("gives the manage link only to the press that confirms, not to the same link posted again later", async () => {
    // A manage link controls (and lists) every follow of the address; the confirmation link, kept in
    // a mailbox or forwarded, must not be a way to get one once the follow is confirmed.
    const letter = createLetter(db);
    const row = requested("reader@example.org", letter.slug);
    const first = await run(confirm.action, formRequest(confirmPath(row), {}));
    expect((first.data as { manageUrl: string | null }).manageUrl).toMatch(/^\/follows\/manage\?token=/);
    const later = await run(confirm.action, formRequest(confirmPath(row), {}));
    expect(later.status).toBe(200);
    expect(later.data).toMatchObject({ confirmed: true, retry: null, manageUrl: null });
  });
});

describe("confirming a follow: the limit and the update together", () => {
  it("counts confirmed follows as they are when confirming; one more than the limit is refused, nothing written", () => {
    const letter = createLetter(db);
    const email = "many@example.org";
    const rows = Array.from({ length: FOLLOW_LIMITS.savedSearches + 1 }, (_, n) => {
      const row = db.get<{ id: number; secret: string }>(sql`
        INSERT INTO follows (email, subject_kind, subject_key, subject_label, secret) VALUES (${email}, 'search', ${`/letters?q=w${n}`}, 'S', ${`s${n}`}) RETURNING id, secret`)!;
      return row;
    });
    for (const row of rows.slice(0, -1)) expect(confirmFollow(new URL(followLink(row, "confirm")).searchParams.get("token")!).ok).toBe(true);
    const last = rows.at(-1)!;
    const refused = confirmFollow(new URL(followLink(last, "confirm")).searchParams.get("token")!);
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/already follows 25 saved searches/) });
    expect(stateOf(last.id).confirmedAt).toBeNull();
    // Pressing a confirmed follow's link again writes nothing new (its events since stay its own).
    const first = rows[0]!;
    const before = stateOf(first.id);
    expect(confirmFollow(new URL(followLink(first, "confirm")).searchParams.get("token")!, Date.now() + 60_000).ok).toBe(true);
    expect(stateOf(first.id)).toEqual(before);
    void letter;
  });
});
