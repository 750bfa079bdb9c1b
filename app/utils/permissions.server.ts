/**
 * The permission rules of app/domain/permissions.ts applied to requests. Every loader and action
 * calls requireUser itself (Remix runs loaders in parallel, so a parent's check protects nothing):
 *
 *   const user = await requireUser(request, "letter:edit");
 *
 * Anonymous visitors who may not do it are sent to sign in (the JSON API answers 401); signed-in
 * users who may not get a 403; a user signed in with a one-time password is sent to choose a new one
 * whatever they asked for.
 */
import { data, redirect } from "@remix-run/node";
import {
  can as canWith,
  redactHistory,
  redactLetter,
  refusalMessage,
  type Action,
  type HistoryLike,
  type Subject,
} from "~/domain/permissions";
import { env } from "~/env.server";
import { getCurrentUser, type CurrentUser } from "~/models/auth.server";

export type { Action } from "~/domain/permissions";

const settings = () => ({ publicRead: env.PUBLIC_READ });

export function can(user: Subject | null | undefined, action: Action): boolean {
  return canWith(user, action, settings());
}

function here(request: Request): string {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
}

export const ONE_TIME_PASSWORD_MESSAGE = "You signed in with a one-time password. Choose your own to continue.";

/** The user, or null for an anonymous reader when `action` needs no sign-in. */
export async function requireUser(request: Request, action: "letters:read", options?: { api?: boolean }): Promise<CurrentUser | null>;
export async function requireUser(request: Request, action: Exclude<Action, "letters:read">, options?: { api?: boolean }): Promise<CurrentUser>;
export async function requireUser(request: Request, action: Action, { api = false }: { api?: boolean } = {}): Promise<CurrentUser | null> {
  const user = await getCurrentUser(request);
  if (user?.mustChangePassword && action !== "password:change") {
    if (api) throw Response.json({ error: ONE_TIME_PASSWORD_MESSAGE }, { status: 403, headers: { "Cache-Control": "no-store" } });
    throw redirect(`/account/password?${new URLSearchParams({ redirectTo: here(request) })}`);
  }
  if (can(user, action)) return user;
  if (!user) {
    if (api) throw Response.json({ error: "Sign in to read this tracker." }, { status: 401 });
    throw redirect(`/login?${new URLSearchParams({ redirectTo: here(request) })}`);
  }
  if (api) throw Response.json({ error: refusalMessage(action) }, { status: 403 });
  throw data(refusalMessage(action), { status: 403 });
}

/** A letter's history as this reader may see it (internal-note changes and emails redacted). */
export function visibleHistory<T extends HistoryLike>(user: Subject | null | undefined, entries: T[]): T[] {
  return redactHistory(user, entries, settings());
}

/** A letter as this reader may see it (internal notes only for staff). */
export function visibleLetter<T extends { internalNotes?: string | null }>(user: Subject | null | undefined, letter: T): T {
  return redactLetter(user, letter, settings());
}
