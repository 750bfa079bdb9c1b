/**
 * Forms that are not letter forms while an import holds the bulk-write gate (app/utils/write-gate.server.ts):
 * sign-in, the password change and Follow come back as their own page with what was typed and the
 * gate's message (503, Retry-After), not as an error page that loses the form.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUser } from "~/models/users.server";
import { acquireLease, releaseLease } from "~/models/leases.server";
import * as accountPassword from "~/routes/account.password";
import * as accountReminders from "~/routes/account.reminders";
import * as follow from "~/routes/follow";
import * as login from "~/routes/login";
import { BULK_WRITE_LEASE, runWithWriteGate, WRITE_GATE_SHORT_MESSAGE } from "~/utils/write-gate.server";
import { getDb } from "../../db/client.server";
import { freshDatabase } from "../support/database";
import { formRequest, run, signedInAs } from "../support/requests";

const password = "a long enough passphrase";
const IMPORT = "an-import-elsewhere";

beforeEach(async () => {
  freshDatabase();
  await createUser({ email: "staffer@example.org", name: "Sam Staffer", role: "editor", password, actor: { id: null, email: null, name: "test" } });
});

afterEach(() => releaseLease({ name: BULK_WRITE_LEASE, holder: IMPORT }));

function closeGate() {
  expect(acquireLease({ name: BULK_WRITE_LEASE, holder: IMPORT, ttlMs: 60 * 60_000 })).toBe(true);
}

async function submitWhileClosed(action: unknown, path: string, fields: Record<string, string>, cookie?: string) {
  let refused = false;
  const outcome = await runWithWriteGate({ onRefused: () => (refused = true) }, () => run(action as never, formRequest(path, fields, cookie)));
  return { outcome, refused };
}

const count = (table: string) => (getDb().$client.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe("a form refused by the bulk-write gate comes back with what was typed", () => {
  it("sign-in: the address typed and the gate's message, 503; no session, no attempt recorded; the password is not sent back", async () => {
    const sessionsBefore = count("sessions");
    closeGate();
    const { outcome, refused } = await submitWhileClosed(login.action, "/login", { email: "staffer@example.org", password, redirectTo: "/letters" });
    expect(refused).toBe(true);
    expect(outcome.status).toBe(503);
    expect(outcome.data).toMatchObject({ initialValue: { email: "staffer@example.org", redirectTo: "/letters" }, error: { "": [WRITE_GATE_SHORT_MESSAGE] } });
    expect(JSON.stringify(outcome.data)).not.toContain(password);
    expect(count("sessions")).toBe(sessionsBefore);

    releaseLease({ name: BULK_WRITE_LEASE, holder: IMPORT });
    const again = await run(login.action as never, formRequest("/login", { email: "staffer@example.org", password, redirectTo: "/letters" }));
    expect(again).toMatchObject({ status: 302, location: "/letters" });
  });

  it("the password change: the form with the gate's message, 503, and the old password still the one", async () => {
    const staffer = await signedInAs("editor");
    closeGate();
    const fields = { currentPassword: `password for ${staffer.email}`, newPassword: "a brand new passphrase", confirmPassword: "a brand new passphrase" };
    const { outcome } = await submitWhileClosed(accountPassword.action, "/account/password", fields, staffer.cookie);
    expect(outcome.status).toBe(503);
    expect(outcome.data).toMatchObject({ error: { "": [WRITE_GATE_SHORT_MESSAGE] } });
    expect(JSON.stringify(outcome.data)).not.toContain("a brand new passphrase");
    releaseLease({ name: BULK_WRITE_LEASE, holder: IMPORT });
    const again = await run(login.action as never, formRequest("/login", { email: staffer.email, password: fields.currentPassword }));
    expect(again.status).toBe(302);
  });

  it("deadline reminders: the choices come back with the gate's message, 503; the settings are not written", async () => {
    const staffer = await signedInAs("editor");
    const settingsBefore = count("staff_reminder_settings");
    closeGate();
    const fields = { enabled: "on", scope: "all", daysBefore: "3", hour: "9" };
    const { outcome, refused } = await submitWhileClosed(accountReminders.action, "/account/reminders", fields, staffer.cookie);
    expect(refused).toBe(true);
    expect(outcome.status).toBe(503);
    expect(outcome.data).toMatchObject({ initialValue: { scope: "all", hour: "9" }, error: { "": [WRITE_GATE_SHORT_MESSAGE] } });
    expect(count("staff_reminder_settings")).toBe(settingsBefore);
    releaseLease({ name: BULK_WRITE_LEASE, holder: IMPORT });
    const again = await run(accountReminders.action as never, formRequest("/account/reminders", fields, staffer.cookie));
    expect(again).toMatchObject({ status: 303 });
    expect(count("staff_reminder_settings")).toBe(settingsBefore + 1);
  });

  it("Follow: the address and choices typed come back with the gate's message, 503; nothing recorded", async () => {
    const followsBefore = count("follows");
    closeGate();
    const fields = { email: "reader@example.org", kind: "letter", key: "meeks-castro-rubio-el-salvador-2025-04-17", cadence: "daily" };
    const { outcome, refused } = await submitWhileClosed(follow.action, "/follow", fields);
    expect(refused).toBe(true);
    expect(outcome.status).toBe(503);
    expect(outcome.data).toMatchObject({ initialValue: fields, error: { "": [WRITE_GATE_SHORT_MESSAGE] } });
    expect(count("follows")).toBe(followsBefore);
  });
});
