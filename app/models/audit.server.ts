/**
 * The history: every create, update and delete, written by the caller inside the same transaction
 * as the change itself, so a change and its record stand or fall together.
 */
import { desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import { getDb } from "../../db/client.server";
import { auditEvents } from "../../db/schema";
import type { AuditAction } from "~/domain/vocabulary";
import { prepared } from "./prepared.server";

const p = sql.placeholder;

/** Who made a change: a signed-in user, or a named process such as the importer. */
export interface Actor {
  id: number | null;
  email: string | null;
  name: string;
}

/** The server itself: the demo seed, the tests' factories. */
export const SYSTEM_ACTOR: Actor = { id: null, email: null, name: "system" };


export function writeAudit({
  tx,
  actor,
  action,
  entity,
  entityId,
  letterId,
  letterVersion = null,
  summary,
  before = null,
  after = null,
}: {
  tx: DbOrTx;
  actor: Actor;
  action: AuditAction;
  entity: string;
  entityId: number | null;
  letterId: number | null;
  /** The letter's version after this change (letter changes only). */
  letterVersion?: number | null;
  summary: string;
  before?: unknown;
  after?: unknown;
}): void {
  prepared(tx, "audit.insert", (db) =>
    db
      .insert(auditEvents)
      .values({
        userId: p("userId"),
        actorEmail: p("actorEmail"),
        actorName: p("actorName"),
        action: p("action"),
        entity: p("entity"),
        entityId: p("entityId"),
        letterId: p("letterId"),
        letterVersion: p("letterVersion"),
        summary: p("summary"),
        before: p("before"),
        after: p("after"),
      })
      .prepare(),
  ).run({
    userId: actor.id,
    actorEmail: actor.email,
    actorName: actor.name,
    action,
    entity,
    entityId,
    letterId,
    letterVersion,
    summary,
    before: before === null ? null : JSON.stringify(before),
    after: after === null ? null : JSON.stringify(after),
  });
}

export interface HistoryEntry {
  id: number;
  at: number;
  actorName: string | null;
  actorEmail: string | null;
  action: AuditAction;
  entity: string;
  summary: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** A letter's history, newest first, whole: pages show it through redactHistory (app/domain/permissions.ts). */
export function letterHistory({ letterId, limit = 200 }: { letterId: number; limit?: number }): HistoryEntry[] {
  // Read on every letter page: built and prepared once per connection.
  return prepared(getDb(), "audit.letter-history", (on) =>
    on
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.letterId, sql.placeholder("letterId")))
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(sql.placeholder("limit"))
      .prepare(),
  )
    .all({ letterId, limit })
    .map((row) => ({
      id: row.id,
      at: row.at,
      actorName: row.actorName,
      actorEmail: row.actorEmail,
      action: row.action,
      entity: row.entity,
      summary: row.summary,
      before: row.before ? (JSON.parse(row.before) as Record<string, unknown>) : null,
      after: row.after ? (JSON.parse(row.after) as Record<string, unknown>) : null,
    }));
}
