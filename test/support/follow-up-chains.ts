/**
 * Two references for followUpChain (app/models/letters.server.ts): a plain walk in JavaScript over
 * every letter, and the query it replaced (same output, but SQLite planned it as a scan of every
 * letter), to check the chain a letter page shows did not change.
 */
import type { Db } from "../../db/client.server";
import type { ChainLetter } from "~/models/letters.server";

interface LetterLink {
  id: number;
  slug: string;
  title: string;
  sentOn: string;
  followsUpId: number | null;
}

/** followUpChain for every letter of `db`, walked in JavaScript: up to the first letter, down every branch. */
export function referenceChains(db: Db): (letterId: number) => ChainLetter[] {
  const rows = db.$client
    .prepare("SELECT id, slug, title, sent_on AS sentOn, follows_up_id AS followsUpId FROM letters")
    .all() as LetterLink[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const children = new Map<number, LetterLink[]>();
  for (const row of rows) {
    if (row.followsUpId === null) continue;
    children.set(row.followsUpId, [...(children.get(row.followsUpId) ?? []), row]);
  }
  return (letterId) => {
    let root = byId.get(letterId);
    if (!root) return [];
    for (let steps = 0; steps < 1000 && root.followsUpId !== null && byId.has(root.followsUpId); steps++) {
      root = byId.get(root.followsUpId)!;
    }
    const seen = new Map<number, LetterLink>([[root.id, root]]);
    for (let frontier = [root], depth = 0; frontier.length > 0 && depth < 1000; depth++) {
      frontier = frontier.flatMap((letter) => children.get(letter.id) ?? []).filter((child) => !seen.has(child.id));
      for (const child of frontier) seen.set(child.id, child);
    }
    return [...seen.values()]
      .sort((a, b) => (a.sentOn < b.sentOn ? -1 : a.sentOn > b.sentOn ? 1 : a.id - b.id))
      .map((letter) => ({
        slug: letter.slug,
        title: letter.title,
        sentOn: letter.sentOn,
        followsUpSlug: letter.followsUpId === null ? null : (byId.get(letter.followsUpId)?.slug ?? null),
      }));
  };
}

/** The followUpChain query before the letter page's plans were fixed (commit 49eaf46). */
const PREVIOUS_FOLLOW_UP_CHAIN = `
    WITH RECURSIVE ancestors(id, follows_up_id, depth) AS (
      SELECT id, follows_up_id, 0 FROM letters WHERE id = ?
      UNION ALL
      SELECT l.id, l.follows_up_id, a.depth + 1 FROM letters l JOIN ancestors a ON l.id = a.follows_up_id
      WHERE a.depth < 1000
    ),
    root AS (SELECT id FROM ancestors ORDER BY depth DESC LIMIT 1),
    chain(id, depth) AS (
      SELECT id, 0 FROM root
      UNION
      SELECT l.id, c.depth + 1 FROM letters l JOIN chain c ON l.follows_up_id = c.id WHERE c.depth < 1000
    )
    SELECT l.slug AS slug, l.title AS title, l.sent_on AS sentOn, parent.slug AS followsUpSlug
    FROM chain JOIN letters l ON l.id = chain.id
    LEFT JOIN letters parent ON parent.id = l.follows_up_id
    GROUP BY l.id
    ORDER BY l.sent_on, l.id`;

export function previousFollowUpChain(db: Db, letterId: number): ChainLetter[] {
  return db.$client.prepare(PREVIOUS_FOLLOW_UP_CHAIN).all(letterId) as ChainLetter[];
}

/** Ids of letters in a follow-up chain (following up or followed up), and of `alone` letters in none. */
export function chainedLetterIds(db: Db, alone = 20): { chained: number[]; alone: number[] } {
  const ids = (query: string) => (db.$client.prepare(query).all() as Array<{ id: number }>).map((row) => row.id);
  return {
    chained: ids(
      "SELECT id FROM letters WHERE follows_up_id IS NOT NULL OR id IN (SELECT follows_up_id FROM letters) ORDER BY id",
    ),
    alone: ids(
      `SELECT id FROM letters WHERE follows_up_id IS NULL AND id NOT IN (SELECT follows_up_id FROM letters WHERE follows_up_id IS NOT NULL) ORDER BY id LIMIT ${alone}`,
    ),
  };
}
