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

/**
 * The reply for a submission with errors found after parsing (names typed into pickers that match
 * no one or several), added to the schema's own. A list intent (add, remove) is not a save: its
 * reply shows no new errors.
 */
export function replyWithErrors<Reply>(
  submission: {
    status?: "success" | "error";
    error?: Record<string, string[] | null> | null;
    reply: (options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]> }) => Reply;
  },
  errors: Record<string, string[]>,
): Reply {
  if (submission.status === undefined || Object.keys(errors).length === 0) return submission.reply();
  const { "": formErrors = [], ...fieldErrors } = errors;
  return submission.reply({ formErrors: [...(submission.error?.[""] ?? []), ...formErrors], fieldErrors });
}
