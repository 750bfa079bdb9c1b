/**
 * The bulk data package (issue 13, item 8; decision 0018): the whole public dataset as a
 * Frictionless Data Package (https://specs.frictionlessdata.io/data-package/), one CSV per table,
 * each with its Table Schema (fields, types, formats, primary and foreign keys). Pure: the
 * resources' shapes, datapackage.json and the data dictionary; the rows are read by
 * app/models/data-package.server.ts. Public only: no internal notes, no user or history rows.
 */
import {
  COMPLETENESS,
  DEADLINE_SOURCES,
  LETTER_STATUSES,
  PARTIES,
  QUESTION_KINDS,
  QUESTION_STATUSES,
  CHAMBERS,
  MEMBER_CHAMBERS,
  impliedDeadlineLabel,
} from "./vocabulary";

export interface PackageField {
  name: string;
  type: "string" | "integer" | "date";
  format?: "uri";
  description: string;
  constraints?: { required?: boolean; unique?: boolean; enum?: readonly string[]; pattern?: string };
}

export interface PackageResource {
  /** The file's name without ".csv"; the resource's name. */
  name: string;
  title: string;
  description: string;
  fields: PackageField[];
  primaryKey: string[];
  foreignKeys: Array<{ fields: string[]; reference: { resource: string; fields: string[] } }>;
}

const required = { required: true } as const;
const slug = (description: string): PackageField => ({ name: "id", type: "string", description, constraints: { required: true, unique: true } });

/**
 * What effective_deadline holds, in words: with `days` (DEFAULT_RESPONSE_DAYS) a letter that sets
 * no deadline has the implied one, worded as the pages word it (impliedDeadlineLabel).
 */
function effectiveDeadlineText(days: number): string {
  const implied =
    days > 0
      ? `else, for a letter that sets none, the implied one (${impliedDeadlineLabel(days)}): deadline_source says which`
      : "a letter that sets none has none";
  return `The deadline in force on the package's date: the latest extension granted by then, else the deadline the letter set, ${implied}.`;
}

function deadlineSourceText(days: number): string {
  const meaning: Record<(typeof DEADLINE_SOURCES)[number], string> = {
    letter: "the deadline the letter set",
    extension: "an extension granted since",
    implied: days > 0 ? impliedDeadlineLabel(days) : "the letter sets none: due a default number of days after sending",
  };
  return `Where effective_deadline comes from: ${DEADLINE_SOURCES.map((source) => `${source} (${meaning[source]})`).join("; ")}. Empty when there is no deadline.`;
}

/**
 * The package's tables, their fields and keys. `days` is DEFAULT_RESPONSE_DAYS: the descriptions of
 * effective_deadline and deadline_source say what an implied deadline is with it.
 */
export function packageResources(days: number): readonly PackageResource[] {
  return [
  {
    name: "letters",
    title: "Letters",
    description: "Oversight letters from members of Congress to the executive branch, with their state of play on the package's date.",
    fields: [
      slug("The letter's address on the tracker: /letters/{id}."),
      { name: "title", type: "string", description: "What the letter is about.", constraints: required },
      { name: "sent_on", type: "date", description: "The day the letter was sent.", constraints: required },
      { name: "chamber", type: "string", description: "House, Senate or Joint.", constraints: { required: true, enum: CHAMBERS } },
      { name: "committee_id", type: "string", description: "The committee that sent it, if any (committees.id)." },
      { name: "deadline", type: "date", description: "The deadline the letter itself set, if any." },
      { name: "effective_deadline", type: "date", description: effectiveDeadlineText(days) },
      { name: "status", type: "string", description: "The letter's status on the package's date.", constraints: { required: true, enum: LETTER_STATUSES } },
      { name: "first_response_on", type: "date", description: "The day of the first substantive response (full, partial or refusal)." },
      { name: "questions_total", type: "integer", description: "Questions and requests in the letter.", constraints: required },
      {
        name: "questions_open",
        type: "integer",
        description:
          "Of them, still open on the package's date: none once the letter is closed (its unanswered questions keep the status open in questions.csv but are no longer waiting for an answer), and less those a later letter asks again (counted there, decision 0023).",
        constraints: required,
      },
      { name: "follows_up", type: "string", description: "The earlier letter this one follows up (letters.id)." },
      { name: "closed_on", type: "date", description: "The day the letter was closed, if it was." },
      { name: "closed_reason", type: "string", description: "Why it was closed." },
      { name: "summary", type: "string", description: "A short summary." },
      { name: "notes", type: "string", description: "Public notes on the record (e.g. how a date was inferred)." },
      { name: "source_url", type: "string", format: "uri", description: "Where the letter was published." },
      // Last, so that readers of the earlier columns by position keep working (decision 0014).
      { name: "deadline_source", type: "string", description: deadlineSourceText(days), constraints: { enum: DEADLINE_SOURCES } },
    ],
    primaryKey: ["id"],
    foreignKeys: [
      { fields: ["committee_id"], reference: { resource: "committees", fields: ["id"] } },
      { fields: ["follows_up"], reference: { resource: "letters", fields: ["id"] } },
    ],
  },
  {
    name: "questions",
    title: "Questions and requests",
    description: "Each numbered question or document request of a letter, with its status on the package's date.",
    fields: [
      { name: "letter_id", type: "string", description: "The letter (letters.id).", constraints: required },
      { name: "number", type: "integer", description: "Its number in the letter, from 1.", constraints: required },
      { name: "kind", type: "string", description: "What is asked.", constraints: { required: true, enum: QUESTION_KINDS } },
      { name: "text", type: "string", description: "The question as the letter asks it (paraphrased in the demo letters).", constraints: required },
      { name: "status", type: "string", description: "Open, answered, partly answered or refused.", constraints: { required: true, enum: QUESTION_STATUSES } },
      { name: "status_on", type: "date", description: "The day of the response that gave it its status; empty while open." },
      {
        name: "repeats_letter_id",
        type: "string",
        description: "For a question that asks again one of an earlier letter in its follow-up chain: that letter (letters.id); empty for a first ask.",
      },
      {
        name: "repeats_number",
        type: "integer",
        description: "With repeats_letter_id: the number of the question it asks again. Unanswered totals count a chain of asks once, at its latest ask.",
      },
      // Last, so that readers of the earlier columns by position keep working (decision 0014).
      {
        name: "asked_again_letter_id",
        type: "string",
        description:
          "For a question a later letter in its follow-up chain asks again (by the package's date): that letter (letters.id); empty if none. The other end of repeats_letter_id: the later question's repeats_* name this one.",
      },
      {
        name: "asked_again_number",
        type: "integer",
        description: "With asked_again_letter_id: the number of the later question. While that question is open, the chain is counted there, not here.",
      },
    ],
    primaryKey: ["letter_id", "number"],
    foreignKeys: [
      { fields: ["letter_id"], reference: { resource: "letters", fields: ["id"] } },
      { fields: ["repeats_letter_id", "repeats_number"], reference: { resource: "questions", fields: ["letter_id", "number"] } },
      { fields: ["asked_again_letter_id", "asked_again_number"], reference: { resource: "questions", fields: ["letter_id", "number"] } },
    ],
  },
  {
    name: "responses",
    title: "Responses",
    description: "What came back from the executive branch.",
    fields: [
      { name: "id", type: "integer", description: "The response's number in the tracker.", constraints: { required: true, unique: true } },
      { name: "letter_id", type: "string", description: "The letter answered (letters.id).", constraints: required },
      {
        name: "received_on",
        type: "string",
        description: "The day it was received (YYYY-MM-DD), or only its month (YYYY-MM) when the record gives no day.",
        constraints: { required: true, pattern: "\\d{4}-\\d{2}(-\\d{2})?" },
      },
      { name: "from", type: "string", description: "Who sent it.", constraints: required },
      { name: "completeness", type: "string", description: "Full, partial, refusal or acknowledgment.", constraints: { required: true, enum: COMPLETENESS } },
      { name: "summary", type: "string", description: "What it said." },
      { name: "source_url", type: "string", format: "uri", description: "Where it was published." },
      { name: "notes", type: "string", description: "Public notes on the record." },
    ],
    primaryKey: ["id"],
    foreignKeys: [{ fields: ["letter_id"], reference: { resource: "letters", fields: ["id"] } }],
  },
  {
    name: "senders",
    title: "Senders",
    description: "The members of Congress who signed each letter, in order.",
    fields: [
      { name: "letter_id", type: "string", description: "The letter (letters.id).", constraints: required },
      { name: "member_id", type: "string", description: "The member (members.id).", constraints: required },
      { name: "position", type: "integer", description: "Their place among the signers, from 1.", constraints: required },
      { name: "role", type: "string", description: "Their role as the letter gives it, e.g. \"Ranking Member, House Judiciary\"." },
    ],
    primaryKey: ["letter_id", "member_id"],
    foreignKeys: [
      { fields: ["letter_id"], reference: { resource: "letters", fields: ["id"] } },
      { fields: ["member_id"], reference: { resource: "members", fields: ["id"] } },
    ],
  },
  {
    name: "recipients",
    title: "Recipients",
    description: "The officials each letter was addressed to, with their title then and their agency.",
    fields: [
      { name: "letter_id", type: "string", description: "The letter (letters.id).", constraints: required },
      { name: "position", type: "integer", description: "Their place among the recipients, from 1.", constraints: required },
      { name: "name", type: "string", description: "The official's name.", constraints: required },
      { name: "title", type: "string", description: "Their title when the letter was sent.", constraints: required },
      { name: "agency_id", type: "string", description: "Their agency (agencies.id).", constraints: required },
    ],
    primaryKey: ["letter_id", "position"],
    foreignKeys: [
      { fields: ["letter_id"], reference: { resource: "letters", fields: ["id"] } },
      { fields: ["agency_id"], reference: { resource: "agencies", fields: ["id"] } },
    ],
  },
  {
    name: "topics",
    title: "Topics",
    description: "The topics each letter is tagged with.",
    fields: [
      { name: "letter_id", type: "string", description: "The letter (letters.id).", constraints: required },
      { name: "topic", type: "string", description: "The topic's address on the tracker (/letters?tag={topic}).", constraints: required },
      { name: "name", type: "string", description: "The topic.", constraints: required },
    ],
    primaryKey: ["letter_id", "topic"],
    foreignKeys: [{ fields: ["letter_id"], reference: { resource: "letters", fields: ["id"] } }],
  },
  {
    name: "members",
    title: "Members of Congress",
    description: "Every member who signed a letter or is in the roster.",
    fields: [
      slug("The member's address on the tracker: /members/{id}."),
      { name: "name", type: "string", description: "Their name.", constraints: required },
      { name: "party", type: "string", description: "D, R or I (Independent).", constraints: { required: true, enum: PARTIES } },
      { name: "state", type: "string", description: "Two-letter state or territory code.", constraints: required },
      { name: "chamber", type: "string", description: "House or Senate.", constraints: { required: true, enum: MEMBER_CHAMBERS } },
      { name: "bioguide_id", type: "string", description: "The Biographical Directory id (bioguide.congress.gov), when known." },
    ],
    primaryKey: ["id"],
    foreignKeys: [],
  },
  {
    name: "agencies",
    title: "Agencies",
    description: "Federal agencies and their components.",
    fields: [
      slug("The agency's address on the tracker: /agencies/{id}."),
      { name: "name", type: "string", description: "Its name.", constraints: required },
      { name: "acronym", type: "string", description: "Its acronym, if any." },
      { name: "parent_id", type: "string", description: "The department it belongs to (agencies.id)." },
    ],
    primaryKey: ["id"],
    foreignKeys: [{ fields: ["parent_id"], reference: { resource: "agencies", fields: ["id"] } }],
  },
  {
    name: "committees",
    title: "Committees",
    description: "Committees and subcommittees of Congress.",
    fields: [
      slug("The committee's address on the tracker: /committees/{id}."),
      { name: "name", type: "string", description: "Its name.", constraints: required },
      { name: "chamber", type: "string", description: "House, Senate or Joint.", constraints: { required: true, enum: CHAMBERS } },
      { name: "parent_id", type: "string", description: "The committee a subcommittee belongs to (committees.id)." },
    ],
    primaryKey: ["id"],
    foreignKeys: [{ fields: ["parent_id"], reference: { resource: "committees", fields: ["id"] } }],
  },
  ];
}

/** The names of the package's tables (each one CSV file), in order. */
export const PACKAGE_RESOURCE_NAMES: readonly string[] = packageResources(0).map((resource) => resource.name);

export const PACKAGE_LICENSE = {
  name: "CC0-1.0",
  title: "Creative Commons Zero v1.0 Universal",
  path: "https://creativecommons.org/publicdomain/zero/1.0/",
} as const;

export const PACKAGE_NAME = "oversight-letters";
export const PACKAGE_ZIP = "oversight-letters.zip";
export const PACKAGE_FILES = ["datapackage.json", "README.md", ...PACKAGE_RESOURCE_NAMES.map((name) => `${name}.csv`)] as const;

/** A file of the package by its name, or null: only these names are ever served. */
export function packageFileOf(name: string): string | null {
  return (PACKAGE_FILES as readonly string[]).includes(name) ? name : null;
}

/** A sentence on implied deadlines (empty when DEFAULT_RESPONSE_DAYS is 0), for the descriptor and the dictionary. */
function impliedNote(days: number): string {
  if (days <= 0) return "";
  return ` A letter that sets no deadline has one implied (${impliedDeadlineLabel(days)}): letters.csv gives that date as its effective_deadline, with deadline_source "implied".`;
}

/** datapackage.json: the descriptor, with each resource's Table Schema inline. */
export function dataPackageDescriptor({ created, asOf, siteUrl, days }: { created: string; asOf: string; siteUrl: string | null; days: number }) {
  return {
    profile: "tabular-data-package",
    name: PACKAGE_NAME,
    title: "Oversight Letter Tracker: letters, questions and responses",
    description: `Oversight letters from members of Congress to the executive branch, their questions and what came back, as of ${asOf}. Statuses are those of that day.${impliedNote(days)} See README.md for the data dictionary.`,
    version: asOf,
    created,
    ...(siteUrl ? { homepage: siteUrl } : {}),
    licenses: [PACKAGE_LICENSE],
    resources: packageResources(days).map((resource) => ({
      name: resource.name,
      title: resource.title,
      description: resource.description,
      path: `${resource.name}.csv`,
      profile: "tabular-data-resource",
      format: "csv",
      mediatype: "text/csv",
      encoding: "utf-8",
      dialect: { delimiter: ",", lineTerminator: "\r\n", quoteChar: '"', doubleQuote: true, header: true },
      schema: {
        fields: resource.fields,
        missingValues: [""],
        primaryKey: resource.primaryKey,
        foreignKeys: resource.foreignKeys.map((key) => ({
          fields: key.fields,
          // Frictionless: an empty resource name refers to the resource itself.
          reference: { resource: key.reference.resource === resource.name ? "" : key.reference.resource, fields: key.reference.fields },
        })),
      },
    })),
  };
}

/** README.md of the package: what it is, the licence, and the data dictionary (every field of every file). */
export function dataDictionary({ asOf, days }: { asOf: string; days: number }): string {
  const lines = [
    "# Oversight Letter Tracker: the public dataset",
    "",
    `Every public record of the tracker as of ${asOf}, as a Frictionless Data Package: \`datapackage.json\` describes each CSV file with its Table Schema (fields, types, primary and foreign keys).`,
    "Files are UTF-8 CSV (RFC 4180, CRLF, a header row, no byte-order mark); an empty cell is a missing value.",
    ...(days > 0 ? [impliedNote(days).trim()] : []),
    "A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written with one more leading `'` so that spreadsheets do not run it as a formula; remove exactly one to get the text back.",
    "",
    `Licence: ${PACKAGE_LICENSE.title} (${PACKAGE_LICENSE.path}). The underlying facts are U.S. public-domain records.`,
    "",
    "Not included: staff-only notes, the history of changes and who made them, user accounts, documents' files.",
    "",
  ];
  for (const resource of packageResources(days)) {
    lines.push(`## ${resource.name}.csv: ${resource.title}`, "", resource.description, "");
    lines.push(`Primary key: ${resource.primaryKey.map((name) => `\`${name}\``).join(", ")}.`);
    for (const key of resource.foreignKeys) {
      lines.push(`Foreign key: ${key.fields.map((name) => `\`${name}\``).join(", ")} → \`${key.reference.resource}.${key.reference.fields.join(", ")}\`.`);
    }
    lines.push("", "| Field | Type | Required | Description |", "| --- | --- | --- | --- |");
    for (const field of resource.fields) {
      const type = field.constraints?.enum ? `${field.type} (one of ${field.constraints.enum.join(", ")})` : field.format ? `${field.type} (${field.format})` : field.type;
      lines.push(`| \`${field.name}\` | ${type} | ${field.constraints?.required ? "yes" : "no"} | ${field.description.replace(/\|/g, "\\|")} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
