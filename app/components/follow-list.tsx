/**
 * The alerts page's list (/follows/manage by a signed link, /account/follows signed in): each
 * follow of one address with how often it hears, a form to change that and a button to stop it,
 * and one to stop them all. Plain forms posted to the page itself: works without JavaScript.
 */
import { Form, Link } from "@remix-run/react";
import { hourLabel, scheduleWords, subjectPath, WEEKDAY_NAMES } from "~/domain/follows";
import { CADENCE_TERMS, FOLLOW_SUBJECT_TERMS, type Cadence, type FollowSubjectKind } from "~/domain/vocabulary";

export interface FollowListItem {
  id: number;
  subjectKind: FollowSubjectKind;
  /** Null: no link (a saved search not confirmed yet is named without its words). */
  subjectKey: string | null;
  subjectLabel: string;
  cadence: Cadence;
  /** The digest's hour (0-23) and weekday (0 Sunday … 6 Saturday), in the tracker's time zone. */
  digestHour: number;
  digestWeekday: number;
  confirmed: boolean;
}

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

export function FollowList({
  follows,
  status,
  errors,
  timeZone,
}: {
  follows: FollowListItem[];
  status?: string | null;
  errors?: string[] | null;
  /** The tracker's time zone (the server's), named next to the hour. */
  timeZone: string;
}) {
  return (
    <>
      {status ? <p role="status">{status}</p> : null}
      {errors && errors.length > 0 ? (
        <ul className="field-errors" role="alert">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      ) : null}
      {follows.length === 0 ? (
        <p>This address follows nothing now. Use Follow on a letter, agency, member, committee, topic or list to start.</p>
      ) : (
        <>
          <ul className="follow-list">
            {follows.map((follow) => {
              const kind = FOLLOW_SUBJECT_TERMS.labelOf(follow.subjectKind);
              const selectId = `cadence-${follow.id}`;
              return (
                <li key={follow.id} className="follow-item">
                  <h2 className="follow-item-title" id={`follow-${follow.id}`}>
                    <span className="follow-kind">{kind}: </span>
                    {follow.subjectKey === null ? follow.subjectLabel : <Link to={subjectPath(follow.subjectKind, follow.subjectKey)}>{follow.subjectLabel}</Link>}
                  </h2>
                  <p>
                    {scheduleWords({ cadence: follow.cadence, hour: follow.digestHour, weekday: follow.digestWeekday }, timeZone)}
                    {follow.confirmed ? "" : " · waiting for confirmation (see the message we sent)"}
                  </p>
                  <Form method="post" className="follow-item-form" aria-labelledby={`follow-${follow.id}`}>
                    <input type="hidden" name="follow" value={follow.id} />
                    <div className="follow-item-field">
                      <label htmlFor={selectId}>How often</label>
                      <select id={selectId} name="cadence" defaultValue={follow.cadence}>
                        {CADENCE_TERMS.options.map(([value, text]) => (
                          <option key={value} value={value}>
                            {text}
                          </option>
                        ))}
                      </select>
                    </div>
                    <div className="follow-item-field">
                      <label htmlFor={`hour-${follow.id}`}>Digest hour</label>
                      <select id={`hour-${follow.id}`} name="hour" defaultValue={String(follow.digestHour)} aria-describedby={`zone-${follow.id}`}>
                        {HOURS.map((hour) => (
                          <option key={hour} value={hour}>
                            {hourLabel(hour)}
                          </option>
                        ))}
                      </select>
                    </div>
                    <div className="follow-item-field">
                      <label htmlFor={`weekday-${follow.id}`}>Day of a weekly digest</label>
                      <select id={`weekday-${follow.id}`} name="weekday" defaultValue={String(follow.digestWeekday)} aria-describedby={`zone-${follow.id}`}>
                        {WEEKDAY_NAMES.map((name, day) => (
                          <option key={name} value={day}>
                            {name}
                          </option>
                        ))}
                      </select>
                    </div>
                    <p className="hint follow-item-zone" id={`zone-${follow.id}`}>
                      Digests are written at this hour in the tracker&apos;s time zone, {timeZone}; a weekly one on this day.
                    </p>
                    <button type="submit" name="intent" value="cadence">
                      Save<span className="visually-hidden"> how often for {follow.subjectLabel}</span>
                    </button>
                    <button type="submit" name="intent" value="stop" className="secondary">
                      Stop<span className="visually-hidden"> alerts about {follow.subjectLabel}</span>
                    </button>
                  </Form>
                </li>
              );
            })}
          </ul>
          <Form method="post">
            <button type="submit" name="intent" value="stop-all" className="secondary">
              Stop all alerts to this address
            </button>
          </Form>
        </>
      )}
    </>
  );
}

/** What the page says after a change. */
export function changeStatus(intent: "cadence" | "stop" | "stop-all"): string {
  return intent === "cadence" ? "Saved: how often changed." : intent === "stop" ? "Stopped: you will get no more alerts about it." : "Stopped: you will get no more alerts.";
}
