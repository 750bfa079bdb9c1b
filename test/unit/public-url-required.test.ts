/**
 * PUBLIC_URL is the address in every follow message, feed id and share card (decision 0016, 0019).
 * A production server that sends real mail without it mails people http://localhost links; one
 * with a query or fragment in it makes every link `https://x.org/?a=1/letters/...`.
 */
import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";

const base = { NODE_ENV: "production", DATABASE_PATH: "/tmp/attack13-env.db" };

describe("PUBLIC_URL", () => {
  it("is required, by name, when a production server sends mail through SMTP_URL", () => {
    expect(() => parseEnv({ ...base, SMTP_URL: "smtp://user:secret@mail.example.org:587" })).toThrow(/PUBLIC_URL/);
  });

  it.each(["https://tracker.example.org/?a=1", "https://tracker.example.org/#top"])("refuses %s (links are made by appending paths)", (value) => {
    expect(() => parseEnv({ ...base, PUBLIC_URL: value })).toThrow(/PUBLIC_URL/);
  });
});
