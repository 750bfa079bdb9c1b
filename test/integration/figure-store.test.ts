/**
 * The figure store (app/models/figure-store.server.ts): after a write, the first reader gets the
 * previous figures, labelled stale, while they are recomputed; shared figures go through
 * figure_snapshots, so another app process serves them too and only the holder of a key's lease
 * recomputes them. Runs without a pool (tasks inline), on a real database file.
 */
import type { AppLoadContext } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { installReadPool, type ReadPool } from "~/utils/read-pool.server";
import { today } from "~/domain/dates";
import { clearFigureStore, figuresFor, figureVersion } from "~/models/figure-store.server";
import { RECOMPUTE_PACING } from "~/domain/recompute-pacing";
import { installBuildVersion } from "~/utils/build-version.server";
import { acquireLease, leaseHolder, releaseLease } from "~/models/leases.server";
import type { Db } from "../../db/client.server";
import { DEMO_SEED_FILE, seedFromFile } from "../../db/seed.server";
import { letters } from "../../db/schema";
import { addExtension } from "../factories";
import { runReadTask } from "~/models/read-tasks.server";
import { dataRevision } from "~/models/figure-cache.server";
import { freshDatabase } from "../support/database";
import { stubReadPool } from "../support/read-pools";

let db: Db;
const asOf = today();
const overview = () => figuresFor("overview", { asOf }, { shared: true });
const letterId = (slug: string) => db.select({ id: letters.id }).from(letters).where(eq(letters.slug, slug)).get()!.id;
const BUTLER = "comer-cheatle-butler-documents-2024-07-15";
const AFGHANISTAN = "mccaul-blinken-afghanistan-withdrawal-2023-01-12";
/** Lets a recomputation started in the background finish (inline tasks settle within a few turns). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeAll(() => {
  db = freshDatabase();
  seedFromFile({ db, file: DEMO_SEED_FILE });
});
beforeEach(() => clearFigureStore());

describe("the figure store", () => {
  it("computes once, then serves the same figures while the data does not change", async () => {
    const first = await overview();
    expect(first.stale).toBe(false);
    const again = await overview();
    expect(again.stale).toBe(false);
    expect(again.computedAt).toBe(first.computedAt);
  });

  it("after a write serves the previous figures, labelled, then the new ones", async () => {
    const before = await overview();
    const overdue = before.value.counts.overdue;
    addExtension(db, letterId(BUTLER), { newDeadline: "2031-01-01", grantedOn: "2024-07-20" });
    const first = await overview();
    expect(first.stale).toBe(true);
    expect(first.value.counts.overdue).toBe(overdue);
    expect(first.computedAt).toBe(before.computedAt);
    await settle();
    const next = await overview();
    expect(next.stale).toBe(false);
    expect(next.value.counts.overdue).toBe(overdue - 1);
  });

  it("keeps quiet when a busy pool refuses a recomputation behind stale figures, and recomputes on the next read", async () => {
    await overview();
    addExtension(db, letterId(AFGHANISTAN), { newDeadline: "2031-02-01", grantedOn: "2023-01-20" });
    const refusing: ReadPool = stubReadPool(async () => {
      throw Object.assign(new Error("The server is busy with other readers' requests: try again in a moment."), { code: "READ_POOL_BUSY", retryAfterSeconds: 5, reason: "saturated" });
    }, { refused: 1 });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      installReadPool(refusing);
      expect((await overview()).stale).toBe(true);
      await settle();
      await settle();
      // A refusal is not a failure: nothing for the server's log (it printed "[object Object]").
      expect(errors).not.toHaveBeenCalled();
    } finally {
      installReadPool(null);
      errors.mockRestore();
    }
    await overview();
    await settle();
    expect((await overview()).stale).toBe(false);
  });

  it("paces recomputations: a write soon after one leaves the figures stale until the gap has passed", async () => {
    // An editor saving every second recomputed the overview after every save (1.8 s of a thread
    // each at 100,000 letters), so a pool thread never rested.
    let clock = Date.now();
    const at = () => figuresFor("overview", { asOf }, { shared: true, now: () => clock });
    const first = await at();
    addExtension(db, letterId(BUTLER), { newDeadline: "2032-03-01", grantedOn: "2024-07-21" });
    expect((await at()).stale).toBe(true);
    await settle();
    const recomputed = await at();
    expect(recomputed.stale).toBe(false);
    expect(recomputed.computedAt).toBeGreaterThan(first.computedAt - 1);
    addExtension(db, letterId(AFGHANISTAN), { newDeadline: "2032-04-01", grantedOn: "2023-01-21" });
    clock += RECOMPUTE_PACING.minGapMs / 2;
    expect((await at()).stale).toBe(true);
    await settle();
    const tooSoon = await at();
    expect(tooSoon.stale, "recomputed again within the gap").toBe(true);
    expect(tooSoon.computedAt).toBe(recomputed.computedAt);
    clock += RECOMPUTE_PACING.maxGapMs;
    expect((await at()).stale).toBe(true);
    await settle();
    expect((await at()).stale).toBe(false);
  });

  it("never serves figures another build stored: after a deploy they may have another shape", async () => {
    try {
      installBuildVersion("build-before");
      const before = await overview();
      // What the previous build stored, in its shape (a field this build reads is missing).
      db.run(sql`UPDATE figure_snapshots SET payload = '{"counts":{}}' WHERE key LIKE '%overview:%'`);
      clearFigureStore();
      installBuildVersion("build-after");
      const after = await overview();
      expect(after.stale).toBe(false);
      expect(after.value).toEqual(before.value);
    } finally {
      installBuildVersion(null);
    }
  });

  it("shares figures between processes through figure_snapshots", async () => {
    const computed = await overview();
    const row = db.get<{ revision: number; payload: string }>(sql`SELECT revision, payload FROM figure_snapshots WHERE key = ${`overview:${JSON.stringify({ asOf })}`}`);
    expect(row?.revision).toBeGreaterThan(0);
    expect(JSON.parse(row!.payload)).toEqual(JSON.parse(JSON.stringify(computed.value)));
    // A process that never computed them (memory cleared) serves the stored ones as they are.
    clearFigureStore();
    const elsewhere = await overview();
    expect(elsewhere.stale).toBe(false);
    expect(elsewhere.computedAt).toBe(computed.computedAt);
  });

  it("leaves a recomputation to the process holding the key's lease, serving the stored figures meanwhile", async () => {
    const stored = await overview();
    const key = `figures:overview:${JSON.stringify({ asOf })}`;
    expect(acquireLease({ name: key, ttlMs: 60_000, holder: "another-process" })).toBe(true);
    try {
      addExtension(db, letterId(AFGHANISTAN), { newDeadline: "2031-02-01", grantedOn: "2023-01-20" });
      clearFigureStore();
      const meanwhile = await overview();
      expect(meanwhile.stale).toBe(true);
      expect(meanwhile.computedAt).toBe(stored.computedAt);
      await settle();
      // Nobody here recomputed: the other process holds the lease.
      expect((await overview()).stale).toBe(true);
      expect(leaseHolder({ name: key })).toBe("another-process");
    } finally {
      releaseLease({ name: key, holder: "another-process" });
    }
    // Once the lease is free, the next reader's request recomputes them.
    expect((await overview()).stale).toBe(true);
    await settle();
    expect((await overview()).stale).toBe(false);
  });

  describe("versions, for pages kept with stale figures (the page cache keeps such a page while they hold)", () => {
    const KEY = `overview:${JSON.stringify({ asOf })}`;
    /** A load context that records what the page cache is told, as scripts/serve.ts's does. */
    const contextOf = () => {
      const told = { stale: [] as Array<[string, number]>, doNotCache: 0 };
      const context = { usesStaleFigures: (key: string, version: number) => told.stale.push([key, version]), doNotCache: () => (told.doNotCache += 1) };
      return { told, context };
    };

    it("tells the page the stale key and its version; the version moves when the new figures land", async () => {
      let clock = Date.now();
      const read = (context?: AppLoadContext) => figuresFor("overview", { asOf }, { shared: true, now: () => clock, ...(context ? { context } : {}) });
      await read();
      const fresh = figureVersion(KEY);
      expect(fresh).not.toBeNull();
      // Fresh figures: nothing to tell (the page is cached as any other).
      const { told: quiet, context: quietContext } = contextOf();
      await read(quietContext);
      expect(quiet).toEqual({ stale: [], doNotCache: 0 });

      addExtension(db, letterId(BUTLER), { newDeadline: "2033-03-01", grantedOn: "2024-07-22" });
      clock += RECOMPUTE_PACING.maxGapMs;
      const { told, context } = contextOf();
      expect((await read(context)).stale).toBe(true);
      expect(told.stale).toEqual([[KEY, fresh]]);
      expect(told.doNotCache, "kept by this process, so not marked do-not-cache").toBe(0);
      await settle();
      expect(figureVersion(KEY), "the new figures landed: pages kept with the old ones are stale").not.toBe(fresh);
      expect((await read()).stale).toBe(false);
    });

    it("moves the version when a recomputation may start, so a page kept with stale figures is rendered again then", async () => {
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
      try {
        let clock = Date.now();
        const read = (context?: AppLoadContext) => figuresFor("overview", { asOf }, { shared: true, now: () => clock, ...(context ? { context } : {}) });
        await read();
        addExtension(db, letterId(AFGHANISTAN), { newDeadline: "2033-04-01", grantedOn: "2023-01-22" });
        expect((await read()).stale).toBe(true); // a quiet spell ended: recomputed at once
        await vi.advanceTimersByTimeAsync(0);
        expect((await read()).stale).toBe(false);
        // A second write right after: too soon, the figures stay stale without a recomputation.
        addExtension(db, letterId(BUTLER), { newDeadline: "2033-05-01", grantedOn: "2024-07-23" });
        const { told, context } = contextOf();
        expect((await read(context)).stale).toBe(true);
        const [[, version]] = told.stale as [[string, number]];
        await vi.advanceTimersByTimeAsync(0);
        expect(figureVersion(KEY), "nothing recomputed yet").toBe(version);
        await vi.advanceTimersByTimeAsync(RECOMPUTE_PACING.maxGapMs + 1);
        expect(figureVersion(KEY), "the recomputation fell due: the kept page must be rendered again, and its loader start it").not.toBe(version);
        clock += RECOMPUTE_PACING.maxGapMs + 1;
        expect((await read()).stale).toBe(true);
        await vi.advanceTimersByTimeAsync(0);
        expect((await read()).stale).toBe(false);
      } finally {
        vi.useRealTimers();
      }
    });

    it("a page kept with a shared key's stale figures is rendered again soon after another process stored newer ones, not only when this process's own recomputation falls due (attack12)", async () => {
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
      let clock = Date.now();
      // This process's recomputations take 3 s: the next one is paced 24 s after the last.
      const slow: ReadPool = stubReadPool(async (name, args) => {
        clock += 3_000;
        return runReadTask(name, args);
      });
      try {
        installReadPool(slow);
        // This process computes the figures first (none stored by an earlier test).
        db.run(sql`DELETE FROM figure_snapshots WHERE key = ${KEY}`);
        const read = (context?: AppLoadContext) => figuresFor("overview", { asOf }, { shared: true, now: () => clock, ...(context ? { context } : {}) });
        await read();
        addExtension(db, letterId(BUTLER), { newDeadline: "2033-07-01", grantedOn: "2024-07-24" });
        const { told, context } = contextOf();
        expect((await read(context)).stale).toBe(true);
        const [[, version]] = told.stale as [[string, number]];
        // The other process (holder of the lease) stores the new figures a second later.
        const revision = dataRevision()!;
        const value = runReadTask("overview", { asOf });
        db.run(sql`INSERT INTO figure_snapshots (key, revision, day, computed_at, payload) VALUES (${KEY}, ${revision}, ${asOf}, ${clock + 1_000}, ${JSON.stringify(value)})
          ON CONFLICT (key) DO UPDATE SET revision = excluded.revision, day = excluded.day, computed_at = excluded.computed_at, payload = excluded.payload`);
        await vi.advanceTimersByTimeAsync(2_000);
        expect(figureVersion(KEY), "the page kept with the old figures must be rendered again (and its loader read the new ones)").not.toBe(version);
        expect((await read()).stale).toBe(false);
      } finally {
        installReadPool(null);
        vi.useRealTimers();
      }
    });

    it("moves the version when a busy pool refuses the recomputation, so the next reader asks again", async () => {
      await overview();
      addExtension(db, letterId(AFGHANISTAN), { newDeadline: "2033-06-01", grantedOn: "2023-01-23" });
      const refusing: ReadPool = stubReadPool(async () => {
        throw Object.assign(new Error("busy"), { code: "READ_POOL_BUSY", retryAfterSeconds: 5, reason: "saturated" });
      }, { refused: 1 });
      try {
        installReadPool(refusing);
        const { told, context } = contextOf();
        expect((await figuresFor("overview", { asOf }, { shared: true, context })).stale).toBe(true);
        await settle();
        await settle();
        expect(figureVersion(KEY)).not.toBe(told.stale[0]![1]);
      } finally {
        installReadPool(null);
      }
    });
  });
});
