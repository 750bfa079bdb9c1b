/**
 * The Follow box of letter, agency, member, committee and topic pages and of the /letters and
 * /questions lists (a saved search): an email address and how often, posted to /follow. Works
 * without JavaScript; the address is confirmed by a link before anything else is sent.
 */
import { Form } from "@remix-run/react";
import { CADENCE_TERMS, type FollowSubjectKind } from "~/domain/vocabulary";

export function FollowForm({ kind, subjectKey, label }: { kind: FollowSubjectKind; subjectKey: string; label: string }) {
  const id = `follow-${kind}`;
  return (
    <section className="follow-box" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Follow {label}</h2>
      <p id={`${id}-hint`}>Get an email when something changes. We send a link to confirm first; every message has a one-click unsubscribe.</p>
      <Form method="post" action="/follow" className="follow-form">
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="key" value={subjectKey} />
        <label htmlFor={`${id}-email`}>Your email address</label>
        <input id={`${id}-email`} name="email" type="email" autoComplete="email" required maxLength={254} aria-describedby={`${id}-hint`} />
        <label htmlFor={`${id}-cadence`}>How often</label>
        <select id={`${id}-cadence`} name="cadence" defaultValue="immediate">
          {CADENCE_TERMS.options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
        <button type="submit">Follow</button>
      </Form>
    </section>
  );
}
