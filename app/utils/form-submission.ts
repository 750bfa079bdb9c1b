/**
 * Server-side form parsing. Conform reads its list intents (add, remove, reorder) from a JSON field;
 * a crafted or corrupted one must be a refused submission, never a crash.
 */
import { parseWithZod } from "@conform-to/zod/v4";

const INTENT_FIELD = "__intent__";

function withoutBrokenIntent(formData: FormData): FormData {
  const intent = formData.get(INTENT_FIELD);
  if (intent === null) return formData;
  try {
    const parsed: unknown = JSON.parse(String(intent));
    if (parsed && typeof parsed === "object" && typeof (parsed as { type?: unknown }).type === "string") return formData;
  } catch {
    // fall through: drop it
  }
  const cleaned = new FormData();
  for (const [name, value] of formData) if (name !== INTENT_FIELD) cleaned.append(name, value);
  return cleaned;
}

export const parseSubmission: typeof parseWithZod = ((formData: FormData, options: Parameters<typeof parseWithZod>[1]) => {
  const cleaned = withoutBrokenIntent(formData);
  try {
    return parseWithZod(cleaned, options);
  } catch {
    // An intent of the right shape that still makes no sense (e.g. an index out of range): ignore it.
    const plain = new FormData();
    for (const [name, value] of cleaned) if (name !== INTENT_FIELD) plain.append(name, value);
    return parseWithZod(plain, options);
  }
}) as typeof parseWithZod;

/**
 * The reply for a valid submission the database refused (a duplicate id, a letter that changed):
 * errors under the key "" are the form's, the others name their field.
 */
export function refusedReply<Reply>(
  submission: { reply: (options: { formErrors?: string[]; fieldErrors: Record<string, string[]> }) => Reply },
  errors: Record<string, string[]>,
): Reply {
  const { "": formErrors, ...fieldErrors } = errors;
  return submission.reply({ formErrors, fieldErrors });
}
