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
