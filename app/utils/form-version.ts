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
export type KeptVersion = { version: number; base: unknown } | null;

export function keptVersion(formData: FormData): KeptVersion {
  const version = submittedVersion(formData);
  if (!version.ok) return null;
  const raw = formData.get("base");
  let base: unknown = undefined;
  if (typeof raw === "string" && raw.length > 0) {
    try {
      base = JSON.parse(raw);
    } catch {
      base = undefined;
    }
  }
  return { version: version.version, base };
}
