/** Replies for submissions the database refused (app/utils/form-submission.ts). */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_FORM_ENTRIES, MAX_LIST_INDEX, MAX_NAME_DEPTH, parseSubmission, refusedReply, TOO_MANY_FIELDS_MESSAGE } from "~/utils/form-submission";

const recording = { reply: (options: { formErrors?: string[]; fieldErrors: Record<string, string[]> }) => options };

describe("refusedReply", () => {
  it.each([
    ["a field's error", { slug: ["Slug is taken"] }, { formErrors: undefined, fieldErrors: { slug: ["Slug is taken"] } }],
    ["a form-wide error (key \"\")", { "": ["The letter changed meanwhile"] }, { formErrors: ["The letter changed meanwhile"], fieldErrors: {} }],
    [
      "both",
      { "": ["Try again"], "questions[0].text": ["Required"] },
      { formErrors: ["Try again"], fieldErrors: { "questions[0].text": ["Required"] } },
    ],
  ])("puts %s where the form shows it", (_name, errors, expected) => {
    expect(refusedReply(recording, errors)).toEqual(expected);
  });
});

describe("ATTACK 11c: list indices past any form's lists", () => {
  // One anonymous 50-byte POST to /follow naming `x[100000000]` ran a worker out of memory: conform
  // builds an array as long as the index says before the schema looks at it.
  const schema = z.object({ email: z.string(), questions: z.array(z.object({ text: z.string() })).max(500, { error: "At most 500 questions" }).default([]) });
  const longestList = (value: unknown): number => {
    if (Array.isArray(value)) return Math.max(value.length, ...value.map(longestList));
    if (value && typeof value === "object") return Math.max(0, ...Object.values(value).map(longestList));
    return 0;
  };
  const form = (entries: Array<[string, string]>) => {
    const data = new FormData();
    for (const [name, value] of entries) data.append(name, value);
    return data;
  };

  it.each([
    ["a field's name", [["x[100000000]", "1"]]],
    ["a nested field's name", [["questions[0].text", "a"], ["questions[2000000].text", "b"]]],
    ["a list intent's field", [["__intent__", JSON.stringify({ type: "update", payload: { name: "questions[100000000].text", value: "x" } })]]],
    // Review finding: conform reads a dotted digits segment as an index into an array made by `x[0]`.
    ["a dotted index after a bracketed one", [["x[0]", "a"], ["x.100000000", "b"]]],
    ["a dotted index in a nested name", [["questions[0].text", "a"], ["questions.3000000.text", "b"]]],
    ["a list intent's dotted field", [["__intent__", JSON.stringify({ type: "update", payload: { name: "questions.100000000.text", value: "x" } })]]],
    // Review findings (review15): an update intent setting a list's `length`, and an intent whose
    // name is an array (conform takes it as the path's segments unchecked). Sizes kept small here
    // (20,000, past the bound) so that the test runs fast without the fix too.
    ["a list intent setting a list's length", [["questions[0].text", "a"], ["__intent__", JSON.stringify({ type: "update", payload: { name: "questions.length", value: 20_000 } })]]],
    ["a list intent setting a length as text", [["x[0]", "a"], ["__intent__", JSON.stringify({ type: "update", payload: { name: "x.length", value: "20000" } })]]],
    ["a list intent whose name is segments", [["__intent__", JSON.stringify({ type: "update", payload: { name: ["x", 20_000], value: "b" } })]]],
    ["a reset intent whose name is segments", [["__intent__", JSON.stringify({ type: "reset", payload: { name: ["questions", 20_000, "text"] } })]]],
  ] as Array<[string, Array<[string, string]>]>)("an index past MAX_LIST_INDEX in %s builds no long array", (_name, entries) => {
    const submission = parseSubmission(form([["email", "a@example.org"], ...entries]), { schema });
    expect(longestList(submission.payload)).toBeLessThanOrEqual(MAX_LIST_INDEX + 1);
  });

  it.each([
    ["dotted", `a${".a".repeat(200_000)}`],
    ["bracketed", `a${"[0]".repeat(200_000)}`],
    ["an intent's", "__intent__"],
  ])("a field name nested 200,000 deep (%s) is dropped, not a stack overflow (a 500 on any form)", (_kind, name) => {
    const deep = name === "__intent__" ? JSON.stringify({ type: "update", payload: { name: `x${".x".repeat(200_000)}`, value: "v" } }) : "x";
    const submission = parseSubmission(form([["email", "a@example.org"], [name, deep]]), { schema: z.object({ email: z.email() }) });
    // The reply a form is given back with reads the whole value tree too.
    expect(JSON.stringify(submission.reply())).toContain("a@example.org");
  });

  it("keeps names as deep as the forms' own (MAX_NAME_DEPTH)", () => {
    const name = `a${"[0]".repeat(MAX_NAME_DEPTH)}`;
    const submission = parseSubmission(form([["email", "a@example.org"], [name, "kept"]]), { schema: z.object({ email: z.string() }).passthrough() });
    expect(JSON.stringify(submission.payload)).toContain("kept");
  });

  it("keeps lists up to the bound, so the schema's own limit still answers", () => {
    const entries: Array<[string, string]> = Array.from({ length: 501 }, (_, index) => [`questions[${index}].text`, "q"]);
    const submission = parseSubmission(form([["email", "a@example.org"], ...entries]), { schema });
    expect(submission.status).toBe("error");
    expect(JSON.stringify(submission.reply())).toContain("At most 500");
  });
});

describe("a forged list state (__state__)", () => {
  // Review finding (review15): conform parses `__state__` unguarded, so one that is not JSON threw
  // out of parseSubmission (both its tries): a 500 for any form, anonymous ones included.
  const schema = z.object({ email: z.string() });
  it.each([
    ["not JSON", "{"],
    ["a file", new File(["{}"], "state.json")],
  ] as Array<[string, string | File]>)("%s is dropped: the form is parsed, not thrown", (_name, state) => {
    const data = new FormData();
    data.append("email", "a@example.org");
    data.append("__state__", state);
    const submission = parseSubmission(data, { schema });
    expect(submission.status).toBe("success");
  });
});

describe("attack12: values nested deeper than any form's, in a forged list state or an intent's value", () => {
  // The name's depth is bounded (MAX_NAME_DEPTH), but a JSON value 1,000 objects deep in
  // `__state__` or in an update intent's value reached the reply: a 500 for the anonymous sign-in
  // form (POST /login, 12 kB), from conform's normalize or the reply's serialization.
  const schema = z.object({ email: z.string() });
  const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  it.each([
    ["a list state", "__state__", `{"validated":${deep(5_000)}}`],
    ["an update intent's value", "__intent__", `{"type":"update","payload":{"name":"email","value":${deep(5_000)}}}`],
  ])("%s is dropped: the form is parsed and given back, not a stack overflow", (_kind, name, value) => {
    const data = new FormData();
    data.append("email", "a@example.org");
    data.append(name, value);
    const submission = parseSubmission(data, { schema });
    const reply = JSON.stringify(submission.reply());
    expect(reply).toContain("a@example.org");
    expect(reply.length).toBeLessThan(2_000);
  });

  it("keeps a list state and an intent value as deep as the forms' own", () => {
    const data = new FormData();
    data.append("email", "a@example.org");
    data.append("__intent__", JSON.stringify({ type: "update", payload: { name: "email", value: "b@example.org" } }));
    const submission = parseSubmission(data, { schema });
    expect(submission.payload).toMatchObject({ email: "b@example.org" });
  });
});

describe("a name repeated past a list's longest", () => {
  it("keeps MAX_LIST_INDEX + 1 of its values, so a form re-rendered from it is bounded (attack 25: 10,000 repeats held the event loop for seconds; 5,000 here, within MAX_FORM_ENTRIES)", () => {
    const form = new FormData();
    form.set("title", "x");
    for (let i = 0; i < 5_000; i++) form.append("documents", "a".repeat(64));
    const submission = parseSubmission(form, { schema: z.object({ title: z.string(), documents: z.array(z.string()).max(20) }) });
    expect(submission.status).toBe("error");
    expect((submission.payload as { documents: string[] }).documents).toHaveLength(MAX_LIST_INDEX + 1);
    expect((submission.payload as { title: string }).title).toBe("x");
  });

  it("leaves a form within the bounds as it is", () => {
    const form = new FormData();
    for (let i = 0; i <= MAX_LIST_INDEX; i++) form.append("keepJob", String(i));
    const submission = parseSubmission(form, { schema: z.object({ keepJob: z.array(z.string()) }) });
    expect((submission.payload as { keepJob: string[] }).keepJob).toHaveLength(MAX_LIST_INDEX + 1);
  });
});

describe("a form with more fields than any form of the tracker", () => {
  const schema = z.object({ documents: z.array(z.array(z.string())).max(20) });
  const formOf = (count: number) => {
    const form = new FormData();
    // documents[0..999], each repeated: 100,000 of them came back as a 14.5 MB page (attack 25).
    for (let i = 0; i < count; i++) form.append(`documents[${i % 1000}]`, "a".repeat(64));
    return form;
  };

  it("is refused whole with a message, its fields not sent back", () => {
    const submission = parseSubmission(formOf(MAX_FORM_ENTRIES + 1), { schema });
    expect(submission.status).toBe("error");
    expect((submission as { error?: Record<string, string[] | null> }).error?.[""]).toEqual([TOO_MANY_FIELDS_MESSAGE]);
    expect(JSON.stringify(submission.reply()).length).toBeLessThan(1_000);
  });

  it("is parsed as sent up to the limit", () => {
    const submission = parseSubmission(formOf(MAX_FORM_ENTRIES), { schema });
    expect((submission as { error?: Record<string, string[] | null> }).error?.[""]).toBeUndefined();
    expect(Object.keys((submission.payload as { documents: unknown[] }).documents)).toHaveLength(1000);
  });
});
