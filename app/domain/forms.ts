/**
 * One zod schema per form, shared by the server (the action validates every submission) and the
 * browser (Conform validates as the user types). Messages say what is wrong with the field; Conform
 * shows them next to it. Database checks (unique slugs, dates against the letter) are added by the
 * actions.
 */
import { z } from "zod";
import { factDateTextProblems } from "./approximate-date";
import { isCalendarDate, today } from "./dates";
import { MAX_QUESTIONS_PER_LETTER, TEXT_LIMITS } from "./letter-rules";
import { reservedLetterSlugProblem, RESERVED_LETTER_SLUGS } from "./slug";
import { answerOf } from "./status";
import {
  CADENCES,
  CHAMBERS,
  COMPLETENESS,
  COMPLETENESS_TERMS,
  FOLLOW_SUBJECT_KINDS,
  listOfValues,
  PARTIES,
  QUESTION_KIND_TERMS,
  QUESTION_KINDS,
  ROLES,
  VERDICT_TERMS,
  VERDICTS,
  type Verdict,
} from "./vocabulary";

/**
 * Control characters (NUL, ESC, …: never typed, only pasted or forged) are taken out of every text
 * field before it is checked and stored; tabs and line breaks stay. So are the C1 controls
 * (U+0080–U+009F) and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069): invisible, they can make a title or a name read backwards ("Trojan source");
 * right-to-left text needs none of them, and the marks (U+200E, U+200F) stay.
 */
export const withoutControlCharacters = (value: string) =>
  value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, "");
const trimmed = (max: number, label: string) =>
  z.string().overwrite(withoutControlCharacters).trim().max(max, { error: `${label} must be at most ${max} characters` });
const required = (max: number, label: string) =>
  z
    .string({ error: `${label} is required` })
    .overwrite(withoutControlCharacters)
    .trim()
    .min(1, { error: `${label} is required` })
    .max(max, { error: `${label} must be at most ${max} characters` });

export const calendarDateField = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .refine(isCalendarDate, { error: `${label} must be a real date (YYYY-MM-DD)` });

/** A date that has happened: facts may not be dated in the future (derived state relies on it). */
const pastDateField = (label: string) =>
  calendarDateField(label).refine((value) => value <= today(), { error: `${label} cannot be in the future` });

/**
 * A fact date the record may give only by month (a response): `YYYY-MM-DD`, or `YYYY-MM`
 * (app/domain/approximate-date.ts). A text field: a date input cannot hold a month.
 */
const pastFactDateField = (label: string) =>
  z
    .string({ error: factDateTextProblems({ field: "", label, value: null, today: today() })[0]!.message })
    .trim()
    .superRefine((value, ctx) => {
      for (const problem of factDateTextProblems({ field: "", label, value, today: today() })) ctx.addIssue({ code: "custom", message: problem.message });
    });

const optionalUrl = z
  .url({ protocol: /^https?$/, error: "Source URL must be a web address starting with http:// or https://" })
  .max(TEXT_LIMITS.sourceUrl, { error: `Source URL must be at most ${TEXT_LIMITS.sourceUrl} characters` })
  .optional();

export const QUESTION_KIND_OPTIONS = QUESTION_KIND_TERMS.options;
export const VERDICT_OPTIONS = VERDICT_TERMS.options;
export const COMPLETENESS_OPTIONS = COMPLETENESS_TERMS.options;

export const senderSchema = z
  .object({
    /**
     * An existing member's slug (or, from the picker without JavaScript, a typed name, which the
     * action resolves to a slug before parsing: resolveLetterFormPicks); or, for a new member, name,
     * party and state.
     */
    member: z.string().optional(),
    name: trimmed(TEXT_LIMITS.name, "Name").optional(),
    party: z.enum(PARTIES, { error: `Party must be ${listOfValues(PARTIES)}` }).optional(),
    state: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, { error: "State must be a two-letter code such as NY" })
      .optional(),
    chamber: z.enum(["House", "Senate"], { error: "Chamber must be House or Senate" }).optional(),
    role: trimmed(TEXT_LIMITS.role, "Role").optional(),
  })
  .superRefine((sender, ctx) => {
    if (sender.member) return;
    if (!sender.name) ctx.addIssue({ code: "custom", path: ["name"], message: "Pick a member or enter the new member's name" });
    if (!sender.party) ctx.addIssue({ code: "custom", path: ["party"], message: "Party is required for a new member" });
    if (!sender.state) ctx.addIssue({ code: "custom", path: ["state"], message: "State is required for a new member" });
    if (!sender.chamber) ctx.addIssue({ code: "custom", path: ["chamber"], message: "Chamber is required for a new member" });
  });

export const recipientSchema = z
  .object({
    /**
     * An existing official's id (or a typed name, which the action resolves to an id before
     * parsing, as for members); or, for a new one, name, title and agency.
     */
    official: z.string().optional(),
    name: trimmed(TEXT_LIMITS.name, "Name").optional(),
    title: trimmed(TEXT_LIMITS.officialTitle, "Title").optional(),
    agency: trimmed(TEXT_LIMITS.agency, "Agency").optional(),
  })
  .superRefine((recipient, ctx) => {
    if (recipient.official) return;
    if (!recipient.name) ctx.addIssue({ code: "custom", path: ["name"], message: "Pick an official or enter the new official's name" });
    if (!recipient.title) ctx.addIssue({ code: "custom", path: ["title"], message: "Title is required for a new official" });
    if (!recipient.agency) ctx.addIssue({ code: "custom", path: ["agency"], message: "Agency is required for a new official" });
  });

export const questionFieldSchema = z.object({
  /** The question's id when editing an existing one. */
  id: z.coerce.number().int().positive().optional(),
  text: required(TEXT_LIMITS.questionText, "Question text"),
  /** The id of the earlier question this one asks again (a follow-up's hidden field; decision 0023). */
  repeats: z.coerce.number({ error: "Repeats: not a question id" }).int({ error: "Repeats: not a question id" }).positive({ error: "Repeats: not a question id" }).optional(),
  /**
   * The edit form's "Not a repeat" checkbox: checked, the question no longer repeats the earlier
   * one (the link is removed, the question kept; decision 0023 addendum).
   */
  notRepeat: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()).optional(),
  kind: z.enum(QUESTION_KINDS, {
    error: `Kind must be ${listOfValues(QUESTION_KIND_TERMS.options.map(([, label]) => label.toLowerCase()))}`,
  }),
});

/** The documents a form carries (hidden fields, one SHA-256 each, in order): at most a few. */
export const MAX_DOCUMENTS_PER_FORM = 20;
const documentsField = z
  .array(z.string().trim().regex(/^[0-9a-f]{64}$/, { error: "Documents: not a stored document; upload it again" }))
  .max(MAX_DOCUMENTS_PER_FORM, { error: `Documents: at most ${MAX_DOCUMENTS_PER_FORM} per form` })
  .default([]);

export const letterFormSchema = z
  .object({
    title: required(TEXT_LIMITS.title, "Title"),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: "Slug may contain only lowercase letters, digits and single hyphens" })
      .max(TEXT_LIMITS.slug, { error: `Slug must be at most ${TEXT_LIMITS.slug} characters` })
      // "new" and other pages under /letters/ would hide the letter's own page.
      .refine((slug) => !RESERVED_LETTER_SLUGS.has(slug), { error: (issue) => reservedLetterSlugProblem(String(issue.input)) ?? "Slug cannot be used" })
      .optional(),
    sentOn: pastDateField("Sent date"),
    chamber: z.enum(CHAMBERS, { error: `Chamber must be ${listOfValues(CHAMBERS)}` }),
    committee: z.string().optional(),
    newCommittee: trimmed(TEXT_LIMITS.committee, "New committee").optional(),
    senders: z.array(senderSchema, { error: "Add at least one sender" }).min(1, { error: "Add at least one sender" }),
    leadSender: z.coerce.number().int().min(0).optional(),
    recipients: z.array(recipientSchema, { error: "Add at least one recipient" }).min(1, { error: "Add at least one recipient" }),
    deadline: calendarDateField("Deadline").optional(),
    tags: trimmed(TEXT_LIMITS.topics, "Topics").optional(),
    sourceUrl: optionalUrl,
    summary: trimmed(TEXT_LIMITS.summary, "Summary").optional(),
    notes: trimmed(TEXT_LIMITS.notes, "Public notes").optional(),
    internalNotes: trimmed(TEXT_LIMITS.internalNotes, "Internal notes").optional(),
    questions: z.array(questionFieldSchema).max(MAX_QUESTIONS_PER_LETTER, { error: `At most ${MAX_QUESTIONS_PER_LETTER} questions` }).default([]),
    followsUp: z.string().optional(),
    pasteText: z.string().max(100_000, { error: "Pasted text must be at most 100,000 characters" }).optional(),
    documents: documentsField,
  })
  .superRefine((letter, ctx) => {
    if (letter.deadline && letter.deadline < letter.sentOn) {
      ctx.addIssue({ code: "custom", path: ["deadline"], message: "Deadline cannot be before the sent date" });
    }
    if (letter.leadSender !== undefined && letter.leadSender >= letter.senders.length) {
      ctx.addIssue({ code: "custom", path: ["leadSender"], message: "Choose the lead signer among the senders" });
    }
    if (letter.committee && letter.newCommittee) {
      ctx.addIssue({ code: "custom", path: ["newCommittee"], message: "Pick a committee or name a new one, not both" });
    }
  });

export type LetterFormValues = z.output<typeof letterFormSchema>;

/** Topic slugs from "El Salvador, CECOT; deportation". */
export function parseTags(text: string | undefined): string[] {
  return [
    ...new Set(
      (text ?? "")
        .split(/[,;\n]/)
        .map((tag) =>
          tag
            .trim()
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, "-")
            .replace(/^-+|-+$/g, ""),
        )
        .filter(Boolean),
    ),
  ];
}

export const responseFormSchema = z.object({
  receivedOn: pastFactDateField("Received date"),
  from: required(TEXT_LIMITS.responseFrom, "From"),
  completeness: z.enum(COMPLETENESS, {
    error: `Completeness must be ${listOfValues(COMPLETENESS)}`,
  }),
  summary: trimmed(TEXT_LIMITS.summary, "Summary").optional(),
  sourceUrl: optionalUrl,
  notes: trimmed(TEXT_LIMITS.responseNotes, "Notes").optional(),
  verdicts: z
    .array(
      z.object({
        questionId: z.coerce.number().int().positive(),
        verdict: z
          .enum(VERDICTS, { error: "Pick a verdict" })
          .optional(),
      }),
    )
    .default([]),
  documents: documentsField,
});
export type ResponseFormValues = z.output<typeof responseFormSchema>;

/** A field of a form as typed, named as the form names it: for a page that shows back what was typed. */
export interface TypedField {
  name: string;
  label: string;
  value: string;
}

/** The response form's labels (components/response-form.tsx), by field name. */
const RESPONSE_FIELD_LABELS: Record<string, string> = {
  receivedOn: "Received on",
  from: "From",
  completeness: "Completeness",
  sourceUrl: "Source URL",
  summary: "Summary",
  notes: "Notes",
};

/**
 * A response form's fields as typed (`[name, value]`, in the form's order), in the form's own words:
 * labels as the form shows them, completeness and verdicts by their labels, a verdict named by its
 * question's number where the question is still known (`questionNumbers`, by id), else by its place.
 * The question ids the form carries are left out (nobody typed them), and names the form does not
 * have (a crafted form's).
 */
export function typedResponseFields(typed: ReadonlyArray<readonly [string, string]>, questionNumbers: ReadonlyMap<number, number>): TypedField[] {
  const questionIds = new Map<string, string>();
  for (const [name, value] of typed) {
    const id = /^verdicts\[(\d+)\]\.questionId$/.exec(name);
    if (id) questionIds.set(id[1]!, value);
  }
  const fields: TypedField[] = [];
  for (const [name, value] of typed) {
    if (/\.questionId$/.test(name)) continue;
    const verdict = /^verdicts\[(\d+)\]\.verdict$/.exec(name);
    if (verdict) {
      const number = questionNumbers.get(Number(questionIds.get(verdict[1]!)));
      const label = number === undefined ? `Verdict ${Number(verdict[1]) + 1}` : `Verdict on question ${number}`;
      fields.push({ name, label, value: VERDICT_TERMS.labelOf(value) });
    } else if (name === "completeness") {
      fields.push({ name, label: RESPONSE_FIELD_LABELS[name]!, value: COMPLETENESS_TERMS.labelOf(value) });
    } else if (Object.hasOwn(RESPONSE_FIELD_LABELS, name)) {
      fields.push({ name, label: RESPONSE_FIELD_LABELS[name]!, value });
    }
    // Any other name is not the form's: not sent back.
  }
  return fields;
}

/** The verdict each question gets by default for a response of this completeness. */
export function defaultVerdict(completeness: string): Verdict {
  return (COMPLETENESS_TERMS.has(completeness) && answerOf(completeness)) || "not_addressed";
}

export const extensionFormSchema = z.object({
  newDeadline: calendarDateField("New deadline"),
  grantedOn: pastDateField("Date granted"),
  reason: trimmed(1000, "Reason").optional(),
});

export const closeFormSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("close"),
    closedOn: pastDateField("Closing date"),
    reason: required(1000, "Reason"),
  }),
  z.object({ intent: z.literal("reopen") }),
]);

export const loginFormSchema = z.object({
  email: z.email({ error: "Email must be an email address" }),
  password: z.string({ error: "Password is required" }).min(1, { error: "Password is required" }),
  redirectTo: z.string().optional(),
});

const newPassword = z
  .string({ error: "New password is required" })
  .min(12, { error: "New password must be at least 12 characters" })
  .max(200, { error: "New password must be at most 200 characters" });

export const passwordFormSchema = z
  .object({
    currentPassword: z.string({ error: "Current password is required" }).min(1, { error: "Current password is required" }),
    newPassword,
    confirmPassword: z.string({ error: "Repeat the new password" }),
  })
  .refine((values) => values.newPassword === values.confirmPassword, {
    path: ["confirmPassword"],
    error: "The two new passwords differ",
  })
  .refine((values) => values.newPassword !== values.currentPassword, {
    path: ["newPassword"],
    error: "Choose a password different from the current one",
  });

export const userCreateFormSchema = z.object({
  intent: z.literal("create"),
  email: z.email({ error: "Email must be an email address" }),
  name: required(120, "Name"),
  role: z.enum(ROLES, { error: `Role must be ${listOfValues(ROLES)}` }),
});

export const userUpdateFormSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("set-role"), userId: z.coerce.number().int(), role: z.enum(ROLES) }),
  z.object({ intent: z.literal("disable"), userId: z.coerce.number().int() }),
  z.object({ intent: z.literal("enable"), userId: z.coerce.number().int() }),
  z.object({ intent: z.literal("reset-password"), userId: z.coerce.number().int() }),
]);

/** The Follow form (one schema, checked on the server and, through Conform, in the browser). */
export const followFormSchema = z.object({
  email: z
    .string({ error: "Enter your email address" })
    .trim()
    .max(254, "Email address: at most 254 characters")
    .pipe(z.email({ error: "Email address: enter an address like name@example.org" })),
  kind: z.enum(FOLLOW_SUBJECT_KINDS, { error: "What to follow: not something that can be followed" }),
  key: z.string({ error: "What to follow is missing" }).trim().min(1, "What to follow is missing").max(1000, "What to follow: too long"),
  cadence: z.enum(CADENCES, { error: "How often: choose as it happens, daily or weekly" }).default("immediate"),
});
export type FollowForm = z.infer<typeof followFormSchema>;

/**
 * The buttons of the alerts page (/follows/manage by a signed link, /account/follows signed in):
 * change how often one follow hears, stop one, or stop all. One schema for server and browser.
 */
export const manageFollowSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("cadence"),
      follow: z.coerce.number({ error: "Alert: missing" }).int("Alert: not one of yours").positive("Alert: not one of yours"),
      cadence: z.enum(CADENCES, { error: "How often: choose as it happens, daily or weekly" }),
      // The digest's hour and weekday (decision 0025); left out, the stored ones stay.
      hour: z.preprocess(
        (value) => (value === "" ? undefined : value),
        z.coerce
          .number({ error: "Hour: choose an hour from 00:00 to 23:00" })
          .int("Hour: a whole hour from 00:00 to 23:00")
          .min(0, "Hour: from 00:00 to 23:00")
          .max(23, "Hour: from 00:00 to 23:00")
          .optional(),
      ),
      weekday: z.preprocess(
        (value) => (value === "" ? undefined : value),
        z.coerce
          .number({ error: "Day of the week: choose a day from Sunday to Saturday" })
          .int("Day of the week: choose a day from Sunday to Saturday")
          .min(0, "Day of the week: choose a day from Sunday to Saturday")
          .max(6, "Day of the week: choose a day from Sunday to Saturday")
          .optional(),
      ),
    }),
    z.object({ intent: z.literal("stop"), follow: z.coerce.number({ error: "Alert: missing" }).int("Alert: not one of yours").positive("Alert: not one of yours") }),
    z.object({ intent: z.literal("stop-all") }),
  ],
  { error: "Choose what to do: change how often, stop one alert, or stop all" },
);
export type ManageFollowForm = z.infer<typeof manageFollowSchema>;

/** Asking for a fresh link to manage one's alerts (from an expired one). */
export const manageLinkRequestSchema = followFormSchema.pick({ email: true });
