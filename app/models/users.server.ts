/**
 * Accounts. Passwords are hashed with argon2id (@node-rs/argon2's defaults: 19 MiB, 2 passes);
 * generated passwords are one-time: the next sign-in must choose a new one.
 */
import { assertWriteGateOpen } from "~/utils/write-gate.server";
import crypto from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { asc, count, eq } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";
import { sessions, users } from "../../db/schema";
import type { Role } from "~/domain/permissions";
import { writeAudit, type Actor } from "./audit.server";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "./password-policy.server";

export type { Role } from "~/domain/permissions";
export { MIN_PASSWORD_LENGTH, passwordProblem };

export interface UserSummary {
  id: number;
  email: string;
  name: string;
  role: Role;
  mustChangePassword: boolean;
  disabledAt: number | null;
  createdAt: number;
}

const summaryColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  mustChangePassword: users.mustChangePassword,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt,
};

export function hashPassword(password: string): Promise<string> {
  // 2 = Argon2id (the package exports it as a const enum, which isolated modules cannot read).
  return hash(password, { algorithm: 2 });
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

/** 24 characters from 18 random bytes (144 bits). */
export function generatePassword(): string {
  return crypto.randomBytes(18).toString("base64url");
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export class DuplicateEmailError extends Error {
  override name = "DuplicateEmailError";
}

export async function createUser({
  email,
  name,
  role,
  password,
  mustChangePassword = false,
  actor,
  db = getDb(),
}: {
  email: string;
  name: string;
  role: Role;
  password: string;
  mustChangePassword?: boolean;
  actor: Actor;
  db?: Db;
}): Promise<UserSummary> {
  const problem = passwordProblem(password);
  if (problem) throw new Error(`password ${problem}`);
  const passwordHash = await hashPassword(password);
  assertWriteGateOpen(db);
  return db.transaction(
    (tx) => {
      const normalized = normalizeEmail(email);
      if (tx.select({ id: users.id }).from(users).where(eq(users.email, normalized)).get()) {
        throw new DuplicateEmailError(`a user with email ${normalized} already exists`);
      }
      const user = tx
        .insert(users)
        .values({ email: normalized, name: name.trim(), role, passwordHash, mustChangePassword })
        .returning(summaryColumns)
        .get();
      writeAudit({
        tx,
        actor,
        action: "create",
        entity: "user",
        entityId: user.id,
        letterId: null,
        summary: `Created ${role} account ${user.email}`,
        after: { email: user.email, name: user.name, role },
      });
      return user;
    },
    { behavior: "immediate" },
  );
}

export function listUsers(): UserSummary[] {
  return getDb().select(summaryColumns).from(users).orderBy(asc(users.email)).all();
}

export function getUser({ id }: { id: number }): UserSummary | undefined {
  return getDb().select(summaryColumns).from(users).where(eq(users.id, id)).get();
}

/** The user for these credentials, or null; disabled users never sign in. */
export async function verifyCredentials({
  email,
  password,
}: {
  email: string;
  password: string;
}): Promise<UserSummary | null> {
  const row = getDb()
    .select({ ...summaryColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .get();
  if (!row) {
    // Spend the same effort as a real check so timing does not reveal which emails exist.
    await verifyPassword(await dummyHash(), password);
    return null;
  }
  const ok = await verifyPassword(row.passwordHash, password);
  if (!ok || row.disabledAt !== null) return null;
  const { passwordHash: _hash, ...user } = row;
  return user;
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(generatePassword());
  return dummy;
}

function updateUser({
  id,
  changes,
  actor,
  summary,
  revokeSessions,
}: {
  id: number;
  changes: Partial<typeof users.$inferInsert>;
  actor: Actor;
  summary: string;
  revokeSessions: boolean;
}): UserSummary {
  assertWriteGateOpen();
  return getDb().transaction(
    (tx) => {
      const before = tx.select(summaryColumns).from(users).where(eq(users.id, id)).get();
      if (!before) throw new Error(`no user ${id}`);
      const after = tx
        .update(users)
        .set({ ...changes, updatedAt: Date.now() })
        .where(eq(users.id, id))
        .returning(summaryColumns)
        .get();
      // Signing out everywhere takes effect at once: sessions are looked up on every request.
      if (revokeSessions) tx.delete(sessions).where(eq(sessions.userId, id)).run();
      const { passwordHash: _ignored, ...visibleChanges } = changes;
      writeAudit({
        tx,
        actor,
        action: "update",
        entity: "user",
        entityId: id,
        letterId: null,
        summary,
        before: Object.fromEntries(Object.keys(visibleChanges).map((key) => [key, before[key as keyof UserSummary]])),
        after: visibleChanges,
      });
      return after;
    },
    { behavior: "immediate" },
  );
}

export function setUserRole({ id, role, actor }: { id: number; role: Role; actor: Actor }): UserSummary {
  return updateUser({ id, changes: { role }, actor, summary: `Role set to ${role}`, revokeSessions: false });
}

export function setUserDisabled({ id, disabled, actor }: { id: number; disabled: boolean; actor: Actor }): UserSummary {
  return updateUser({
    id,
    changes: { disabledAt: disabled ? Date.now() : null },
    actor,
    summary: disabled ? "Account disabled" : "Account enabled",
    revokeSessions: disabled,
  });
}

/** Sets a new password; a generated one is one-time. Signs the user out everywhere. */
export async function setPassword({
  id,
  password,
  oneTime,
  actor,
}: {
  id: number;
  password: string;
  oneTime: boolean;
  actor: Actor;
}): Promise<UserSummary> {
  const passwordHash = await hashPassword(password);
  return updateUser({
    id,
    changes: { passwordHash, mustChangePassword: oneTime },
    actor,
    summary: oneTime ? "Password reset (one-time password issued)" : "Password changed",
    revokeSessions: true,
  });
}

/** On first start with no users: an admin with a one-time password, for the console only. */
export async function ensureInitialAdmin({ db, email }: { db: Db; email: string }): Promise<{ email: string; password: string } | null> {
  const existing = db.select({ n: count() }).from(users).get()?.n ?? 0;
  if (existing > 0) return null;
  const password = generatePassword();
  await createUser({
    email,
    name: "Administrator",
    role: "admin",
    password,
    mustChangePassword: true,
    actor: { id: null, email: null, name: "first start" },
    db,
  });
  return { email: normalizeEmail(email), password };
}
