/**
 * The reply to a save refused as stale (see app/models/letter-writer.server.ts): what changed
 * since, and the stored values with this staffer's own changes re-applied, at the stored version.
 */
import { data } from "@remix-run/node";
import { parseBase, reapplyEdits } from "~/domain/edit-merge";
import type { Conflict } from "~/domain/edit-merge";

export function conflictReply<Extra extends Record<string, unknown> = Record<never, never>>({
  conflict,
  formData,
  submitted,
  current,
  lists = {},
  sets = ["documents"],
  extra,
}: {
  conflict: Conflict;
  formData: FormData;
  /** What this staffer submitted (the raw payload, so nothing they typed is lost). */
  submitted: unknown;
  /** The stored record as form values, and its version. */
  current: { values: Record<string, unknown>; version: number };
  /** Lists merged item by item, with the field that identifies their items. */
  lists?: Readonly<Record<string, string>>;
  /** Fields merged as sets of values: the documents attached (by hash), by default. */
  sets?: readonly string[];
  /** More for the form, e.g. the labels of the people its values pick. */
  extra?: Extra;
}) {
  const base = parseBase(formData.get("base"));
  const mine = submitted as Record<string, unknown>;
  return data(
    {
      ...(extra as Extra),
      kind: "conflict" as const,
      changes: conflict.changes,
      version: current.version,
      base: current.values,
      values: base ? reapplyEdits(base, mine, current.values, lists, sets) : mine,
      key: Date.now(),
    },
    { status: 409 },
  );
}
