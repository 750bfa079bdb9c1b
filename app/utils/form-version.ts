/** The `version` an edit form was loaded with; absent or malformed: no check (a new record). */
export function submittedVersion(formData: FormData): number | undefined {
  const raw = formData.get("version");
  if (typeof raw !== "string" || !/^\d{1,9}$/.test(raw)) return undefined;
  const version = Number(raw);
  return version > 0 ? version : undefined;
}
