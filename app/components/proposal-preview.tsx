/**
 * What "Propose from text" found, and where: each proposed field listed with a link to its words,
 * and the letter's text with those words marked (<mark>, rendered by the server: it reads without
 * JavaScript). Screen readers hear which field each marked passage became. Names of senders and
 * recipients are the letter's words, "not matched yet" to a member or official until one is picked
 * (or the name is looked up on saving).
 */
import { formatDate } from "~/domain/dates";
import { markedPieces, proposalSources, type LetterProposal, type MarkedPiece } from "~/domain/letter-proposal";
import { QUESTION_KIND_LABELS } from "~/domain/vocabulary";

const sourceId = (key: string) => `proposal-source-${key}`;

function Pieces({ pieces }: { pieces: MarkedPiece[] }) {
  return (
    <>
      {pieces.map((piece, index) =>
        "text" in piece ? (
          piece.text
        ) : (
          <mark key={index} id={sourceId(piece.source.key)} data-source={piece.source.key}>
            <span className="visually-hidden">[{piece.source.label}:] </span>
            <Pieces pieces={piece.pieces} />
          </mark>
        ),
      )}
    </>
  );
}

/** Whether the server matched the name to someone (the matches are the server's: without them, "not matched yet"). */
function MatchState({ label }: { label: string | null }) {
  return label ? <span className="match-state">matched: {label}</span> : <span className="match-state">not matched yet</span>;
}

function SourceLink({ sourceKey, children }: { sourceKey: string; children: React.ReactNode }) {
  return <a href={`#${sourceId(sourceKey)}`}>{children}</a>;
}

export function ProposalPreview({ proposal }: { proposal: LetterProposal }) {
  const sources = proposalSources(proposal);
  const pieces = markedPieces(proposal.text, sources);
  return (
    <section className="proposal-preview" aria-labelledby="proposal-preview-heading" data-testid="proposal-preview">
      <h2 id="proposal-preview-heading">Proposed from the letter</h2>
      <dl className="proposal-fields">
        <dt>Title</dt>
        <dd>{proposal.title ? <SourceLink sourceKey="title">{proposal.title.text}</SourceLink> : "Not found"}</dd>
        <dt>Sent on</dt>
        <dd>
          {proposal.sentOn ? (
            <SourceLink sourceKey="sent-on">{formatDate(proposal.sentOn.date)}</SourceLink>
          ) : (
            "No date line found: enter the date the letter was sent"
          )}
        </dd>
        <dt>Chamber and committee</dt>
        <dd>
          {proposal.chamber ? proposal.chamber.value : "Chamber not found"}
          {proposal.committee ? (
            <>
              {", "}
              <SourceLink sourceKey="committee">{proposal.committee.name}</SourceLink>
            </>
          ) : null}
        </dd>
        <dt>Deadline</dt>
        <dd>
          {proposal.deadline ? (
            <>
              <SourceLink sourceKey="deadline">{proposal.deadline.date ? formatDate(proposal.deadline.date) : `“${proposal.deadline.phrase}”`}</SourceLink>{" "}
              <span className="hint">({proposal.deadline.rule})</span>
            </>
          ) : (
            "None found"
          )}
        </dd>
        <dt>Senders</dt>
        <dd>
          {proposal.senders.length === 0 ? (
            "None found"
          ) : (
            <ul data-testid="proposed-senders">
              {proposal.senders.map((sender, index) => (
                <li key={index}>
                  <SourceLink sourceKey={`sender-${index + 1}`}>{sender.name}</SourceLink>
                  {sender.title ? `, ${sender.title}` : ""} <MatchState label={proposal.matches?.senders[index]?.member ?? null} />
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Recipients</dt>
        <dd>
          {proposal.recipients.length === 0 ? (
            "None found"
          ) : (
            <ul data-testid="proposed-recipients">
              {proposal.recipients.map((recipient, index) => (
                <li key={index}>
                  <SourceLink sourceKey={`recipient-${index + 1}`}>{recipient.name}</SourceLink>
                  {[recipient.title, recipient.agencyName].filter(Boolean).map((part) => `, ${part}`).join("")}{" "}
                  <MatchState label={proposal.matches?.recipients[index]?.official ?? null} />
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Questions and requests</dt>
        <dd>
          {proposal.items.length === 0 ? (
            "None found"
          ) : (
            <ol className="proposed-items">
              {proposal.items.map((item) => (
                <li key={item.number}>
                  <SourceLink sourceKey={`item-${item.number}`}>{QUESTION_KIND_LABELS[item.kind]}</SourceLink>
                </li>
              ))}
            </ol>
          )}
        </dd>
      </dl>
      <details className="proposal-text-box" open>
        <summary>The pasted text, with what was proposed marked</summary>
        {/* A scrolling region: focusable so that it scrolls by keyboard, and named for screen readers. */}
        <div className="proposal-text" data-testid="proposal-text" role="region" aria-label="The pasted text, marked" tabIndex={0}>
          <Pieces pieces={pieces} />
        </div>
      </details>
    </section>
  );
}
