/**
 * `npm run user:create -- --email E --name N --role R`: creates a user and prints a generated
 * one-time password once; pipe a password on standard input to set it instead.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { env } from "~/env.server";
import { openDatabase } from "../db/client.server";
import { runMigrations } from "../db/migrate.server";
import { createUser, DuplicateEmailError, generatePassword, passwordProblem } from "~/models/users.server";

const argsSchema = z.object({
  email: z.email({ error: "--email must be an email address" }),
  name: z.string({ error: "--name is required" }).trim().min(1, { error: "--name is required" }),
  role: z.enum(["viewer", "editor", "admin"], { error: "--role must be viewer, editor or admin" }),
});

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

async function main() {
  const { values } = parseArgs({
    options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string", default: "editor" } },
  });
  const args = argsSchema.safeParse(values);
  if (!args.success) {
    console.error(args.error.issues.map((issue) => issue.message).join("\n"));
    process.exit(2);
  }
  const piped = await readStdin();
  const problem = piped ? passwordProblem(piped) : null;
  if (problem) {
    console.error(`The password on standard input ${problem}.`);
    process.exit(2);
  }
  const password = piped || generatePassword();
  // Reuse the app's connection module so the user lands in DATABASE_PATH, migrated.
  const db = openDatabase(env.DATABASE_PATH);
  runMigrations(db);
  try {
    const user = await createUser({
      ...args.data,
      password,
      mustChangePassword: !piped,
      actor: { id: null, email: null, name: "user:create" },
      db,
    });
    console.log(`Created ${user.role} ${user.email}`);
    if (!piped) console.log(`One-time password (shown once; to be changed at first sign-in): ${password}`);
  } catch (error) {
    console.error(error instanceof DuplicateEmailError ? error.message : error);
    process.exitCode = 1;
  } finally {
    db.$client.close();
  }
}

void main();
