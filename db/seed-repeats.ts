/**
 * The demo letters' repeated questions (decision 0023 addendum). The shared seed file
 * (db/letters.seed.json, a copy of ../shared/data/letters.seed.json, not edited here) paraphrases
 * each letter's asks in its own words, so matching text finds nothing; this list says which question
 * of a follow-up asks again which question of the letter it follows up (directly or through earlier
 * follow-ups). Only asks that are the same request in other words are linked; a follow-up's new asks
 * (for example the October 2025 letter's questions on MS-13 informants, after the July letter's
 * demand for the El Salvador agreements) are not.
 *
 * The seed loader applies it to the demo file (a question whose record names its own `repeats`
 * keeps that), and refuses the whole file, naming the entry, if a letter or question it names is
 * not there: a changed seed file cannot silently lose a link.
 */
export interface SeedRepeat {
  /** The follow-up letter's id (slug) and its question's number. */
  letter: string;
  n: number;
  /** The earlier question it asks again. */
  repeats: { letter: string; n: number };
}

export const DEMO_REPEATS: readonly SeedRepeat[] = [
  // El Salvador (CECOT): the July 2025 letter demands the agreements under which the United States
  // sends people to be held in El Salvador, the legal basis the April letter asked for.
  {
    letter: "raskin-thompson-garcia-meeks-noem-rubio-el-salvador-2025-07-17",
    n: 1,
    repeats: { letter: "meeks-castro-rubio-el-salvador-2025-04-17", n: 1 },
  },
  // Treasury payment systems: who got access (31 January, 7 February, 12 February 2025: a chain of
  // three asks), and how they were vetted.
  {
    letter: "wyden-bessent-doge-read-only-followup-2025-02-07",
    n: 2,
    repeats: { letter: "wyden-bessent-doge-payment-systems-2025-01-31", n: 1 },
  },
  {
    letter: "wyden-bessent-doge-read-only-followup-2025-02-07",
    n: 3,
    repeats: { letter: "wyden-bessent-doge-payment-systems-2025-01-31", n: 4 },
  },
  {
    letter: "warren-wyden-reed-bessent-doge-misrepresentations-2025-02-12",
    n: 1,
    repeats: { letter: "wyden-bessent-doge-read-only-followup-2025-02-07", n: 2 },
  },
  // The FBI's Richmond memo: the March 2023 letter asks again for what the February letter itemized
  // (linked to its first item, the memo's documents; a question repeats one question).
  {
    letter: "jordan-wray-catholic-memo-reiteration-2023-03-20",
    n: 1,
    repeats: { letter: "jordan-johnson-wray-richmond-catholic-memo-2023-02-16", n: 1 },
  },
  // Afghanistan: the dissent cable, one of the March 2023 priority items; the After-Action Review
  // and the evacuation order, asked on 8 June and again on 20 June 2023.
  {
    letter: "mccaul-blinken-dissent-cable-contempt-warning-2023-05-05",
    n: 1,
    repeats: { letter: "mccaul-blinken-afghanistan-priority-items-2023-03-20", n: 1 },
  },
  {
    letter: "mccaul-blinken-afghanistan-aar-neo-2023-06-20",
    n: 1,
    repeats: { letter: "mccaul-blinken-afghanistan-three-items-2023-06-08", n: 1 },
  },
  {
    letter: "mccaul-blinken-afghanistan-aar-neo-2023-06-20",
    n: 2,
    repeats: { letter: "mccaul-blinken-afghanistan-three-items-2023-06-08", n: 2 },
  },
];
