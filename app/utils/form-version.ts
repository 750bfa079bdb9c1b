/**
 * The `version` an edit form was loaded with. Edit forms must carry one: a save without it (or
 * with one that is not a version) could otherwise overwrite a colleague's newer save unchecked.
 */
export type SubmittedVersion = { ok: true; version: number } | { ok: false; message: string };

export const MISSING_VERSION_MESSAGE = "This form is missing the version it was loaded with, so it cannot be checked against newer changes. Reload the page and make your change again.";

export function submittedVersion(formData: FormData): SubmittedVersion {
  const raw = formData.get("version");
  if (typeof raw !== "string" || !/^[1-9]\d{0,8}$/.test(raw)) return { ok: false, message: MISSING_VERSION_MESSAGE };
  return { ok: true, version: Number(raw) };
}

/**
 * The version and base a form was loaded with, to send back with any reply that re-renders the
 * form holding what the staffer typed (errors, a question added or removed without JavaScript,
 * a proposal). The page must render these, not its loader's fresh version: the values are the
 * staffer's, from the version they opened, and a colleague may have saved since. Rendering the
 * fresh version under them would let the next save overwrite the colleague's change unchecked.
 */
export type KeptVersion = { version: number | null; base: unknown };

/**
 * What the submitted form carried: its version (null when missing or not a version: the form is
 * given back without one, so every save of it is refused until the page is reloaded, as the
 * refusal says) and its base (undefined when missing or not JSON: given back without one, a stale
 * save's conflict reply then keeps what was typed as it is, with no merge against a wrong base).
 */
export function keptVersion(formData: FormData): KeptVersion {
  const version = submittedVersion(formData);
  const raw = formData.get("base");
  let base: unknown = undefined;
  if (typeof raw === "string" && raw.length > 0) {
    try {
      base = JSON.parse(raw);
    } catch {
      base = undefined;
    }
  }
  return { version: version.ok ? version.version : null, base };
}

/**
 * The version and base an edit page renders under its form: a conflict reply's (the stored record,
 * the staffer's changes re-applied), else the submitted form's own when the reply gives that form
 * back (`kept`, even when it lacked one or both), else the loader's (a fresh form). Never the
 * loader's under values the staffer typed into an older version: with the fresh version, or the
 * fresh values as their base, a colleague's save since would be overwritten unchecked.
 */
export function versionFieldsFor({
  conflict,
  kept,
  fresh,
}: {
  conflict: { version: number; base: unknown } | null;
  kept: KeptVersion | null;
  fresh: { version: number; base: unknown };
}): { version: number | null; base: unknown } {
  if (conflict) return { version: conflict.version, base: conflict.base };
  if (kept) return { version: kept.version, base: kept.base };
  return fresh;
}
