import type { AppLoadContext, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { FollowForm } from "~/components/follow-form";
import { Link, useLoaderData } from "@remix-run/react";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/utils/permissions.server";
import { withAsOfFor } from "~/components/figures";
import { ProfileBody } from "~/components/profile-body";
import { formatDate, today } from "~/domain/dates";
import { effectiveAsOf, parseLetterFilters, type LetterFilters } from "~/domain/filters";
import { getCommittee } from "~/models/committees.server";
import { figuresFor } from "~/models/figure-store.server";
import dashboardStyles from "~/styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.committee.name ?? "Committee"} · Oversight Letter Tracker` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const committee = getCommittee({ slug: params.slug ?? "" });
  if (!committee) throw new Response("There is no committee at this address.", { status: 404 });
  const { filters, problems } = parseLetterFilters(new URL(request.url).searchParams);
  const asOf = effectiveAsOf(filters);
  return {
    committee,
    asOf,
    today: today(),
    problems,
    ...(await profile({ slug: committee.slug, asOf, filters }, context)),
  };
}

/** The profile's lists and figures, from the read pool (stale ones labelled, see figure-store). */
async function profile(args: { slug: string; asOf: string; filters: LetterFilters }, context: AppLoadContext) {
  const computed = await figuresFor("committeePage", args, { context });
  return { ...computed.value, figuresComputedAt: computed.stale ? computed.computedAt : null };
}

export default function CommitteePage() {
  const data = useLoaderData<typeof loader>();
  const { committee, asOf, today } = data;
  const withAsOf = withAsOfFor(asOf, today);
  return (
    <>
      <p className="breadcrumb muted small">
        <Link to={withAsOf("/letters")}>Letters</Link> › Committee
      </p>
      <h1>{committee.name}</h1>
      <AsOfBanner asOf={asOf} today={today} figuresComputedAt={data.figuresComputedAt} />
      <ProblemsNotice problems={data.problems} />
      <p data-testid="letters-sent">
        <strong>{data.letters.total}</strong> {data.letters.total === 1 ? "letter" : "letters"} sent by {formatDate(asOf)} (
        {committee.chamber}).
      </p>
      <ProfileBody
        data={data}
        scopeParam={`committee=${committee.slug}`}
        withAsOf={withAsOf}
        pageHref={(page) => withAsOf(`/committees/${committee.slug}${page > 1 ? `?page=${page}` : ""}`)}
        whose="this committee's"
      />
      <FollowForm kind="committee" subjectKey={committee.slug} label={committee.name} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
