/**
 * The bulk data package (issue 13, item 8): downloaded through its route, unzipped, and every CSV
 * checked against the Table Schema its own datapackage.json gives (field names and order, types,
 * formats, required and enum constraints, primary keys unique, foreign keys resolved). The
 * Frictionless validators are Python; the JavaScript `tableschema` package (frictionlessdata/
 * tableschema-js) was not added (its activity looked stale; not re-checked in depth), so the check
 * is written here, from the descriptor, not from the code that wrote the files. Public only; a second request with no write between is the cached one.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import { unzipSync, strFromU8 } from "fflate";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { PACKAGE_FILES, PACKAGE_ZIP } from "~/domain/data-package";
import { SYSTEM_ACTOR } from "~/models/audit.server";
import { dataPackageBuilds } from "~/models/data-package-cache.server";
import { loadReferenceFiles } from "~/models/roster.server";
import { createUser } from "~/models/users.server";
import { loader as fileLoader } from "~/routes/data.$file";
import { loader as pageLoader } from "~/routes/data._index";
import { createLetter } from "../factories";
import { freshDatabase } from "../support/database";

const SECRET_NOTE = "STAFF-ONLY-NOTE-do-not-publish";
const STAFF_EMAIL = "staffer.private@example.org";

let db: Db;

beforeAll(async () => {
  db = freshDatabase();
  loadReferenceFiles({ db });
  seedFromFile({ db, file: DEMO_SEED_FILE });
  db.run(sql`UPDATE letters SET internal_notes = ${SECRET_NOTE} WHERE id = (SELECT MIN(id) FROM letters)`);
  await createUser({ db, email: STAFF_EMAIL, name: "Private Staffer", role: "editor", password: "a long enough password for tests", actor: SYSTEM_ACTOR });
}, 120_000);

async function download(file: string): Promise<Response> {
  try {
    return await fileLoader({ request: new Request(`http://tracker.test/data/${file}`), params: { file }, context: {} } as LoaderFunctionArgs);
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

async function unzipPackage(): Promise<{ revision: string | null; files: Record<string, string> }> {
  const response = await download(PACKAGE_ZIP);
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/zip");
  expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${PACKAGE_ZIP}"`);
  const entries = unzipSync(new Uint8Array(await response.arrayBuffer()));
  return { revision: response.headers.get("X-Data-Revision"), files: Object.fromEntries(Object.entries(entries).map(([name, bytes]) => [name, strFromU8(bytes)])) };
}

interface Field {
  name: string;
  type: string;
  format?: string;
  constraints?: { required?: boolean; unique?: boolean; enum?: string[]; pattern?: string };
}
interface Resource {
  name: string;
  path: string;
  schema: { fields: Field[]; primaryKey: string[]; foreignKeys: Array<{ fields: string[]; reference: { resource: string; fields: string[] } }>; missingValues: string[] };
}

/** Every problem of every CSV against its schema, as "file row N field: problem". */
function validate(files: Record<string, string>): { problems: string[]; rows: Record<string, Array<Record<string, string>>> } {
  const descriptor = JSON.parse(files["datapackage.json"]!) as { resources: Resource[]; licenses: unknown[] };
  const problems: string[] = [];
  const rows: Record<string, Array<Record<string, string>>> = {};
  for (const resource of descriptor.resources) {
    const text = files[resource.path];
    if (text === undefined) {
      problems.push(`${resource.path}: missing from the package`);
      continue;
    }
    if (text.startsWith("\uFEFF")) problems.push(`${resource.path}: starts with a byte-order mark`);
    const records = parse(text, { record_delimiter: "\r\n" }) as string[][];
    const header = records[0] ?? [];
    const names = resource.schema.fields.map((field) => field.name);
    if (header.join(",") !== names.join(",")) problems.push(`${resource.path}: header ${header.join(",")} is not ${names.join(",")}`);
    const table = records.slice(1).map((record) => Object.fromEntries(names.map((name, index) => [name, record[index] ?? ""])));
    rows[resource.name] = table;
    table.forEach((row, index) => {
      for (const field of resource.schema.fields) {
        const value = row[field.name]!;
        const where = `${resource.path} row ${index + 1} ${field.name}`;
        if (resource.schema.missingValues.includes(value)) {
          if (field.constraints?.required) problems.push(`${where}: required but empty`);
          continue;
        }
        if (field.type === "integer" && !/^-?\d+$/.test(value)) problems.push(`${where}: "${value}" is not an integer`);
        if (field.type === "date" && !(/^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)))
          problems.push(`${where}: "${value}" is not a date`);
        if (field.format === "uri" && !URL.canParse(value)) problems.push(`${where}: "${value}" is not a URI`);
        if (field.constraints?.enum && !field.constraints.enum.includes(value)) problems.push(`${where}: "${value}" is not one of ${field.constraints.enum.join(", ")}`);
        if (field.constraints?.pattern && !new RegExp(`^(?:${field.constraints.pattern})$`).test(value)) problems.push(`${where}: "${value}" does not match ${field.constraints.pattern}`);
      }
    });
    const keys = new Set<string>();
    for (const row of table) {
      const key = resource.schema.primaryKey.map((name) => row[name]).join("\u0000");
      if (keys.has(key)) problems.push(`${resource.path}: primary key ${key} repeated`);
      keys.add(key);
    }
  }
  for (const resource of descriptor.resources) {
    for (const foreignKey of resource.schema.foreignKeys) {
      const target = foreignKey.reference.resource || resource.name;
      const known = new Set((rows[target] ?? []).map((row) => foreignKey.reference.fields.map((name) => row[name]).join("\u0000")));
      for (const row of rows[resource.name] ?? []) {
        const values = foreignKey.fields.map((name) => row[name]);
        if (values.every((value) => value === "")) continue;
        if (!known.has(values.join("\u0000"))) problems.push(`${resource.path}: ${foreignKey.fields.join(",")} "${values.join(",")}" is not in ${target}`);
      }
    }
  }
  return { problems, rows };
}

describe("the data package", () => {
  it("is every public table, each CSV valid against its own schema", async () => {
    const { files } = await unzipPackage();
    expect(Object.keys(files).sort()).toEqual([...PACKAGE_FILES].sort());
    const descriptor = JSON.parse(files["datapackage.json"]!);
    expect(descriptor.profile).toBe("tabular-data-package");
    expect(descriptor.licenses[0].name).toBe("CC0-1.0");
    const { problems, rows } = validate(files);
    expect(problems).toEqual([]);
    expect(rows.letters).toHaveLength(21);
    expect(rows.questions!.length).toBeGreaterThan(21);
    expect(rows.responses!.length).toBeGreaterThan(0);
    expect(rows.senders!.length).toBeGreaterThan(0);
    // The data dictionary names every field of every file.
    for (const resource of descriptor.resources as Resource[]) {
      for (const field of resource.schema.fields) expect(files["README.md"]).toContain(`| \`${field.name}\` |`);
    }
  });

  it("questions.csv links a repeated question both ways: repeats_* and, last, asked_again_* (described, keyed to questions)", async () => {
    const { files } = await unzipPackage();
    const questions = (JSON.parse(files["datapackage.json"]!) as { resources: Resource[] }).resources.find((resource) => resource.name === "questions")!;
    expect(questions.schema.fields.map((field) => field.name)).toEqual([
      "letter_id",
      "number",
      "kind",
      "text",
      "status",
      "status_on",
      "repeats_letter_id",
      "repeats_number",
      "asked_again_letter_id",
      "asked_again_number",
    ]);
    expect(questions.schema.fields.slice(-2).map((field) => field.type)).toEqual(["string", "integer"]);
    expect(questions.schema.foreignKeys).toContainEqual({
      fields: ["asked_again_letter_id", "asked_again_number"],
      // Frictionless: an empty resource name refers to the resource itself.
      reference: { resource: "", fields: ["letter_id", "number"] },
    });
    expect(files["README.md"]).toMatch(/\| `asked_again_letter_id` \| string \| no \| For a question a later letter .* asks again/);
    // The demo seed's Treasury chain (db/seed-repeats.ts): 31 January 1 → 7 February 2 → 12 February 1.
    const [first, second, third] = [
      "wyden-bessent-doge-payment-systems-2025-01-31",
      "wyden-bessent-doge-read-only-followup-2025-02-07",
      "warren-wyden-reed-bessent-doge-misrepresentations-2025-02-12",
    ];
    const { rows } = validate(files);
    const links = (letter: string, number: number) => {
      const row = rows.questions!.find((each) => each.letter_id === letter && each.number === String(number))!;
      return [row.repeats_letter_id, row.repeats_number, row.asked_again_letter_id, row.asked_again_number];
    };
    expect(links(first!, 1)).toEqual(["", "", second, "2"]);
    expect(links(second!, 2)).toEqual([first, "1", third, "1"]);
    expect(links(third!, 1)).toEqual([second, "2", "", ""]);
    // Each of the demo seed's 8 repeats is named by the question it repeats.
    expect(rows.questions!.filter((row) => row.asked_again_letter_id !== "")).toHaveLength(8);
    expect(rows.questions!.filter((row) => row.repeats_letter_id !== "")).toHaveLength(8);
  });

  it("catches a file that breaks its schema (the check checks)", async () => {
    const { files } = await unzipPackage();
    const broken: Record<string, string> = { ...files, "letters.csv": files["letters.csv"]!.replace(/\r\n([^,]+),/, "\r\n$1-not-a-letter,") };
    broken["questions.csv"] = files["questions.csv"]!.replace(/\r\n([^,]+),1,/, "\r\n$1,one,");
    const { problems } = validate(broken);
    expect(problems.some((problem) => /questions\.csv row 1 number: "one" is not an integer/.test(problem))).toBe(true);
    expect(problems.some((problem) => /is not in letters/.test(problem))).toBe(true);
  });

  it("is public only: no staff-only notes, no user emails", async () => {
    const { files } = await unzipPackage();
    for (const [name, text] of Object.entries(files)) {
      expect(text, name).not.toContain(SECRET_NOTE);
      expect(text, name).not.toContain(STAFF_EMAIL);
      expect(text, name).not.toMatch(/internal_notes/);
    }
  });

  it("serves each file on its own, the same as in the zip, and refuses other names", async () => {
    const { files } = await unzipPackage();
    for (const name of ["datapackage.json", "README.md", "letters.csv"]) {
      const response = await download(name);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(files[name]);
    }
    expect((await download("letters.csv")).headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const missing = await download("..%2Fmanifest.json");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/no file/);
    expect((await download("manifest.json")).status).toBe(404);
  });

  it("is built once and then served from the cache until the data changes", async () => {
    const first = await unzipPackage();
    const builds = dataPackageBuilds();
    const second = await unzipPackage();
    expect(dataPackageBuilds()).toBe(builds);
    expect(second.revision).toBe(first.revision);
    createLetter(db, { title: "A letter written after the package" });
    const third = await unzipPackage();
    expect(dataPackageBuilds()).toBe(builds + 1);
    expect(third.revision).not.toBe(first.revision);
    expect(validate(third.files).rows.letters).toHaveLength(22);
  });

  it("names the package's version opaquely: not the count of writes", async () => {
    const { revision: version } = await unzipPackage();
    // Before: X-Data-Revision was the data revision itself, the count of every write staff made.
    expect(version).toMatch(/^d-[\w-]{27}$/);
  });

  it("a database made afresh at the same place, at the same revision, gets its own package", async () => {
    const before = await unzipPackage();
    const builds = dataPackageBuilds();
    const revision = db.get<{ revision: number }>(sql`SELECT revision FROM data_revision WHERE id = 1`)!.revision;
    db = freshDatabase();
    // Count the new database's revision up to the old one's with writes of its own.
    const current = db.get<{ revision: number }>(sql`SELECT revision FROM data_revision WHERE id = 1`)!.revision;
    // One row each (the triggers move the revision once per row).
    db.run(sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${Number(revision) - current})
      INSERT INTO tags (slug, name) SELECT 'filler-' || i, 'filler' FROM n`);
    expect(db.get<{ revision: number }>(sql`SELECT revision FROM data_revision WHERE id = 1`)!.revision).toBe(revision);
    const after = await unzipPackage();
    // Another state of the data at the same count of writes: another version.
    expect(after.revision).not.toBe(before.revision);
    expect(dataPackageBuilds()).toBe(builds + 1);
    expect(validate(after.files).rows.letters).toHaveLength(0);
  });

  it("/data shows the dictionary without building anything", async () => {
    const builds = dataPackageBuilds();
    const data = await pageLoader({ request: new Request("http://tracker.test/data"), params: {}, context: {} } as LoaderFunctionArgs);
    expect(data.resources.map((resource) => resource.name)).toContain("letters");
    expect(dataPackageBuilds()).toBe(builds);
  });
});
