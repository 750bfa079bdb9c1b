import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { StatusBadge } from "~/components/status-badge";
import { requireUser } from "~/utils/permissions.server";
import { withAsOfFor } from "~/components/figures";
import { Pagination } from "~/components/pagination";
import { formatFactDate } from "~/domain/approximate-date";
import { formatDate, today } from "~/domain/dates";
import { effectiveAsOf } from "~/domain/filters";
import {
  NAME_KIND_LABELS,
  pageLabel,
  parseSearchParams,
  SEARCH_KIND_LABELS,
  splitHighlights,
  type NameKind,
  type SearchKind,
} from "~/domain/search";
import type { NameGroup } from "~/models/search.server";
import { searchInPool } from "~/models/search-findings.server";
import dashboardStyles from "~/styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.search.q ? `“${data.search.q}” · Search · Oversight Letter Tracker` : "Search · Oversight Letter Tracker" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const { search: params, problems } = parseSearchParams(new URL(request.url).searchParams);
  const asOf = effectiveAsOf(params);
  return {
    search: params,
    problems,
    asOf,
    today: today(),
    result: params.q
      ? await searchInPool({ q: params.q, asOf, kind: params.kind, page: params.page, names: params.names }, { context, request })
      : { query: null, groups: [], names: [] },
  };
}

/** Where a name found leads, and what its letter count counts. */
const NAME_PAGES: Record<NameKind, { path: string; letters: string }> = {
  members: { path: "/members", letters: "sent" },
  agencies: { path: "/agencies", letters: "received" },
  committees: { path: "/committees", letters: "" },
};

/** People, agencies or committees found by name: each linked to its page, with its letters and open letters. */
function NameResults({
  group,
  withAsOf,
  moreHref,
  q,
}: {
  group: NameGroup;
  withAsOf: (path: string) => string;
  moreHref: string | null;
  q: string;
}) {
  const label = NAME_KIND_LABELS[group.kind];
  const page = NAME_PAGES[group.kind];
  return (
    <section aria-labelledby={`names-${group.kind}`} data-testid={`names-${group.kind}`}>
      <h2 id={`names-${group.kind}`}>{label}</h2>
      <ul className="search-results name-results">
        {group.hits.map((hit) => (
          <li key={hit.value} data-testid="name-hit">
            <Link to={withAsOf(`${page.path}/${hit.value}`)}>{hit.label}</Link>
            {hit.hint ? <span className="muted small"> · {hit.hint}</span> : null}
            <p className="small">
              {hit.letters === 1 ? "1 letter" : `${hit.letters} letters`}
              {page.letters ? ` ${page.letters}` : ""}, {hit.open} awaiting a reply or overdue
            </p>
          </li>
        ))}
      </ul>
      {moreHref && group.more ? (
        <p>
          <Link to={moreHref}>
            More {label.toLowerCase()} named “{q}”
          </Link>
        </p>
      ) : group.more ? (
        <p className="muted small">Only the first {group.hits.length} are shown: type more of the name.</p>
      ) : null}
    </section>
  );
}

function Highlighted({ text }: { text: string }) {
  return (
    <>
      {splitHighlights(text).map((part, index) => (part.match ? <mark key={index}>{part.text}</mark> : part.text))}
    </>
  );
}

export default function SearchPage() {
  const { search: params, problems, asOf, today, result } = useLoaderData<typeof loader>();
  const withAsOf = withAsOfFor(asOf, today);
  const namesHref = (names: NameKind | null) => {
    const query = new URLSearchParams({ q: params.q });
    if (names) query.set("names", names);
    return withAsOf(`/search?${query.toString()}`);
  };
  const searchHref = (changes: { kind?: SearchKind | null; page?: number }) => {
    const query = new URLSearchParams({ q: params.q });
    const kind = changes.kind === undefined ? params.kind : changes.kind;
    if (kind) query.set("kind", kind);
    if (changes.page && changes.page > 1) query.set("page", String(changes.page));
    return withAsOf(`/search?${query.toString()}`);
  };
  const total = result.groups.reduce((sum, group) => sum + group.total, 0);

  return (
    <>
      <h1>Search</h1>
      <AsOfBanner asOf={asOf} today={today} />
      <ProblemsNotice problems={problems} />
      <Form method="get" className="search-form" role="search">
        <label htmlFor="search-q" className="visually-hidden">
          Search letters (by title, summary, senders, recipients, agencies, committee and topics), questions, responses and documents
        </label>
        <input id="search-q" type="search" name="q" defaultValue={params.q} maxLength={200} placeholder="e.g. CECOT" />
        {params.kind ? <input type="hidden" name="kind" value={params.kind} /> : null}
        {params.names ? <input type="hidden" name="names" value={params.names} /> : null}
        {params.asOf ? <input type="hidden" name="asOf" value={params.asOf} /> : null}
        <button type="submit">Search</button>
      </Form>
      {!params.q ? (
        <p className="muted">Search letters by title, summary, who sent them (e.g. Raskin), to whom and which agency, committee and topic (e.g. CECOT); questions, responses and the text of their documents. Every word must appear.</p>
      ) : result.query === null ? (
        <p className="empty">Type at least one word or number to search for.</p>
      ) : (
        <>
          <p data-testid="search-total" hidden={params.names !== null}>
            {total === 1 ? "1 result" : `${total} results`} for <strong>{params.q}</strong>
            {params.kind ? (
              <>
                {" "}
                in {SEARCH_KIND_LABELS[params.kind].toLowerCase()} · <Link to={searchHref({ kind: null })}>all kinds</Link>
              </>
            ) : null}
          </p>
          {params.names ? (
            <p>
              {NAME_KIND_LABELS[params.names]} whose names match · <Link to={namesHref(null)}>all results</Link>
            </p>
          ) : null}
          {result.names
            .filter((group) => group.hits.length > 0)
            .map((group) => (
              <NameResults
                key={group.kind}
                group={group}
                withAsOf={withAsOf}
                moreHref={params.names ? null : namesHref(group.kind)}
                q={params.q}
              />
            ))}
          {result.groups.map((group) => (
            <section key={group.kind} aria-labelledby={`results-${group.kind}`} data-testid={`results-${group.kind}`}>
              <h2 id={`results-${group.kind}`}>
                {SEARCH_KIND_LABELS[group.kind]} <span className="muted small">({group.total})</span>
              </h2>
              {group.total === 0 ? (
                <p className="muted">No {SEARCH_KIND_LABELS[group.kind].toLowerCase()} match.</p>
              ) : (
                <ul className="search-results">
                  {group.hits.map((hit) => (
                    <li key={`${hit.kind}-${hit.itemId}-${hit.letterSlug}`} data-testid="search-hit">
                      <p className="small search-hit-state" data-testid="search-hit-state">
                        <StatusBadge status={hit.status} />
                        {hit.daysOutstanding !== null ? ` ${hit.daysOutstanding} days without a substantive answer` : null}
                      </p>
                      {hit.kind === "document" ? (
                        <>
                          <p className="wrap-anywhere" data-testid="document-snippet">
                            <strong>{pageLabel(hit.number)}: </strong>
                            <Highlighted text={hit.snippet} />
                          </p>
                          <p className="muted small">
                            {hit.url ? <a href={hit.url}>{hit.title}</a> : hit.title}
                            {hit.receivedOn ? `, the response of ${formatFactDate(hit.receivedOn, hit.receivedPrecision)}` : ""}, with{" "}
                            <Link to={withAsOf(`/letters/${hit.letterSlug}`)}>{hit.letterTitle}</Link>, sent {formatDate(hit.sentOn)}
                          </p>
                        </>
                      ) : hit.kind === "letter" ? (
                        <>
                          <Link to={withAsOf(`/letters/${hit.letterSlug}`)}>
                            <Highlighted text={hit.title} />
                          </Link>
                          <p className="muted small">sent {formatDate(hit.sentOn)}</p>
                          {hit.snippet ? (
                            <p className="wrap-anywhere">
                              <Highlighted text={hit.snippet} />
                            </p>
                          ) : null}
                        </>
                      ) : (
                        <>
                          <p className="wrap-anywhere">
                            {hit.kind === "question" ? <strong>Question {hit.number}: </strong> : null}
                            {hit.kind === "response" ? (
                              <strong>
                                <Highlighted text={hit.title} />, {formatFactDate(hit.receivedOn, hit.receivedPrecision)}:{" "}
                              </strong>
                            ) : null}
                            <Highlighted text={hit.snippet} />
                          </p>
                          <p className="muted small">
                            {hit.kind === "question" ? "in" : "to"}{" "}
                            <Link to={withAsOf(`/letters/${hit.letterSlug}`)}>{hit.letterTitle}</Link>, sent{" "}
                            {formatDate(hit.sentOn)}
                          </p>
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              {!params.kind && group.total > group.hits.length ? (
                <p>
                  <Link to={searchHref({ kind: group.kind })}>
                    All {group.total} {SEARCH_KIND_LABELS[group.kind].toLowerCase()}
                  </Link>
                </p>
              ) : null}
              {params.kind ? (
                <Pagination page={group.page} pageCount={group.pageCount} hrefFor={(page) => searchHref({ page })} />
              ) : null}
            </section>
          ))}
        </>
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
