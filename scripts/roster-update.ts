/**
 * `npm run roster:update -- DIR [--ecfr FILE] [--no-load]`: regenerates the shipped reference
 * snapshot (db/reference/roster.json and agencies.json) from a congress-legislators directory
 * (legislators-current.yaml, committees-current.yaml, committee-membership-current.yaml), the eCFR
 * agency list (default: DIR/../ecfr-agencies.json) and the curated db/reference/agency-supplement.json,
 * then loads it into DATABASE_PATH (migrated first) unless --no-load is given.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { env } from "~/env.server";
import { buildDirectory, buildRoster, ReferenceDataError } from "~/domain/roster";
import { AGENCIES_FILE, loadReferenceData, REFERENCE_DIR, ROSTER_FILE } from "~/models/roster.server";
import { openDatabase } from "../db/client.server";
import { runMigrations } from "../db/migrate.server";

const USAGE = "Usage: npm run roster:update -- DIR [--ecfr FILE] [--no-load]   (DIR: a congress-legislators directory)";

function argsOf(argv: string[]): { dir: string; ecfr: string; load: boolean } {
  const rest = [...argv];
  let ecfr: string | null = null;
  let load = true;
  const positional: string[] = [];
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg === "--ecfr") {
      const value = rest.shift();
      if (!value) throw new ReferenceDataError(`--ecfr needs a file\n${USAGE}`);
      ecfr = value;
    } else if (arg === "--no-load") load = false;
    else if (arg.startsWith("--")) throw new ReferenceDataError(`Unknown option ${arg}\n${USAGE}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new ReferenceDataError(USAGE);
  const dir = positional[0]!;
  return { dir, ecfr: ecfr ?? path.join(dir, "..", "ecfr-agencies.json"), load };
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ReferenceDataError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

function yamlFile(file: string): unknown {
  try {
    return parse(read(file));
  } catch (error) {
    if (error instanceof ReferenceDataError) throw error;
    throw new ReferenceDataError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
}

function jsonFile(file: string): unknown {
  try {
    return JSON.parse(read(file));
  } catch (error) {
    if (error instanceof ReferenceDataError) throw error;
    throw new ReferenceDataError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

try {
  const { dir, ecfr, load } = argsOf(process.argv.slice(2));
  const roster = buildRoster({
    legislators: yamlFile(path.join(dir, "legislators-current.yaml")),
    committees: yamlFile(path.join(dir, "committees-current.yaml")),
    membership: yamlFile(path.join(dir, "committee-membership-current.yaml")),
    source: "unitedstates/congress-legislators (CC0 1.0 / U.S. public domain): legislators-current.yaml, committees-current.yaml, committee-membership-current.yaml",
  });
  const directory = buildDirectory({
    ecfr: jsonFile(ecfr),
    supplement: jsonFile(path.join(REFERENCE_DIR, "agency-supplement.json")),
    source: "eCFR agency list (U.S. public domain) with db/reference/agency-supplement.json (curated, CC0)",
  });
  fs.mkdirSync(REFERENCE_DIR, { recursive: true });
  fs.writeFileSync(ROSTER_FILE, `${JSON.stringify(roster, null, 1)}\n`);
  fs.writeFileSync(AGENCIES_FILE, `${JSON.stringify(directory, null, 1)}\n`);
  console.log(
    `Wrote ${path.relative(process.cwd(), ROSTER_FILE)} (${roster.members.length} members, ${roster.committees.length} committees, ${roster.roles.length} committee seats) ` +
      `and ${path.relative(process.cwd(), AGENCIES_FILE)} (${directory.agencies.length} agencies)`,
  );
  if (load) {
    const db = openDatabase(env.DATABASE_PATH);
    try {
      runMigrations(db);
      const result = loadReferenceData({ db, roster, directory });
      console.log(`Loaded into ${env.DATABASE_PATH}: ${JSON.stringify(result)}`);
    } finally {
      db.$client.close();
    }
  }
} catch (error) {
  console.error(error instanceof ReferenceDataError ? error.message : error);
  process.exitCode = 1;
}
