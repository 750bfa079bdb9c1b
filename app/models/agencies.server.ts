/** Agency scorecards: the ranking and one agency's page. */
import { ALL_LETTERS } from "~/domain/filters";
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import type { CalendarDate } from "~/domain/dates";
import { summarizeCurve } from "~/domain/statistics";
import { sortScorecards, type ScorecardSort } from "~/domain/scorecards";
import { cachedForToday } from "./figure-cache.server";
import { agencyFigures, agencyRow, questionCounts } from "./dashboard.server";
import { withStateSnapshot } from "./state-snapshot.server";

export function listAgencyScorecards({ asOf, sort = "letters" }: { asOf: CalendarDate; sort?: ScorecardSort }) {
  return withStateSnapshot({
    asOf,
    cacheKey: `scorecards:${sort}`,
    run: () => sortScorecards(agencyFigures({ asOf }).map(agencyRow), sort),
  });
}

/**
 * An agency's figures as of `asOf` (kept for today until the data changes), or undefined when it has
 * no letters by then. Over the agency's letters only: for a past date their state is computed, not
 * every letter's. The scorecard and the agency's badge share them (one key).
 */
function keptAgencyFigures({ slug, asOf }: { slug: string; asOf: CalendarDate }) {
  return cachedForToday({
    asOf,
    key: `agency:${slug}`,
    compute: () => agencyFigures({ asOf, selection: { ...ALL_LETTERS, agency: slug }, agencySlugs: [slug] })[0],
  });
}

/**
 * What an agency's badge shows: its name and acronym and its figures' row, or null for no agency at
 * `slug`. The scorecard's other parts (components, officials, question counts) are not made.
 */
export function getAgencyBadgeFigures({ slug, asOf }: { slug: string; asOf: CalendarDate }) {
  const agency = getDb().get<{ name: string; acronym: string | null }>(sql`SELECT name, acronym FROM agencies WHERE slug = ${slug}`);
  if (!agency) return null;
  const figures = keptAgencyFigures({ slug, asOf });
  return { agency, figures: figures ? agencyRow(figures) : null };
}

/** One agency's figures and curve over every letter it received; null for an unknown slug. */
export function getAgencyScorecard({ slug, asOf }: { slug: string; asOf: CalendarDate }) {
  const agency = getDb().get<{ id: number; slug: string; name: string; acronym: string | null; parentSlug: string | null; parentName: string | null }>(
    sql`SELECT a.id, a.slug, a.name, a.acronym, p.slug AS parentSlug, p.name AS parentName
      FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id WHERE a.slug = ${slug}`,
  );
  if (!agency) return null;
  // A department's components (agencies_parent_idx).
  const components = getDb().all<{ slug: string; name: string; acronym: string | null }>(
    sql`SELECT slug, name, acronym FROM agencies WHERE parent_id = ${agency.id} ORDER BY name`,
  );
  const selection = { ...ALL_LETTERS, agency: slug };
  const figures = keptAgencyFigures({ slug, asOf });
  const officials = getDb().all<{ name: string; title: string }>(
    sql`SELECT name, title FROM officials WHERE agency_id = ${agency.id} ORDER BY name`,
  );
  return {
    agency: {
      slug: agency.slug,
      name: agency.name,
      acronym: agency.acronym,
      parent: agency.parentSlug && agency.parentName ? { slug: agency.parentSlug, name: agency.parentName } : null,
    },
    components,
    officials,
    // An agency with no letters yet (as of asOf) has no figures row.
    figures: figures ? agencyRow(figures) : null,
    curve: figures ? summarizeCurve(agency.acronym ?? agency.name, figures.curve) : null,
    questions: cachedForToday({ asOf, key: `agency-questions:${slug}`, compute: () => questionCounts({ asOf, selection }) }),
  };
}
