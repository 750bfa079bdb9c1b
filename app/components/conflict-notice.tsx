/**
 * Shown when a save was refused because someone else saved first: what they changed, and the
 * version fields that let this staffer save again with their own changes re-applied.
 */
import { historyFieldLabel, historyValue } from "~/domain/vocabulary";
import type { ChangeSince } from "~/domain/edit-merge";
import type { ShouldRevalidateFunction } from "@remix-run/react";

/** The version and base a form was opened at; a null version (a form given back that lacked one) renders none. */
export function VersionFields({ version, base }: { version: number | null; base?: unknown }) {
  return (
    <>
      {version === null ? null : <input type="hidden" name="version" value={version} />}
      {base === undefined ? null : <input type="hidden" name="base" value={JSON.stringify(base)} />}
    </>
  );
}

export function ConflictNotice({ changes }: { changes: ChangeSince[] }) {
  return (
    <section className="notice conflict" role="alert" aria-labelledby="conflict-heading" data-testid="conflict">
      <h2 id="conflict-heading">Someone else saved first</h2>
      <p>
        Nothing of yours was saved yet. Since you opened this form:
      </p>
      {changes.length === 0 ? (
        <p>the record was changed.</p>
      ) : (
        <ul>
          {changes.map((change, index) => (
            <li key={index}>
              <strong>{change.actorName ?? "Someone"}</strong>, {new Date(change.at).toISOString().slice(0, 16).replace("T", " ")} UTC: {change.summary}
              {change.after || change.before ? (
                <dl className="small">
                  {Object.keys({ ...change.before, ...change.after }).map((key) => (
                    <div key={key}>
                      <dt>{historyFieldLabel(key)}</dt>
                      <dd>
                        {historyValue(change.before?.[key])} → {historyValue(change.after?.[key])}
                      </dd>
                    </div>
                  ))}
                </dl>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <p>
        The form below now holds their version with your changes re-applied. Check it, then save again.
      </p>
    </section>
  );
}

/**
 * For a route whose form can come back with this notice: its data is loaded again after one. Remix
 * keeps a page's data after an action answered 4xx, so the page around the form (its heading, the
 * letter's title) still showed the record as it was when the form was opened, not as the other
 * staffer saved it. Without JavaScript the page is rendered afresh anyway.
 */
export const revalidateAfterConflict: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as { kind?: unknown } | undefined)?.kind === "conflict" ? true : defaultShouldRevalidate;
