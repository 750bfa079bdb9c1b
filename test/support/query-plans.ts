/**
 * The query plans (EXPLAIN QUERY PLAN, one line per query) of the statements `run` makes on
 * `db` whose SQL matches `only`: to check that a query reads an index the way it was designed to.
 */
import Database from "better-sqlite3";
import { expect } from "vitest";
import { getDb, type Db } from "../../db/client.server";
import { forgetPreparedStatements } from "~/models/prepared.server";

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
    for (const method of ["all", "get", "iterate", "run"] as const) {
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

/**
 * One paged query that reads letters in date order and stops at the page's end: no sort. With
 * `repeatsMerged` (open questions by days open, placed by their first ask), the query is a merge of
 * two ordered arms: the date walk, with no sort, and the questions that repeat an earlier one, read
 * from their partial index (questions_repeats_idx) alone and sorted: those few, not the selection.
 */
export function expectDateIndexWalk(plans: string[], { repeatsMerged = false }: { repeatsMerged?: boolean } = {}): void {
  expect(plans).toHaveLength(1);
  let walk = plans[0]!;
  if (repeatsMerged) {
    const merge = /^MERGE \(UNION ALL\) \| LEFT \| (.*) \| RIGHT \| (.*)$/.exec(walk);
    expect(merge, walk).not.toBeNull();
    const [, left, right] = merge as unknown as [string, string, string];
    walk = left;
    const reads = right.split(" | ").filter((step) => /^(SCAN|SEARCH) (q|questions) /.test(step));
    expect(reads[0], right).toMatch(/^SEARCH q USING INDEX questions_repeats_idx /);
    // The rest of the repeats arm looks rows up by key.
    expect(right).not.toMatch(/\bSCAN\b/);
    expect(right).not.toMatch(/letters_sent_on_idx/);
  }
  expect(walk).toMatch(/letters_sent_on_idx/);
  expect(walk).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  expect(walk).not.toMatch(/\bMERGE\b|\bRIGHT\b/);
}

/** One step of a query plan (a row of EXPLAIN QUERY PLAN). */
export interface PlanStep {
  id: number;
  parent: number;
  detail: string;
}

/** A statement a piece of code ran, with its query plan. */
export interface PlannedStatement {
  sql: string;
  plan: PlanStep[];
}

/** A plan as text: one line per step, indented by depth. */
export function planText(plan: readonly PlanStep[]): string {
  const depth = new Map<number, number>([[0, 0]]);
  return plan
    .map((step) => {
      const level = (depth.get(step.parent) ?? 0) + 1;
      depth.set(step.id, level);
      return `${"  ".repeat(level - 1)}${step.detail}`;
    })
    .join("\n");
}

/**
 * Every statement `run` makes on any better-sqlite3 connection of this process (the app's, and the
 * read-only ones exports and the calendar open), each with its EXPLAIN QUERY PLAN read on the
 * connection that ran it, just before it ran (temporary tables made by earlier statements exist).
 * Statements without a plan (DROP, CREATE INDEX, PRAGMA) are left out.
 */
export function plannedStatements(run: () => unknown): PlannedStatement[] {
  // Statements kept prepared from an earlier run (prepared.server.ts) would not be prepared, and
  // seen, again.
  forgetPreparedStatements(getDb());
  const prototype = Database.prototype as unknown as { prepare: (this: Database.Database, source: string) => Database.Statement };
  const prepare = prototype.prepare;
  const statements: PlannedStatement[] = [];
  prototype.prepare = function (this: Database.Database, source: string) {
    const statement = prepare.call(this, source);
    const connection = this;
    const explain = (params: unknown[]) => {
      const plan = prepare.call(connection, `EXPLAIN QUERY PLAN ${source}`).all(...params) as PlanStep[];
      if (plan.length > 0) statements.push({ sql: source, plan: plan.map(({ id, parent, detail }) => ({ id, parent, detail })) });
    };
    for (const method of ["all", "get", "iterate", "run"] as const) {
      const original = statement[method].bind(statement) as (...params: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...params: unknown[]) => {
        explain(params);
        return original(...params);
      };
    }
    return statement;
  };
  try {
    run();
  } finally {
    prototype.prepare = prepare;
  }
  return statements;
}

/**
 * Reference tables read whole by design (the filter menus list every agency, committee, member and
 * topic): hundreds of rows at national scale, not facts that grow with every letter.
 */
const REFERENCE_TABLES = new Set([
  "agencies",
  "committees",
  "members",
  // The roster's terms and committee seats (a few thousand rows; who gets answered reads them once
  // per data revision).
  "member_terms",
  "committee_roles",
  "tags",
  "data_revision",
]);

const KEYWORDS = new Set(
  "where join left right inner cross outer full on order group limit union select using natural as with values set".split(" "),
);

/** The tables of a statement's FROM and JOIN clauses by their aliases, and the CTEs it defines. */
function namesOf(source: string): { tables: Map<string, string>; ctes: Set<string> } {
  const tables = new Map<string, string>();
  const unquote = (name: string) => name.replace(/"/g, "").replace(/^temp\./i, "").toLowerCase();
  for (const match of source.matchAll(/\b(?:FROM|JOIN)\s+("?[\w.]+"?)(?:\s+(?:AS\s+)?("?\w+"?))?/gi)) {
    const table = unquote(match[1]!);
    const alias = match[2] ? unquote(match[2]) : null;
    tables.set(table, table);
    if (alias && !KEYWORDS.has(alias)) tables.set(alias, table);
  }
  const ctes = new Set<string>();
  for (const match of source.matchAll(/\b(\w+)\s*(?:\([^()]*\))?\s+AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?\(/gi)) ctes.add(match[1]!.toLowerCase());
  return { tables, ctes };
}

/**
 * The steps of a plan that read a whole table, or a range of an index with no equality in it
 * (e.g. `letters_sent_on_idx (sent_on<?)`: every letter sent by a date), instead of looking rows up
 * by key. Reference tables, views of the statement's own CTEs and subqueries (their own steps are
 * checked), and full-text MATCH lookups are not counted.
 */
export function unboundedReads(statement: PlannedStatement): PlanStep[] {
  const { tables, ctes } = namesOf(statement.sql);
  const derived = new Set(
    statement.plan.flatMap((step) => /^(?:MATERIALIZE|CO-ROUTINE) (\S+)/.exec(step.detail)?.[1]?.toLowerCase() ?? []),
  );
  return statement.plan.filter((step) => {
    const match = /^(SCAN|SEARCH) (\S+)(.*)$/.exec(step.detail);
    if (!match) return false;
    const [, verb, rawName, rest] = match as unknown as [string, string, string, string];
    const name = rawName.toLowerCase();
    if (name.startsWith("(") || name === "constant" || derived.has(name)) return false;
    const table = tables.get(name) ?? name;
    if (ctes.has(table) || ctes.has(name) || REFERENCE_TABLES.has(table)) return false;
    if (/VIRTUAL TABLE INDEX \d+:\S*M/.test(rest)) return false;
    // json_each over a parameter: the ids the statement was given (one prepared statement for any
    // number of them), not a table of the tracker.
    if (name === "json_each") return false;
    if (verb === "SCAN" || /AUTOMATIC/.test(rest)) return true;
    const constraints = /\(([^()]*)\)\s*(?:LEFT-JOIN)?\s*$/.exec(rest)?.[1] ?? "";
    // Looked up by a key: an equality on a column that is not a status (every open question is
    // "status=?" in questions_status_idx, a third of all questions).
    const keys = constraints.split(" AND ").flatMap((term) => /^(\w+)=\?$/.exec(term.trim())?.[1] ?? []);
    return !keys.some((column) => !STATUS_COLUMNS.has(column));
  });
}

/** Columns of a few values each: an equality on them selects a share of a table, not rows by key. */
const STATUS_COLUMNS = new Set(["status", "kind", "answer_status", "completeness", "verdict", "chamber", "party"]);

/**
 * Whether a step that walks an index (an unbounded read by itself) stops at the statement's LIMIT:
 * the statement pages (`LIMIT ? OFFSET ?` or `LIMIT ?` at its end) and nothing beside the walk
 * sorts all it reads first (a partial sort of rows that tie on the index, "LAST TERM OF ORDER BY",
 * still stops).
 */
export function isLimitedWalk(statement: PlannedStatement, step: PlanStep): boolean {
  if (!/LIMIT \?(?: OFFSET \?)?\s*\)?\s*$/i.test(statement.sql.trim())) return false;
  if (!/USING (?:COVERING )?INDEX/.test(step.detail)) return false;
  // A subquery SQLite runs to the end before using its rows (a list for IN, a scalar, a
  // materialized table) is not stopped by the statement's LIMIT; a co-routine is.
  const byId = new Map(statement.plan.map((each) => [each.id, each]));
  for (let parent = byId.get(step.parent); parent; parent = byId.get(parent.parent)) {
    if (/^(LIST SUBQUERY|SCALAR SUBQUERY|CORRELATED|MATERIALIZE)/.test(parent.detail)) return false;
  }
  const siblings = statement.plan.filter((other) => other.parent === step.parent);
  return !siblings.some((other) => other.detail === "USE TEMP B-TREE FOR ORDER BY" || /^USE TEMP B-TREE FOR (GROUP BY|DISTINCT)/.test(other.detail));
}
