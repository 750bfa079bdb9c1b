/** With PUBLIC_READ off, every page needs a sign-in; signed-in viewers read as usual. */
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as overview from "~/routes/_index";
import * as letterPage from "~/routes/letters.$slug";
import * as letterList from "~/routes/letters._index";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { freshDatabase } from "../support/database";
import { getRequest, run, signedInAs } from "../support/requests";

vi.hoisted(() => {
  process.env.PUBLIC_READ = "off";
});

const MEEKS = "meeks-castro-rubio-el-salvador-2025-04-17";

beforeAll(() => {
  seedFromFile({ db: freshDatabase(), file: DEMO_SEED_FILE });
});

describe.each([
  ["the overview", overview.loader, "/", {}],
  ["the letter list", letterList.loader, "/letters?status=overdue", {}],
  ["a letter", letterPage.loader, `/letters/${MEEKS}`, { slug: MEEKS }],
])("%s", (_name, loader, path, params) => {
  it("sends anonymous visitors to sign in, and back afterwards", async () => {
    const outcome = await run(loader as never, getRequest(path), params);
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`);
  });

  it("is readable by a signed-in viewer", async () => {
    const { cookie } = await signedInAs("viewer");
    const outcome = await run(loader as never, getRequest(path, cookie), params);
    expect(outcome.status).toBe(200);
  });
});
