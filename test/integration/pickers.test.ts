/**
 * The searchable pickers against the demo letters: suggestions by word prefix through the FTS5
 * index (and its query plan), the index kept in step by triggers, typed names resolved for the
 * filter pages and the letter form (one match, none, several), and GET /pickers/:kind.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { members, officials } from "../../db/schema";
import { MAX_PICKER_RESULTS } from "~/domain/pickers";
import { letterFormLabels, resolveLetterFormPicks } from "~/models/letter-forms.server";
import { pickerItems, resolvePick, resolveSelectionPicks, searchPicker } from "~/models/pickers.server";
import { loader as pickerLoader } from "~/routes/pickers.$kind";
import { loader as lettersLoader } from "~/routes/letters._index";
import { loader as questionsLoader } from "~/routes/questions._index";
import * as letterNew from "~/routes/letters.new";
import { createLetter } from "../factories";
import { freshDatabase, tableCounts } from "../support/database";
import { queryPlans } from "../support/query-plans";
import { formRequest, run, signedInAs } from "../support/requests";

const DHS = "u-s-department-of-homeland-security";
let db: Db;

beforeAll(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
});

const labels = (kind: Parameters<typeof searchPicker>[0], q: string) => searchPicker(kind, q).items.map((item) => item.label);

describe("suggestions", () => {
  it("finds names by the start of any of their words, ignoring case and accents", () => {
    expect(searchPicker("agencies", "Home").items).toEqual([{ value: DHS, label: "U.S. Department of Homeland Security", hint: "DHS" }]);
    expect(labels("agencies", "homeLAND séc")).toEqual(["U.S. Department of Homeland Security"]);
    expect(labels("agencies", "u.s. dep")).toEqual([
      "U.S. Department of Homeland Security",
      "U.S. Department of Justice",
      "U.S. Department of State",
      "U.S. Department of the Treasury",
    ]);
    expect(searchPicker("members", "rask").items).toEqual([{ value: "jamie-raskin", label: "Jamie Raskin (D-MD)", hint: "House" }]);
    expect(labels("officials", "treasury")).toEqual(["Scott Bessent, Secretary of the Treasury (U.S. Department of the Treasury)"]);
    expect(labels("topics", "salv")).toEqual(["el salvador"]);
    expect(labels("committees", "senate fin")).toEqual([
      "Senate Finance Committee (Democrats)",
      "Senate Banking; Senate Finance; Senate Appropriations FSGG Subcommittee (Democrats)",
    ]);
  });

  it("puts names that start with the typed text first, and finds an agency by its acronym", () => {
    expect(labels("members", "m")[0]).toMatch(/^M/);
    expect(labels("agencies", "ice")).toEqual(["U.S. Immigration and Customs Enforcement"]);
  });

  it("gives at most 20 suggestions and says when there are more, whatever the text's length", () => {
    db.insert(members)
      .values(Array.from({ length: 25 }, (_, i) => ({ slug: `zed-many-${i}`, name: `Zed Many ${i}`, party: "I" as const, state: "ZZ", chamber: "House" as const })))
      .run();
    const many = searchPicker("members", "zed");
    expect(many.items).toHaveLength(MAX_PICKER_RESULTS);
    expect(many.more).toBe(true);
    expect(searchPicker("members", "").items).toEqual([]);
    expect(searchPicker("members", "  ,.; ").items).toEqual([]);
    expect(searchPicker("agencies", `${"home ".repeat(500)}"*) OR (`).items.map((item) => item.value)).toEqual([DHS]);
  });

  it("reads the FTS5 index and each match's row by its primary key", () => {
    const plans = queryPlans(db, () => searchPicker("officials", "secretary state"), /picker_index/);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatch(/SCAN picker_index VIRTUAL TABLE INDEX \d+:M/);
    expect(plans[0]).toMatch(/SEARCH x USING INTEGER PRIMARY KEY/);
    expect(plans[0]).toMatch(/SEARCH a USING INTEGER PRIMARY KEY/);
  });

  it("follows every write: new agencies, officials and topics, and a renamed agency", () => {
    createLetter(db, {
      id: "picker-index-letter",
      title: "A letter to a new agency",
      recipients: [{ name: "Nora Newcomb", title: "Administrator", agency: "Office of Picker Testing" }],
      topic_tags: ["zebra-crossings"],
    });
    expect(labels("agencies", "picker test")).toEqual(["Office of Picker Testing"]);
    expect(labels("officials", "newcomb")).toEqual(["Nora Newcomb, Administrator (Office of Picker Testing)"]);
    expect(labels("topics", "zebra")).toEqual(["zebra crossings"]);
    db.$client.prepare("UPDATE agencies SET name = 'Bureau of Renamed Things' WHERE name = 'Office of Picker Testing'").run();
    expect(labels("agencies", "picker test")).toEqual([]);
    expect(labels("agencies", "renamed")).toEqual(["Bureau of Renamed Things"]);
    // An official is found by the agency's new name.
    expect(labels("officials", "renamed")).toEqual(["Nora Newcomb, Administrator (Bureau of Renamed Things)"]);
  });
});

describe("typed names", () => {
  it("resolve an identifier, a label, a name or the only prefix match", () => {
    for (const typed of [DHS, "U.S. Department of Homeland Security", "u.s. department of homeland security", "DHS", "homeland"]) {
      expect(resolvePick("agencies", typed), typed).toMatchObject({ ok: true, item: { value: DHS } });
    }
    expect(resolvePick("members", "Ron Wyden (D-OR)")).toMatchObject({ ok: true, item: { value: "ron-wyden" } });
    expect(resolvePick("members", "ron wyden")).toMatchObject({ ok: true, item: { value: "ron-wyden" } });
    const rubio = resolvePick("officials", "Marco Rubio, Secretary of State (U.S. Department of State)");
    expect(rubio).toMatchObject({ ok: true, item: { label: "Marco Rubio, Secretary of State (U.S. Department of State)" } });
    expect(resolvePick("officials", (rubio as { item: { value: string } }).item.value)).toEqual(rubio);
    expect(resolvePick("members", "   ")).toBeNull();
  });

  it("say which several they match, or that they match none", () => {
    const several = resolvePick("agencies", "U.S. Department");
    expect(several).toMatchObject({ ok: false, more: false });
    expect((several as { matches: unknown[] }).matches).toHaveLength(4);
    expect(resolvePick("agencies", "Ministry of Magic")).toEqual({ ok: false, matches: [], more: false });
    // An identifier of no row is read as a name.
    expect(resolvePick("agencies", "no-such-agency")).toEqual({ ok: false, matches: [], more: false });
  });

  it("name the identifiers when two people share a label", () => {
    db.insert(members).values([
      { slug: "pat-twin", name: "Pat Twin", party: "D", state: "NY", chamber: "House" },
      { slug: "pat-twin-2", name: "Pat Twin", party: "D", state: "NY", chamber: "House" },
    ]).run();
    const { picks } = resolveSelectionPicks(new URLSearchParams("member=Pat+Twin+(D-NY)"));
    expect(resolveSelectionPicks(new URLSearchParams("member=pat-twin")).canonicalSearch).toBeNull();
    expect(picks.member?.error).toBe(
      'Member: "Pat Twin (D-NY)" matches 2 members (Pat Twin (D-NY) [pat-twin]; Pat Twin (D-NY) [pat-twin-2]); type more of the name or the identifier in brackets',
    );
    expect(resolvePick("members", "pat-twin-2")).toMatchObject({ ok: true, item: { value: "pat-twin-2" } });
  });
});

describe("the filter pages", () => {
  it("read slugs and typed names alike, keep the typed text of a name that matches no one, and say why", () => {
    const { params, picks, canonicalSearch } = resolveSelectionPicks(
      new URLSearchParams({ agency: "Homeland Security", member: "jamie-raskin", committee: "House", tag: "Zanzibar", status: "overdue" }),
    );
    expect(Object.fromEntries(params)).toEqual({ agency: DHS, member: "jamie-raskin", status: "overdue" });
    // One of the names matched no one: the page stays, to say so.
    expect(canonicalSearch).toBeNull();
    expect(picks.agency).toEqual({ value: DHS, text: "U.S. Department of Homeland Security", error: null });
    expect(picks.member).toEqual({ value: "jamie-raskin", text: "Jamie Raskin (D-MD)", error: null });
    expect(picks.committee?.text).toBe("House");
    expect(picks.committee?.error).toMatch(/^Committee: "House" matches \d+ committees \(House .*\); type more of the name$/);
    expect(picks.tag).toEqual({ value: "Zanzibar", text: "Zanzibar", error: 'Topic: no topic matches "Zanzibar"; check the spelling' });
  });

  it("send a typed name that matches one on to the address with its slug, and send no list of choices", async () => {
    const args = (path: string) => ({ request: new Request(`http://tracker.test${path}`), params: {}, context: {} });
    const redirected = async (run: () => unknown) => {
      try {
        await run();
      } catch (thrown) {
        if (thrown instanceof Response) return [thrown.status, thrown.headers.get("Location")];
        throw thrown;
      }
      return null;
    };
    expect(await redirected(() => lettersLoader(args("/letters?status=&agency=U.S.+Department+of+Homeland+Security&q=&sort=title")))).toEqual([
      302,
      `/letters?agency=${DHS}&sort=title`,
    ]);
    expect(await redirected(() => questionsLoader(args("/questions?member=Raskin&status=all")))).toEqual([302, "/questions?member=jamie-raskin&status=all"]);
    const bySlug = await lettersLoader(args(`/letters?agency=${DHS}`));
    expect(bySlug.result.total).toBeGreaterThan(0);
    expect(bySlug.picks.agency).toEqual({ value: DHS, text: "U.S. Department of Homeland Security", error: null });
    expect(Object.keys(bySlug)).not.toContain("options");
    // A name that matches no one: no redirect, the filter is left out, the field keeps the text and says why.
    const unknown = await lettersLoader(args(`/letters?agency=Nowhere&member=jamie-raskin`));
    expect(unknown.filters).toMatchObject({ agency: null, member: "jamie-raskin" });
    expect(unknown.picks.agency).toMatchObject({ text: "Nowhere", error: 'Agency: no agency matches "Nowhere"; check the spelling' });
  });
});

describe("the letter form", () => {
  it("turns typed senders and recipients into slugs and ids, and names the field of one that matches no one", () => {
    const form = new FormData();
    form.append("title", "Kept as is");
    form.append("senders[0].member", "Ron Wyden");
    form.append("senders[1].member", "Nobody Atall");
    form.append("senders[2].member", "");
    form.append("recipients[0].official", "Scott Bessent");
    form.append("recipients[1].official", "Secretary");
    const { formData, errors, labels: picked } = resolveLetterFormPicks(form);
    const bessent = String(db.select({ id: officials.id }).from(officials).where(eq(officials.name, "Scott Bessent")).get()!.id);
    expect([...formData]).toEqual([
      ["title", "Kept as is"],
      ["senders[0].member", "ron-wyden"],
      ["senders[1].member", "Nobody Atall"],
      ["senders[2].member", ""],
      ["recipients[0].official", bessent],
      ["recipients[1].official", "Secretary"],
    ]);
    expect(errors["senders[1].member"]).toEqual([
      `Sender 2: no member matches "Nobody Atall"; check the spelling, or leave it empty and fill in the new member's name, party, state and chamber`,
    ]);
    expect(errors["recipients[1].official"]?.[0]).toMatch(/^Recipient 2: "Secretary" matches \d+ officials \(.*\); type more of the name, or leave it empty/);
    expect(picked).toEqual({
      members: { "ron-wyden": "Ron Wyden (D-OR)" },
      officials: { [bessent]: "Scott Bessent, Secretary of the Treasury (U.S. Department of the Treasury)" },
    });
    expect(letterFormLabels({ senders: [{ member: "ron-wyden" }, {}], recipients: [{ official: bessent }] })).toEqual(picked);
    expect(pickerItems("officials", ["0", "x", bessent]).size).toBe(1);
  });

  it("saves a letter whose people were typed by name, and refuses one that names no one, keeping the text", async () => {
    const editor = await signedInAs("editor");
    const letter = {
      intent: "save",
      title: "Typed names for senders and recipients",
      sentOn: "2025-05-02",
      chamber: "Senate",
      "senders[0].member": "Ron Wyden (D-OR)",
      "recipients[0].official": "Scott Bessent, Secretary of the Treasury (U.S. Department of the Treasury)",
    };
    const before = tableCounts(db);
    const refused = await run(letterNew.action as never, formRequest("/letters/new", { ...letter, "senders[0].member": "Ron Wydn" }, editor.cookie));
    expect(refused.status).toBe(400);
    const data = refused.data as { result: { error: Record<string, string[]>; initialValue: { senders: Array<{ member: string }> } } };
    expect(data.result.error["senders[0].member"]?.[0]).toMatch(/^Sender 1: no member matches "Ron Wydn"/);
    expect(data.result.initialValue.senders[0]?.member).toBe("Ron Wydn");
    expect(tableCounts(db)).toEqual(before);

    const saved = await run(letterNew.action as never, formRequest("/letters/new", letter, editor.cookie));
    expect(saved.status).toBe(302);
    expect(saved.location).toBe("/letters/typed-names-for-senders-and-recipients-2025-05-02");
    const row = db.$client
      .prepare(
        `SELECT m.slug AS member, o.name AS official FROM letters l JOIN letter_senders s ON s.letter_id = l.id JOIN members m ON m.id = s.member_id
         JOIN letter_recipients r ON r.letter_id = l.id JOIN officials o ON o.id = r.official_id WHERE l.slug = ?`,
      )
      .get("typed-names-for-senders-and-recipients-2025-05-02");
    expect(row).toEqual({ member: "ron-wyden", official: "Scott Bessent" });
  });
});

describe("a typed name that matches several, on the letter form without JavaScript", () => {
  it("is offered as a choice of its matches (each one to pick), keeping everything typed; saving with one chosen saves it", async () => {
    const editor = await signedInAs("editor");
    const letter = {
      intent: "save",
      title: "An ambiguous recipient",
      sentOn: "2025-05-03",
      chamber: "Senate",
      "senders[0].member": "Ron Wyden",
      "recipients[0].official": "Secretary",
      "questions[0].text": "Typed before the choice: kept.",
      "questions[0].kind": "question",
    };
    const before = tableCounts(db);
    const refused = await run(letterNew.action as never, formRequest("/letters/new", letter, editor.cookie));
    expect(refused.status).toBe(400);
    const data = refused.data as {
      result: { error: Record<string, string[]>; initialValue: { title: string; recipients: Array<{ official: string }>; questions: Array<{ text: string }> } };
      choices: Record<string, Array<{ value: string; label: string; hint: string | null }>>;
    };
    expect(data.result.error["recipients[0].official"]?.[0]).toMatch(/^Recipient 1: "Secretary" matches \d+ officials/);
    const offered = data.choices["recipients[0].official"]!;
    expect(offered.length).toBeGreaterThan(1);
    const bessent = offered.find((choice) => choice.label.startsWith("Scott Bessent"))!;
    expect(bessent).toMatchObject({ label: "Scott Bessent, Secretary of the Treasury (U.S. Department of the Treasury)" });
    // Only the ambiguous field gets choices; everything typed comes back.
    expect(Object.keys(data.choices)).toEqual(["recipients[0].official"]);
    expect(data.result.initialValue).toMatchObject({ title: "An ambiguous recipient", recipients: [{ official: "Secretary" }], questions: [{ text: "Typed before the choice: kept." }] });
    expect(tableCounts(db)).toEqual(before);

    // The form as sent again with one of the choices picked (the text field still says "Secretary").
    const saved = await run(letterNew.action as never, formRequest("/letters/new", { ...letter, "choice:recipients[0].official": bessent.value }, editor.cookie));
    expect(saved.status).toBe(302);
    const row = db.$client
      .prepare(`SELECT o.name AS official FROM letters l JOIN letter_recipients r ON r.letter_id = l.id JOIN officials o ON o.id = r.official_id WHERE l.slug = ?`)
      .get("an-ambiguous-recipient-2025-05-03");
    expect(row).toEqual({ official: "Scott Bessent" });
  });
});

describe("GET /pickers/:kind", () => {
  const get = (kind: string, q: string) =>
    pickerLoader({ request: new Request(`http://tracker.test/pickers/${kind}?q=${encodeURIComponent(q)}`), params: { kind }, context: {} });

  it("answers JSON suggestions, cacheable, and 404 for an unknown kind", async () => {
    const response = await get("agencies", "home");
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control") ?? "").not.toMatch(/no-store/);
    expect(await response.json()).toEqual({ data: [{ value: DHS, label: "U.S. Department of Homeland Security", hint: "DHS" }], meta: { more: false } });
    const unknown = await get("letters", "x");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { status: 404, parameter: "kind" } });
  });
});
