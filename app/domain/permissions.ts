/**
 * Who may do what: the one list of actions and the one table of rules, with the redaction of what a
 * reader may not see. Pure; app/utils/permissions.server.ts applies it to requests.
 */
import { ROLES, type Role } from "./vocabulary";

export { ROLES, type Role };

export const ACTIONS = [
  /** Read letters, questions, lists, exports, feeds and the API (anonymous only when PUBLIC_READ is on). */
  "letters:read",
  /** See letters' internal notes, and their changes in the history. */
  "notes:read",
  /** See the emails of the people who made changes, in the history. */
  "history:emails",
  /** Log, edit, delete, extend, close or reopen letters and their questions. */
  "letter:edit",
  /** Log, edit or delete responses and their verdicts. */
  "response:log",
  /** Import letters from a sheet or the exchange format. */
  "import",
  /** Add users, change roles, disable, reset passwords. */
  "users:manage",
  /** Change one's own password (the only thing a user with a one-time password may do). */
  "password:change",
  /** See the outbox of follow messages (/admin/outbox): followers' addresses, failures. */
  "mail:admin",
  /** Manage one's own follows and deadline reminders (/account/follows, /account/reminders). */
  "account:manage",
] as const;
export type Action = (typeof ACTIONS)[number];

export interface Subject {
  role: Role;
  /** Signed in with a one-time password: may do nothing but choose a new one. */
  mustChangePassword?: boolean;
}

export interface Settings {
  /** PUBLIC_READ: anonymous visitors may read. */
  publicRead: boolean;
}

/** The least role for each action; `anonymous` says whether no sign-in is enough. */
const RULES: Record<Action, { least: Role; anonymous: (settings: Settings) => boolean }> = {
  "letters:read": { least: "viewer", anonymous: (settings) => settings.publicRead },
  "notes:read": { least: "viewer", anonymous: () => false },
  "history:emails": { least: "viewer", anonymous: () => false },
  "letter:edit": { least: "editor", anonymous: () => false },
  "response:log": { least: "editor", anonymous: () => false },
  import: { least: "editor", anonymous: () => false },
  "users:manage": { least: "admin", anonymous: () => false },
  "password:change": { least: "viewer", anonymous: () => false },
  "mail:admin": { least: "admin", anonymous: () => false },
  "account:manage": { least: "viewer", anonymous: () => false },
};

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function can(user: Subject | null | undefined, action: Action, settings: Settings): boolean {
  const rule = RULES[action];
  if (!user) return rule.anonymous(settings);
  if (user.mustChangePassword && action !== "password:change") return false;
  return RANK[user.role] >= RANK[rule.least];
}

/** The 403 message for a signed-in user who may not do `action`. */
export function refusalMessage(action: Action): string {
  const least = RULES[action].least;
  return `You need ${least === "admin" ? "an admin" : least === "editor" ? "an editor" : "a staff"} account to do this.`;
}

/** Field names, in history entries and snapshots, that hold internal notes. */
export const INTERNAL_NOTE_FIELDS: ReadonlySet<string> = new Set(["internalNotes", "internal_notes"]);

/** The history entries the letter writer gives internal-note changes: staff-only content. */
export const INTERNAL_NOTES_ENTITY = "letter_internal_notes";

/** History entries of these kinds hold nothing but staff-only content. */
export const STAFF_ONLY_HISTORY_ENTITIES: ReadonlySet<string> = new Set([INTERNAL_NOTES_ENTITY]);

export interface HistoryLike {
  entity?: string;
  actorEmail: string | null;
  summary: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

function withoutNoteFields(values: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!values) return null;
  return Object.fromEntries(Object.entries(values).filter(([key]) => !INTERNAL_NOTE_FIELDS.has(key)));
}

const NOTE_FIELD_IN_LIST = /(,\s*)?\b(?:internalNotes|internal_notes|internal notes)\b(\s*,\s*)?/gi;

/**
 * A summary that does not name internal-note fields: "Edited title, internalNotes" becomes
 * "Edited title"; one that named nothing else becomes "Edited the letter".
 */
export function summaryWithoutNoteFields(summary: string): string {
  if (summary.search(NOTE_FIELD_IN_LIST) === -1) return summary;
  const cleaned = summary
    .replace(NOTE_FIELD_IN_LIST, (_match, lead?: string, trail?: string) => (lead && trail ? ", " : ""))
    .trim()
    .replace(/[:,]$/, "")
    .trim();
  return cleaned === "Edited" ? "Edited the letter" : cleaned;
}

/**
 * A history entry as `user` may see it: without the authors' emails unless they may see them, and
 * without internal-note fields (names, before and after values, and mentions in the summary) unless
 * they may read internal notes. Null when the entry changed internal notes and nothing else: such a
 * reader does not see it at all.
 */
export function redactHistoryEntry<T extends HistoryLike>(user: Subject | null | undefined, entry: T, settings: Settings): T | null {
  const notes = can(user, "notes:read", settings);
  const emails = can(user, "history:emails", settings);
  if (notes && emails) return entry;
  if (!notes) {
    if (entry.entity !== undefined && STAFF_ONLY_HISTORY_ENTITIES.has(entry.entity)) return null;
    const changed = [...Object.keys(entry.before ?? {}), ...Object.keys(entry.after ?? {})];
    if (changed.length > 0 && changed.every((key) => INTERNAL_NOTE_FIELDS.has(key))) return null;
  }
  return {
    ...entry,
    actorEmail: emails ? entry.actorEmail : null,
    summary: notes ? entry.summary : summaryWithoutNoteFields(entry.summary),
    before: notes ? entry.before : withoutNoteFields(entry.before),
    after: notes ? entry.after : withoutNoteFields(entry.after),
  };
}

/** A letter's history as `user` may see it (see redactHistoryEntry). */
export function redactHistory<T extends HistoryLike>(user: Subject | null | undefined, entries: T[], settings: Settings): T[] {
  return entries.flatMap((entry) => redactHistoryEntry(user, entry, settings) ?? []);
}

/** A letter as `user` may see it: internal notes only for those who may read them. */
export function redactLetter<T extends { internalNotes?: string | null }>(user: Subject | null | undefined, letter: T, settings: Settings): T {
  return can(user, "notes:read", settings) ? letter : { ...letter, internalNotes: null };
}
