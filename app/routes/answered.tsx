import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { withAsOfFor } from "~/components/figures";
import { SenderSides } from "~/components/sender-sides";
import { formatDate, today } from "~/domain/dates";
import { effectiveAsOf, parseAsOf } from "~/domain/filters";
import { parseSidePeriodKind } from "~/domain/political-sides";
import { MIN_LETTERS_TO_RATE } from "~/domain/statistics";
import { figuresFor } from "~/models/figure-store.server";
import { requireUser } from "~/utils/permissions.server";
import dashboardStyles from "~/styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta: MetaFunction = () => [{ title: "Who gets answered · Oversight Letter Tracker" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  const params = new URL(request.url).searchParams;
  const { asOf: asOfParam, problem } = parseAsOf(params);
  const { by, problem: byProblem } = parseSidePeriodKind(params);
  const asOf = effectiveAsOf({ asOf: asOfParam });
  // In the read pool; after a write, the previous figures (labelled) while new ones are computed.
  const computed = await figuresFor("senderSides", { asOf }, { context, shared: asOf === today() });
  return {
    asOf,
    today: today(),
    by,
    problems: [problem, byProblem].filter((p): p is string => p !== null),
    figures: computed.value,
    figuresComputedAt: computed.stale ? computed.computedAt : null,
  };
}

export default function WhoGetsAnswered() {
  const { asOf, today, by, problems, figures, figuresComputedAt } = useLoaderData<typeof loader>();
  const withAsOf = withAsOfFor(asOf, today);
  return (
    <>
      <h1>Who gets answered</h1>
      <AsOfBanner asOf={asOf} today={today} figuresComputedAt={figuresComputedAt} />
      <ProblemsNotice problems={problems} />
      <p>
        How the {figures.letters} letters were answered as of {formatDate(asOf)}, by their senders&apos; side on the
        day each was sent: the majority or the minority of their chamber, the president&apos;s party or the other,
        bipartisan or one party&apos;s, and whether a committee chair or ranking member signed.{" "}
        <strong>Answered</strong>: a substantive response (full, partial or refusal). <strong>Median days</strong>:
        Kaplan–Meier estimate to a first substantive response, letters still waiting counted up to today.{" "}
        <strong>On time</strong>: first substantive response by the effective deadline, among answered letters that had
        one. Groups of fewer than {MIN_LETTERS_TO_RATE} letters get no rate or median; every figure gives its n.
      </p>
      <p className="small muted">
        Parties and chambers come from the members&apos; terms in the roster; independents count with the party the
        table says they caucused with, otherwise as unknown. Which party held each chamber, and each administration,
        come from the Clerk of the House, the Senate Historical Office and the National Archives (
        <code>db/reference/political-control.json</code>). Letters sent outside the table&apos;s years, and senders whose
        side is not known, are counted as &ldquo;Unknown&rdquo;. Chair and ranking member: the role written on the
        letter, or the roster&apos;s committee title for letters of the roster&apos;s Congress. See also the{" "}
        <Link to={withAsOf("/agencies")}>agency scorecards</Link>.
      </p>
      {figures.letters === 0 ? (
        <p className="empty">No letters yet.</p>
      ) : (
        <SenderSides
          figures={figures}
          by={by}
          idPrefix="sides"
          byHref={(kind) => withAsOf(kind === "congress" ? "/answered" : `/answered?by=${kind}`)}
        />
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
