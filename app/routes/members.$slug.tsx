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
import { getMember } from "~/models/members.server";
import { figuresFor } from "~/models/figure-store.server";
import dashboardStyles from "~/styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.member.name ?? "Member"} · Oversight Letter Tracker` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const member = getMember({ slug: params.slug ?? "" });
  if (!member) throw new Response("There is no member of Congress at this address.", { status: 404 });
  const { filters, problems } = parseLetterFilters(new URL(request.url).searchParams);
  const asOf = effectiveAsOf(filters);
  return {
    member,
    asOf,
    today: today(),
    problems,
    ...(await profile({ slug: member.slug, asOf, filters }, context)),
  };
}

/** The profile's lists and figures, from the read pool (stale ones labelled, see figure-store). */
async function profile(args: { slug: string; asOf: string; filters: LetterFilters }, context: AppLoadContext) {
  const computed = await figuresFor("memberPage", args, { context });
  return { ...computed.value, figuresComputedAt: computed.stale ? computed.computedAt : null };
}

export default function MemberPage() {
  const data = useLoaderData<typeof loader>();
  const { member, asOf, today } = data;
  const withAsOf = withAsOfFor(asOf, today);
  return (
    <>
      <p className="breadcrumb muted small">
        <Link to={withAsOf("/letters")}>Letters</Link> › Member
      </p>
      <h1>
        {member.chamber === "Senate" ? "Sen." : "Rep."} {member.name}{" "}
        <span className="muted">
          ({member.party}-{member.state})
        </span>
      </h1>
      <AsOfBanner asOf={asOf} today={today} figuresComputedAt={data.figuresComputedAt} />
      <ProblemsNotice problems={data.problems} />
      <MemberFacts member={member} />
      <p data-testid="letters-sent">
        Signed <strong>{data.letters.total}</strong> {data.letters.total === 1 ? "letter" : "letters"} sent by{" "}
        {formatDate(asOf)}.
      </p>
      <ProfileBody
        data={data}
        scopeParam={`member=${member.slug}`}
        withAsOf={withAsOf}
        pageHref={(page) => withAsOf(`/members/${member.slug}${page > 1 ? `?page=${page}` : ""}`)}
        whose={`${member.name}'s`}
      />
      <FollowForm kind="member" subjectKey={member.slug} label={member.name} />
    </>
  );
}

/** What the roster says: seat and committees (nothing for a member the roster lacks). */
function MemberFacts({ member }: { member: ReturnType<typeof useLoaderData<typeof loader>>["member"] }) {
  if (member.bioguideId === null) return null;
  const seat =
    member.chamber === "Senate"
      ? `Senator for ${member.state}`
      : member.district === null || member.district === 0
        ? `Representative for ${member.state} (at large)`
        : `Representative for ${member.state}, district ${member.district}`;
  return (
    <section aria-labelledby="member-facts-heading" data-testid="member-facts">
      <h2 id="member-facts-heading" className="visually-hidden">
        Seat and committees
      </h2>
      <p>{seat}</p>
      {member.committees.length > 0 ? (
        <details open={member.committees.some((committee) => committee.title !== null)}>
          <summary>
            Committees ({member.committees.length})
          </summary>
          <ul data-testid="member-committees">
            {member.committees.map((committee) => (
              <li key={committee.slug}>
                {committee.title ? `${committee.title}, ` : ""}
                <Link to={`/committees/${committee.slug}`}>{committee.name}</Link>{" "}
                <span className="muted">({committee.side === "majority" ? "majority" : "minority"})</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
