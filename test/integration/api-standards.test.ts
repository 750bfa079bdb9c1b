/**
 * The read API's documented shapes everywhere (issue 13, item 5; README "Read API"): errors carry
 * `parameter`, every list pages with `meta` and refuses a page past the end, a future `asOf` and a
 * repeated single-valued parameter are refused naming them, one letter as of a day before it was
 * sent is a 404 like the lists, and /api/agencies carries each agency's figures with their n.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { MIN_LETTERS_TO_RATE } from "~/domain/statistics";
import { agencyFigures } from "~/models/dashboard.server";
import { loader as agenciesApi } from "~/routes/api.agencies";
import { loader as lettersApi } from "~/routes/api.letters";
import { loader as letterApi } from "~/routes/api.letters_.$slug";
import { loader as questionsApi } from "~/routes/api.questions";
import { freshDatabase } from "../support/database";

type Loader = (args: LoaderFunctionArgs) => Response | Promise<Response>;

const BUTLER = "comer-cheatle-butler-documents-2024-07-15";

async function json(loader: Loader, path: string, params: Record<string, string> = {}) {
  const response = await loader({ request: new Request(`http://tracker.test${path}`), params, context: {} } as LoaderFunctionArgs);
  return { status: response.status, body: (await response.json()) as any };
}

const LISTS: Array<[string, Loader]> = [
  ["/api/letters", lettersApi],
  ["/api/questions", questionsApi],
  ["/api/agencies", agenciesApi],
];

beforeAll(() => {
  const db = freshDatabase();
  // The demo letters: State has 11 (rated), the other agencies fewer than 5.
  seedFromFile({ db, file: DEMO_SEED_FILE });
});

describe("errors name their parameter", () => {
  it.each([
    // [path, loader, status, parameter, message]
    ...LISTS.map(([path, loader]) => [`${path}?page=99`, loader, 400, "page", /^page: 99 is past the last page/] as const),
    ...LISTS.map(([path, loader]) => [`${path}?asOf=2099-01-01`, loader, 400, "asOf", /^asOf: "2099-01-01" is in the future/] as const),
    ...LISTS.map(([path, loader]) => [`${path}?per_page=5&per_page=50`, loader, 400, "per_page", /^per_page: given 2 times \("5", "50"\); give it once/] as const),
    ...LISTS.map(([path, loader]) => [`${path}?sort=sent&sort=title`, loader, 400, "sort", /^sort: given 2 times/] as const),
    ...LISTS.map(([path, loader]) => [`${path}?agency=a&agency=b`, loader, 400, "agency", /^agency: given 2 times/] as const),
    [`/api/letters/${BUTLER}?asOf=2099-01-01`, letterApi, 400, "asOf", /^asOf: "2099-01-01" is in the future/],
    [`/api/letters/${BUTLER}?asOf=2025-01-01&asOf=2025-02-01`, letterApi, 400, "asOf", /^asOf: given 2 times/],
    ["/api/letters/nope", letterApi, 404, "slug", /^There is no letter "nope"\.$/],
    [`/api/letters/${BUTLER}?asOf=2024-07-14`, letterApi, 404, "asOf", /^There was no letter "comer-cheatle-butler-documents-2024-07-15" on 2024-07-14 \(asOf\): it was sent on 2024-07-15\.$/],
  ] as const)("%s answers %i naming %s", async (path, loader, status, parameter, message) => {
    const slug = path.startsWith("/api/letters/") ? decodeURIComponent(path.slice("/api/letters/".length).split("?")[0]!) : undefined;
    const { status: got, body } = await json(loader, path, slug ? { slug } : {});
    expect(got).toBe(status);
    expect(body).toEqual({ error: { status, message: expect.stringMatching(message), parameter } });
  });

  it.each(LISTS)("%s with a future asOf says so once (the filters' note for pages is left out)", async (path, loader) => {
    const { status, body } = await json(loader, `${path}?asOf=2099-01-01`);
    expect(status).toBe(400);
    expect((body.error.message as string).match(/2099-01-01/g)).toHaveLength(1);
  });

  it.each([
    ["/api/letters?status=overdue&status=awaiting", lettersApi],
    ["/api/questions?status=open&status=partial&kind=question&kind=document_request", questionsApi],
    [`/api/letters/${BUTLER}?asOf=2024-07-15`, letterApi],
    ["/api/agencies?asOf=2024-07-15", agenciesApi],
  ] as const)("%s (repeatable lists, today or a past day) answers 200", async (path, loader) => {
    const { status } = await json(loader, path, { slug: BUTLER });
    expect(status).toBe(200);
  });

  it("the list, as of a day before a letter was sent, leaves it out as the one letter's 404 does", async () => {
    const before = await json(lettersApi, "/api/letters?asOf=2024-07-14&per_page=500");
    expect(before.body.data.map((letter: { slug: string }) => letter.slug)).not.toContain(BUTLER);
    const on = await json(lettersApi, "/api/letters?asOf=2024-07-15&per_page=500");
    expect(on.body.data.map((letter: { slug: string }) => letter.slug)).toContain(BUTLER);
  });
});

describe("/api/agencies", () => {
  it("pages like the other lists", async () => {
    const first = await json(agenciesApi, "/api/agencies?per_page=3");
    expect(first.status).toBe(200);
    expect(first.body.meta).toMatchObject({ page: 1, per_page: 3, prev: null, next: "/api/agencies?page=2&per_page=3" });
    expect(first.body.meta.page_count).toBe(Math.ceil(first.body.meta.total / 3));
    expect(first.body.data).toHaveLength(3);
    const last = await json(agenciesApi, `/api/agencies?per_page=3&page=${first.body.meta.page_count}`);
    expect(last.body.meta.next).toBeNull();
    const everyOne = await json(agenciesApi, "/api/agencies?per_page=500");
    expect(everyOne.body.data.slice(0, 3)).toEqual(first.body.data);
    expect(new Set(everyOne.body.data.map((agency: { slug: string }) => agency.slug)).size).toBe(first.body.meta.total);
  });

  it("carries each agency's figures as its pages show them, each with its n, null below the small-n rule", async () => {
    const { body } = await json(agenciesApi, "/api/agencies?per_page=500");
    const pages = new Map(agencyFigures({ asOf: body.meta.as_of }).map((figure) => [figure.slug, figure]));
    let rated = 0;
    let tooFew = 0;
    for (const agency of body.data) {
      expect(agency).toEqual({
        slug: expect.any(String),
        name: expect.any(String),
        acronym: agency.acronym,
        letters_total: expect.any(Number),
        letters_open: expect.any(Number),
        letters_overdue: expect.any(Number),
        answered: { count: expect.any(Number), n: agency.letters_total, rate: agency.answered.rate },
        on_time: { count: expect.any(Number), n: expect.any(Number), rate: agency.on_time.rate },
        median_response_days: { days: agency.median_response_days.days, n: agency.letters_total },
      });
      const page = pages.get(agency.slug);
      expect(agency.answered.count).toBe(page?.answered.count ?? 0);
      expect(agency.on_time).toMatchObject({ count: page?.onTime.count ?? 0, n: page?.onTime.n ?? 0 });
      if (agency.letters_total < MIN_LETTERS_TO_RATE) {
        tooFew++;
        expect(agency.answered.rate).toBeNull();
        expect(agency.median_response_days.days).toBeNull();
      } else {
        rated++;
        expect(agency.answered.rate).toBeCloseTo(agency.answered.count / agency.letters_total, 4);
        expect(agency.median_response_days.days).toBe(page!.medianDays);
      }
      if (agency.on_time.n < MIN_LETTERS_TO_RATE) expect(agency.on_time.rate).toBeNull();
    }
    expect(rated).toBeGreaterThan(0);
    expect(tooFew).toBeGreaterThan(0);
  });
});
