/**
 * A HEAD of a badge answers the GET's status and headers without computing the badge (RFC 9110
 * 9.3.2), as a HEAD of a letter's card does: an agency's badge read the agency's figures (in the
 * read pool, computed when not kept) and a letter's badge the letter's state, for a body Remix
 * throws away. The computations are counted where they are made (app/models/share.server.ts).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "../../db/client.server";
import { agencyBadgeFacts, letterShareFacts } from "~/models/share.server";
import { loader as letterBadge } from "~/routes/letters.$slug_.badge[.]svg";
import { loader as agencyBadge } from "~/routes/agencies.$slug_.badge[.]svg";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { writeLetter } from "~/models/letter-writer.server";
import { letterInputFromRecord } from "~/domain/letter-input";
import { buildLetterRecord, createLetter } from "../factories";
import { freshDatabase } from "../support/database";

vi.mock("~/models/share.server", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/models/share.server")>();
  return { ...original, letterShareFacts: vi.fn(original.letterShareFacts), agencyBadgeFacts: vi.fn(original.agencyBadgeFacts) };
});

type Loader = (args: LoaderFunctionArgs) => Promise<Response>;

/** The loader's answer to `method` at `path`: its Response, or the status and headers of what it threw. */
async function answer(loader: Loader, method: "GET" | "HEAD", path: string, slug: string) {
  try {
    const response = await loader({ request: new Request(`http://localhost${path}`, { method }), params: { slug }, context: {} } as LoaderFunctionArgs);
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, headers: Object.fromEntries(thrown.headers), body: null };
    const init = (thrown as { init?: ResponseInit | null }).init;
    return { status: init?.status ?? 500, headers: Object.fromEntries(new Headers(init?.headers)), body: null };
  }
}

let db: Db;
let letterSlug: string;
let agencySlug: string;
beforeAll(() => {
  db = freshDatabase();
  const record = buildLetterRecord({ id: "badge-head-before-renaming-2025-01-10", recipients: [{ name: "Pat Example", title: "Director", agency: "Bureau of Badge Heads" }] });
  const letter = createLetter(db, record);
  letterSlug = "badge-head-2025-01-10";
  db.transaction(
    (tx) => writeLetter({ tx, letterId: letter.id, input: letterInputFromRecord({ ...record, id: letterSlug }), actor: SYSTEM_ACTOR, summary: "slug corrected" }),
    { behavior: "immediate" },
  );
  agencySlug = db.get<{ slug: string }>(sql`SELECT slug FROM agencies WHERE name = 'Bureau of Badge Heads'`)!.slug;
});

beforeEach(() => {
  vi.mocked(letterShareFacts).mockClear();
  vi.mocked(agencyBadgeFacts).mockClear();
});

describe("HEAD of a badge computes nothing and answers as its GET", () => {
  it.each([
    ["a letter's badge", () => [letterBadge, `/letters/${letterSlug}/badge.svg`, letterSlug] as const, letterShareFacts],
    ["an agency's badge", () => [agencyBadge, `/agencies/${agencySlug}/badge.svg`, agencySlug] as const, agencyBadgeFacts],
  ])("%s", async (_label, target, computes) => {
    const [loader, path, slug] = target();
    const head = await answer(loader, "HEAD", path, slug);
    // Before: the HEAD computed the badge (its facts read once), as the GET does.
    expect(computes).not.toHaveBeenCalled();
    const get = await answer(loader, "GET", path, slug);
    expect(computes).toHaveBeenCalledTimes(1);
    expect(get.status).toBe(200);
    expect(get.body).toMatch(/^<svg/);
    expect(head).toEqual({ ...get, body: "" });
  });

  it.each([
    ["an unknown letter's badge: 404", () => [letterBadge, "/letters/no-such-letter/badge.svg", "no-such-letter"] as const, 404, letterShareFacts],
    ["a renamed letter's badge at its old address: 301", () => [letterBadge, "/letters/badge-head-before-renaming-2025-01-10/badge.svg", "badge-head-before-renaming-2025-01-10"] as const, 301, letterShareFacts],
    ["an unknown agency's badge: 404", () => [agencyBadge, "/agencies/no-such-agency/badge.svg", "no-such-agency"] as const, 404, agencyBadgeFacts],
  ])("%s, for a HEAD as for its GET", async (_label, target, status, computes) => {
    const [loader, path, slug] = target();
    const head = await answer(loader, "HEAD", path, slug);
    expect(computes).not.toHaveBeenCalled();
    const get = await answer(loader, "GET", path, slug);
    expect(get.status).toBe(status);
    expect(head).toEqual(get);
  });
});
