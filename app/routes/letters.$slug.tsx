import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { FollowForm } from "~/components/follow-form";
import { Link, useLoaderData } from "@remix-run/react";
import { AsOfBanner, ProblemsNotice } from "~/components/as-of-banner";
import { DeadlineText } from "~/components/deadline-text";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FactDate } from "~/components/fact-date";
import { QuestionStatusBadge, StatusBadge } from "~/components/status-badge";
import { formatDate, today } from "~/domain/dates";
import { effectiveAsOf, parseAsOf } from "~/domain/filters";
import { memberLabel } from "~/domain/people";
import { buildTimeline } from "~/domain/timeline";
import { COMPLETENESS_LABELS, historyFieldLabel, historyValue, QUESTION_KIND_LABELS } from "~/domain/vocabulary";
import { letterHistory } from "~/models/audit.server";
import { movedLetterSlug } from "~/models/letter-slugs.server";
import { can, requireUser, visibleHistory, visibleLetter } from "~/utils/permissions.server";
import { getLetterDetail } from "~/models/letters.server";
import { DocumentList } from "~/components/documents";
import { letterBadge, letterHeadline, letterShareDescription } from "~/domain/share";
import { env } from "~/env.server";
import { shareFactsOfLetter } from "~/models/share.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Letter not found" }];
  const { letter, share } = data;
  // Link previews (Open Graph, Twitter cards): absolute addresses from PUBLIC_URL, never the Host header.
  return [
    { title: `${letter.title} · Oversight Letter Tracker` },
    { name: "description", content: share.description },
    { property: "og:type", content: "article" },
    { property: "og:site_name", content: "Oversight Letter Tracker" },
    { property: "og:title", content: letter.title },
    { property: "og:description", content: share.description },
    { property: "og:url", content: share.url },
    { property: "og:image", content: share.image },
    { property: "og:image:width", content: "1200" },
    { property: "og:image:height", content: "630" },
    { property: "og:image:alt", content: `${share.headline}: ${letter.title}` },
    { name: "twitter:card", content: "summary_large_image" },
    { name: "twitter:title", content: letter.title },
    { name: "twitter:description", content: share.description },
    { name: "twitter:image", content: share.image },
    { tagName: "link", rel: "canonical", href: share.url },
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, "letters:read");
  const { asOf: asOfParam, problem } = parseAsOf(new URL(request.url).searchParams);
  const asOf = effectiveAsOf({ asOf: asOfParam });
  const detail = getLetterDetail({ slug: params.slug ?? "", asOf });
  if (!detail) {
    // An old address of a renamed letter: send readers to its current one.
    const moved = movedLetterSlug(params.slug ?? "");
    if (moved) throw redirect(`/letters/${moved}${new URL(request.url).search}`, 301);
    throw data(`There is no letter "${params.slug}". It may have been renamed or removed.`, {
      status: 404,
    });
  }
  // Internal notes and the history's author emails are for signed-in users only.
  const letter = visibleLetter(user, detail);
  const history = visibleHistory(user, letterHistory({ letterId: detail.id }));
  const shareFacts = shareFactsOfLetter(detail);
  const url = `${env.PUBLIC_URL}/letters/${detail.slug}`;
  return {
    letter,
    history,
    share: {
      url,
      image: `${url}/card.png`,
      badge: `${url}/badge.svg`,
      headline: letterHeadline(shareFacts),
      badgeText: (({ label, message }) => `${label}: ${message}`)(letterBadge(shareFacts)),
      description: letterShareDescription(shareFacts),
    },
    canEdit: can(user, "letter:edit"),
    asOf,
    today: today(),
    problems: problem ? [problem] : [],
  };
}


export default function LetterPage() {
  const { letter, history, share, canEdit, asOf, today, problems } = useLoaderData<typeof loader>();
  const keepAsOf = asOf === today ? "" : `?asOf=${asOf}`;
  const timeline = buildTimeline(letter);
  // Counted by the model as every count is (decision 0023 addendum): a question a later letter
  // asks again is counted there; a closed letter's unanswered questions are no longer open
  // (decision 0014 addendum).
  const { open: openCount, askedAgain, closedUnanswered } = letter.questionCounts;
  const closed = letter.status === "closed";
  // What a follow-up would ask again: the questions still unanswered here.
  const unanswered = openCount + closedUnanswered;

  return (
    <article className="letter">
      <p className="breadcrumb">
        <Link to={`/letters${keepAsOf}`}>← All letters</Link>
      </p>
      <AsOfBanner asOf={asOf} today={today} />
      <ProblemsNotice problems={problems} />
      {letter.sentAfterAsOf ? (
        <p className="notice">This letter was sent after {formatDate(asOf)}.</p>
      ) : null}
      <header className="letter-header">
        <h1>{letter.title}</h1>
        <p className="letter-status">
          <StatusBadge status={letter.status} />
          {letter.daysOverdue !== null ? (
            <span>
              {letter.daysOverdue} days past its deadline of <DeadlineText date={letter.effectiveDeadline} source={letter.deadlineSource} />
            </span>
          ) : null}
          {letter.daysOutstanding !== null && letter.status !== "closed" ? (
            <span data-testid="days-outstanding">{letter.daysOutstanding} days without a substantive answer</span>
          ) : null}
          {letter.responseDays !== null ? (
            <span>First substantive response after {letter.responseDays} days</span>
          ) : null}
        </p>
      </header>

      {canEdit ? (
        <nav className="editor-actions" aria-label="Change this letter">
          <Link to={`/letters/${letter.slug}/edit`}>Edit</Link>
          <Link to={`/letters/${letter.slug}/responses/new`}>Log a response</Link>
          <Link to={`/letters/${letter.slug}/deadline`}>Record an extension</Link>
          <Link to={`/letters/${letter.slug}/close`}>{letter.closedOn ? "Reopen" : "Close"}</Link>
          {unanswered > 0 ? (
            <Link to={`/letters/new?followUp=${letter.slug}`} data-testid="draft-follow-up">
              Draft follow-up ({unanswered} {closed ? "unanswered" : "open"} question{unanswered === 1 ? "" : "s"})
            </Link>
          ) : null}
        </nav>
      ) : null}

      {letter.notes ? (
        <p className="letter-notes" data-testid="letter-notes">
          <strong>Note:</strong> {letter.notes}
        </p>
      ) : null}

      <dl className="facts">
        <dt>Sent</dt>
        <dd>{formatDate(letter.sentOn)}</dd>
        <dt>Chamber</dt>
        <dd>{letter.chamber}</dd>
        <dt>Committee</dt>
        <dd>
          {letter.committee ? (
            <Link to={`/committees/${letter.committee.slug}`}>{letter.committee.name}</Link>
          ) : (
            "None (member-led letter)"
          )}
        </dd>
        <dt>Deadline</dt>
        <dd>
          <DeadlineText date={letter.effectiveDeadline} source={letter.deadlineSource} none="None set" />
          {letter.deadline && letter.effectiveDeadline !== letter.deadline
            ? ` (originally ${formatDate(letter.deadline)})`
            : null}
        </dd>
        {letter.closedOn ? (
          <>
            <dt>Closed</dt>
            <dd>
              {formatDate(letter.closedOn)}
              {letter.closedReason ? `: ${letter.closedReason}` : null}
            </dd>
          </>
        ) : null}
        {letter.sourceUrl ? (
          <>
            <dt>Source</dt>
            <dd>
              <a href={letter.sourceUrl} rel="noopener noreferrer">
                {new URL(letter.sourceUrl).hostname}
              </a>
            </dd>
          </>
        ) : null}
        {letter.tags.length > 0 ? (
          <>
            <dt>Topics</dt>
            <dd className="tags">
              {letter.tags.map((tag) => (
                <Link key={tag.slug} to={`/letters?tag=${tag.slug}`} className="tag">
                  {tag.name}
                </Link>
              ))}
            </dd>
          </>
        ) : null}
      </dl>

      {letter.summary ? <p className="summary">{letter.summary}</p> : null}

      {letter.documents.length > 0 ? (
        <section aria-labelledby="documents-heading">
          <h2 id="documents-heading">Documents</h2>
          <DocumentList documents={letter.documents} testId="letter-documents" />
        </section>
      ) : null}

      <div className="two-columns">
        <section aria-labelledby="senders-heading">
          <h2 id="senders-heading">From</h2>
          <ul className="people">
            {letter.senders.map((sender) => (
              <li key={sender.slug}>
                <Link to={`/members/${sender.slug}`}>{memberLabel(sender)}</Link>
                {sender.isLead ? <span className="lead"> lead signer</span> : null}
                {sender.role ? <div className="muted small">{sender.role}</div> : null}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="recipients-heading">
          <h2 id="recipients-heading">To</h2>
          <ul className="people">
            {letter.recipients.map((recipient) => (
              <li key={`${recipient.name}-${recipient.agency.slug}`}>
                {recipient.name}, {recipient.title}
                <div className="small">
                  <Link to={`/agencies/${recipient.agency.slug}`}>{recipient.agency.name}</Link>
                </div>
              </li>
            ))}
          </ul>
        </section>
      </div>

      <section aria-labelledby="questions-heading">
        <h2 id="questions-heading">
          Questions{" "}
          <span className="muted" data-testid="letter-question-counts">
            ({letter.questionCounts.total}, {closed && closedUnanswered > 0 ? `${closedUnanswered} unanswered when it was closed` : `${openCount} open`}
            {askedAgain > 0 ? `, ${askedAgain} asked again in a later letter` : ""})
          </span>
        </h2>
        {letter.questions.length === 0 ? (
          <p className="muted">No questions recorded for this letter.</p>
        ) : (
          <ol className="questions">
            {letter.questions.map((question) => (
              <li key={question.id} value={question.number} id={`question-${question.number}`} data-testid="question">
                <div className="question-meta">
                  <span className="question-number">{question.number}.</span>
                  <QuestionStatusBadge status={question.status} />
                  {question.kind !== "question" ? (
                    <span className="kind">{QUESTION_KIND_LABELS[question.kind]}</span>
                  ) : null}
                </div>
                <p>{question.text}</p>
                {question.repeats ? (
                  <p className="muted repeat-note">
                    Repeats{" "}
                    <Link to={`/letters/${question.repeats.letterSlug}#question-${question.repeats.number}`}>
                      question {question.repeats.number} of the letter of {formatDate(question.repeats.sentOn)}
                    </Link>
                  </p>
                ) : null}
                {question.repeatedBy ? (
                  <p className="muted repeat-note">
                    Asked again as{" "}
                    <Link to={`/letters/${question.repeatedBy.letterSlug}#question-${question.repeatedBy.number}`}>
                      question {question.repeatedBy.number} of the letter of {formatDate(question.repeatedBy.sentOn)}
                    </Link>{" "}
                    ({question.repeatedBy.letterTitle}): counted there, not open here
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="responses-heading">
        <h2 id="responses-heading">Responses</h2>
        {letter.responses.length === 0 ? (
          <p className="muted">No response recorded{letter.sentAfterAsOf ? "" : " yet"}.</p>
        ) : (
          <ul className="responses">
            {letter.responses.map((response) => (
              <li key={response.id}>
                <p>
                  <strong>
                    <FactDate date={response.receivedOn} precision={response.receivedPrecision} />
                  </strong>{" "}
                  · {COMPLETENESS_LABELS[response.completeness]} ·
                  from {response.from}
                </p>
                {response.receivedPrecision === "month" ? (
                  <p className="muted small">
                    The record gives only the month; counted as received on {formatDate(response.receivedOn)}.
                  </p>
                ) : null}
                {response.summary ? <p>{response.summary}</p> : null}
                <DocumentList documents={response.documents} testId="response-documents" />
                {canEdit ? (
                  <p className="small">
                    <Link to={`/letters/${letter.slug}/responses/${response.id}`}>Edit or delete this response</Link>
                  </p>
                ) : null}
                {response.notes ? <p className="muted small">Note: {response.notes}</p> : null}
                {response.sourceUrl ? (
                  <p className="small">
                    <a href={response.sourceUrl} rel="noopener noreferrer">
                      Source
                    </a>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {letter.laterResponseCount > 0 ? (
          <p className="muted small">
            {letter.laterResponseCount} later response(s) not shown for this date.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol className="timeline">
          {timeline.map((event) => (
            <li key={event.key} className={`event-${event.kind}`}>
              <FactDate date={event.date} precision={event.precision} /> {event.label}
              {event.href ? (
                <>
                  {" "}
                  <Link to={event.href}>{event.linkText}</Link>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      {letter.chain.length > 1 ? (
        <section aria-labelledby="chain-heading">
          <h2 id="chain-heading">Follow-up chain</h2>
          {letter.followsUp ? (
            <p>
              Follows up{" "}
              <Link to={`/letters/${letter.followsUp.slug}${keepAsOf}`} data-testid="follows-up-link">
                {letter.followsUp.title}
              </Link>{" "}
              ({formatDate(letter.followsUp.sentOn)}).
            </p>
          ) : null}
          {letter.followUps.length > 0 ? (
            <p>
              Followed up by{" "}
              {letter.followUps.map((followUp, index) => (
                <span key={followUp.slug}>
                  {index > 0 ? "; " : null}
                  <Link to={`/letters/${followUp.slug}${keepAsOf}`} data-testid="followed-up-by-link">
                    {followUp.title}
                  </Link>{" "}
                  ({formatDate(followUp.sentOn)})
                </span>
              ))}
              .
            </p>
          ) : null}
          <ol className="chain">
            {letter.chain.map((entry) => (
              <li key={entry.slug}>
                {entry.slug === letter.slug ? (
                  <strong aria-current="page">{entry.title} (this letter)</strong>
                ) : (
                  <Link to={`/letters/${entry.slug}${keepAsOf}`}>{entry.title}</Link>
                )}{" "}
                <span className="muted small">{formatDate(entry.sentOn)}</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <FollowForm kind="letter" subjectKey={letter.slug} label="this letter" />

      <section aria-labelledby="share-heading" className="share">
        <h2 id="share-heading">Share</h2>
        <p>
          Links to this page show a card: <em>{share.headline}</em>. To show the letter's state on another site, embed its
          badge, which stays current:
        </p>
        <p>
          <a href={share.url}>
            <img src={`/letters/${letter.slug}/badge.svg`} alt={share.badgeText} height={20} data-testid="letter-badge" />
          </a>
        </p>
        <label className="field">
          <span>Badge HTML to copy</span>
          <textarea
            readOnly
            rows={3}
            className="embed-code"
            // The embedded alt text names the letter, not today's state: the image changes, the HTML does not.
            value={`<a href="${share.url}"><img src="${share.badge}" alt="${`Live status of the oversight letter “${letter.title}”`.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")}"></a>`}
          />
        </label>
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        {history.length === 0 ? (
          <p className="muted">No changes recorded since the letter was loaded.</p>
        ) : (
          <ol className="history" data-testid="history">
            {history.map((entry) => (
              <li key={entry.id}>
                <time dateTime={new Date(entry.at).toISOString()}>
                  {new Date(entry.at).toISOString().slice(0, 16).replace("T", " ")} UTC
                </time>{" "}
                <strong>{entry.actorName ?? "someone"}</strong>
                {entry.actorEmail ? <span className="muted small"> ({entry.actorEmail})</span> : null}: {entry.summary}
                {entry.action === "update" && entry.before && entry.after ? (
                  <details>
                    <summary>What changed</summary>
                    <table className="changes">
                      <thead>
                        <tr>
                          <th scope="col">Field</th>
                          <th scope="col">Before</th>
                          <th scope="col">After</th>
                        </tr>
                      </thead>
                      <tbody>
                        {Object.keys(entry.after).map((key) => (
                          <tr key={key}>
                            <th scope="row">{historyFieldLabel(key)}</th>
                            <td>{historyValue(entry.before?.[key])}</td>
                            <td>{historyValue(entry.after?.[key])}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </details>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <p className="small muted data-links">
        This letter as data: <a href={`/api/letters/${letter.slug}${keepAsOf}`}>JSON</a>
      </p>

      {letter.internalNotes ? (
        <section aria-labelledby="internal-heading" className="internal-notes">
          <h2 id="internal-heading">Internal notes</h2>
          <p>{letter.internalNotes}</p>
        </section>
      ) : null}
    </article>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
