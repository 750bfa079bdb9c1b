/**
 * Server-side form parsing. Conform reads its list intents (add, remove, reorder) from a JSON field;
 * a crafted or corrupted one must be a refused submission, never a crash.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import { z } from "zod";
import type { TypedField } from "~/domain/forms";

const INTENT_FIELD = "__intent__";

/**
 * The highest list index a form field's name may carry (`questions[12].text`). The longest lists
 * are a letter's questions and a response's verdicts, at most MAX_QUESTIONS_PER_LETTER (500), so
 * this leaves the schema's own "At most 500 questions" message to answer 501..1000. A name with a
 * larger index is dropped before parsing: conform builds an array as long as the index says, and
 * one anonymous request naming `x[100000000]` (50 bytes, e.g. to /follow) ran a worker out of
 * memory and killed it.
 */
export const MAX_LIST_INDEX = 1000;

/**
 * The deepest path a form field's name may have (`verdicts[3].documents[0].name` is 4 deep). Conform
 * builds and reads the value tree recursively: a name 20,000 segments deep (`a.a.a…`) overflowed
 * its stack, a 500 for any anonymous form.
 */
export const MAX_NAME_DEPTH = 16;

function withinListBounds(name: string): boolean {
  // Every segment of the path, bracketed (`x[5]`) or dotted (`x.5`): conform reads a digits-only
  // dotted segment as an index too, into an array `x[0]` made (`x[0]=a&x.100000000=b`). And no
  // segment `length`: set on such an array (an update intent naming `x.length`, its value
  // 100000000) it makes the array that long in one step. No form has a field of that name.
  const segments = name.split(/[.[\]]+/).filter((segment) => segment !== "");
  if (segments.length > MAX_NAME_DEPTH + 1) return false;
  for (const segment of segments) {
    if (segment === "length") return false;
    if (/^\d+$/.test(segment) && (segment.length > 4 || Number(segment) > MAX_LIST_INDEX)) return false;
  }
  return true;
}

/** A list intent naming a field or position past MAX_LIST_INDEX would build the same huge array. */
function intentWithinBounds(intent: object): boolean {
  const payload = (intent as { payload?: unknown }).payload;
  if (!payload || typeof payload !== "object") return true;
  const { name, index, from, to } = payload as Record<string, unknown>;
  // A name that is not a string is taken by conform as the path's segments as they are (an array
  // `["x", 100000000]` names x[100000000]): only a string name, checked, or none.
  if (name !== undefined && (typeof name !== "string" || !withinListBounds(name))) return false;
  return [index, from, to].every((position) => position === undefined || (typeof position === "number" && Math.abs(position) <= MAX_LIST_INDEX));
}

/**
 * Without names past the list bounds, and without repeats of one name past a list's longest
 * (MAX_LIST_INDEX + 1 values): conform reads a repeated name as a list, and a form re-rendered with
 * a list 10,000 long (one save repeating `documents=<hash>` in a 740 kB body) held the event loop
 * for seconds, since conform's field list costs more per item the longer it is (attack 25).
 */
function withoutHugeLists(formData: FormData): FormData {
  let clean = true;
  const repeats = new Map<string, number>();
  for (const name of formData.keys()) {
    const count = (repeats.get(name) ?? 0) + 1;
    repeats.set(name, count);
    if (count > MAX_LIST_INDEX + 1 || !withinListBounds(name)) {
      clean = false;
      break;
    }
  }
  if (clean) return formData;
  const kept = new FormData();
  repeats.clear();
  for (const [name, value] of formData) {
    const count = (repeats.get(name) ?? 0) + 1;
    repeats.set(name, count);
    if (count <= MAX_LIST_INDEX + 1 && withinListBounds(name)) kept.append(name, value);
  }
  return kept;
}

/**
 * Whether JSON text nests objects and arrays no deeper than a form's own fields can (their names'
 * depth, MAX_NAME_DEPTH, plus an intent's or a list state's own wrapping). Read without parsing:
 * a value 1,000 objects deep in `__state__` or in an update intent's value reached the reply, whose
 * building (conform's normalize) and serialization recurse into it: a 500 for any form.
 */
function nestedWithinForms(text: string): boolean {
  const max = MAX_NAME_DEPTH + 4;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{" || char === "[") {
      depth += 1;
      if (depth > max) return false;
    } else if (char === "}" || char === "]") depth -= 1;
  }
  return true;
}

function withoutBrokenIntent(formData: FormData): FormData {
  const intent = formData.get(INTENT_FIELD);
  if (intent === null) return formData;
  try {
    if (!nestedWithinForms(String(intent))) throw new Error("nested deeper than any form");
    const parsed: unknown = JSON.parse(String(intent));
    if (parsed && typeof parsed === "object" && typeof (parsed as { type?: unknown }).type === "string" && intentWithinBounds(parsed)) return formData;
  } catch {
    // fall through: drop it
  }
  const cleaned = new FormData();
  for (const [name, value] of formData) if (name !== INTENT_FIELD) cleaned.append(name, value);
  return cleaned;
}

const STATE_FIELD = "__state__";

/**
 * Conform's list state (`__state__`, JSON the browser sends back): conform parses it unguarded, so
 * a forged one that is not JSON (or a file) threw out of both parses below, a 500 for any form,
 * the anonymous ones too. Not an object: dropped.
 */
function withoutBrokenState(formData: FormData): FormData {
  const state = formData.getAll(STATE_FIELD);
  if (state.length === 0) return formData;
  if (state.length === 1 && typeof state[0] === "string" && nestedWithinForms(state[0])) {
    try {
      const parsed: unknown = JSON.parse(state[0]);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return formData;
    } catch {
      // fall through: drop it
    }
  }
  const cleaned = new FormData();
  for (const [name, value] of formData) if (name !== STATE_FIELD) cleaned.append(name, value);
  return cleaned;
}

/**
 * The most fields a form may send: nearly twice the longest form (a letter of 500 questions sent by
 * all 535 members, with recipients, topics and documents: about 5,500). A crafted save of 100,000
 * fields (8 MB is allowed under /letters/) came back as the form re-rendered with all of them:
 * 14.5 MB, 1.7 s of the event loop.
 */
export const MAX_FORM_ENTRIES = 10_000;

export const TOO_MANY_FIELDS_MESSAGE = `The form has more than ${MAX_FORM_ENTRIES.toLocaleString("en-US")} fields, more than any form of the tracker: nothing was saved.`;

/** Whether a form has more fields than any form of the tracker (counted up to the limit). */
function hasTooManyFields(formData: FormData): boolean {
  let entries = 0;
  for (const _ of formData.keys()) if (++entries > MAX_FORM_ENTRIES) return true;
  return false;
}

export const parseSubmission: typeof parseWithZod = ((formData: FormData, options: Parameters<typeof parseWithZod>[1]) => {
  if (hasTooManyFields(formData)) {
    // Refused whole, its fields not sent back: no form of the tracker has this many.
    const refusal = z.object({}).superRefine((_value, ctx) => ctx.addIssue({ code: "custom", message: TOO_MANY_FIELDS_MESSAGE }));
    return parseWithZod(new FormData(), { schema: refusal }) as unknown as ReturnType<typeof parseWithZod>;
  }
  const cleaned = withoutBrokenState(withoutBrokenIntent(withoutHugeLists(formData)));
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

/** What a form's error page gives back when what it saved to is gone: the fields as typed. */
export interface NotSaved {
  kind: "not-saved";
  message: string;
  typed: TypedField[];
}

/** The longest value a "Not saved" page gives back whole. */
const MAX_TYPED_VALUE_LENGTH = 100_000;

/** Fields that carry no typing of the staffer's: the form's own workings. */
const UNTYPED_FIELDS = /^(intent|version|base|confirm|keepJob)$|\.id$|^documents\[|^documentName\./;

/**
 * What an action throws when what the form saves to was deleted meanwhile (by someone else): 410,
 * and the fields as typed, which the error page (GeneralErrorBoundary) shows to copy, named by
 * `describe` in the form's own words (else by their names). A bare 404 threw the typing away
 * (attack 22).
 */
export function notSavedGone(
  formData: FormData,
  message: string,
  describe: (typed: Array<[name: string, value: string]>) => TypedField[] = (typed) => typed.map(([name, value]) => ({ name, label: name, value })),
) {
  // More fields than any form has: nothing typed by hand, and not sent back (review of attack 25).
  if (hasTooManyFields(formData)) return data(TOO_MANY_FIELDS_MESSAGE, { status: 400 });
  const typed: Array<[string, string]> = [];
  for (const [name, value] of formData.entries()) {
    if (typeof value !== "string" || value.trim() === "" || UNTYPED_FIELDS.test(name)) continue;
    // Ten times the longest text a form takes, whole; past that, cut (only a crafted form has more).
    typed.push([name, value.length > MAX_TYPED_VALUE_LENGTH ? `${value.slice(0, MAX_TYPED_VALUE_LENGTH)}…` : value]);
  }
  return data({ kind: "not-saved", message, typed: describe(typed) } satisfies NotSaved, { status: 410 });
}
