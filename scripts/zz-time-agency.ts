import { getAgencyScorecard } from "~/models/agencies.server";
import { profileLists, profilePage } from "~/models/profiles.server";
import { senderSideFigures } from "~/models/answered.server";
import { ALL_LETTERS, parseLetterFilters } from "~/domain/filters";
import { useReadOnlyDb } from "../db/client.server";
const t = (label: string, f: () => unknown) => { const s = performance.now(); f(); console.log(label, (performance.now() - s).toFixed(0), "ms"); };
useReadOnlyDb();
const filters = parseLetterFilters(new URLSearchParams("")).filters;
for (const asOf of ["2026-12-02", "2020-03-04", "2020-03-05"] as const) {
  const slug = process.argv[2] ?? "department-of-state";
  t(`${asOf} scorecard`, () => getAgencyScorecard({ slug, asOf: asOf as never }));
  t(`${asOf} profileLists`, () => profileLists({ asOf: asOf as never, scope: { agency: slug }, letterFilters: filters }));
  t(`${asOf} senderSides`, () => senderSideFigures({ asOf: asOf as never, selection: { ...ALL_LETTERS, agency: slug } }));
}
