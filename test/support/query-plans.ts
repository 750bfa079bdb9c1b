/**
 * The query plans (EXPLAIN QUERY PLAN, one line per query) of the statements `run` makes on
 * `db` whose SQL matches `only`: to check that a query reads an index the way it was designed to.
 */
import type Database from "better-sqlite3";
import { expect } from "vitest";
import type { Db } from "../../db/client.server";

export function queryPlans(db: Db, run: () => void, only: RegExp): string[] {
  const client = db.$client;
  const prepare = client.prepare.bind(client);
  const plans: string[] = [];
  client.prepare = ((source: string) => {
    const statement = prepare(source);
    if (!only.test(source)) return statement;
    const explain = (params: unknown[]) =>
      plans.push(
        (prepare(`EXPLAIN QUERY PLAN ${source}`).all(...params) as Array<{ detail: string }>)
          .map((row) => row.detail)
          .join(" | "),
      );
    for (const method of ["all", "get", "iterate"] as const) {
      const original = statement[method].bind(statement) as (...params: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...params: unknown[]) => {
        explain(params);
        return original(...params);
      };
    }
    return statement;
  }) as Database.Database["prepare"];
  try {
    run();
  } finally {
    client.prepare = prepare as Database.Database["prepare"];
  }
  return plans;
}

/** One paged query that reads letters in date order and stops at the page's end: no sort. */
export function expectDateIndexWalk(plans: string[]): void {
  expect(plans).toHaveLength(1);
  expect(plans[0]).toMatch(/letters_sent_on_idx/);
  expect(plans[0]).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
}
