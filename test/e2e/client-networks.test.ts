/**
 * An IPv6 client is counted by its /64 (app/domain/client-key.ts; attack 27, Low): a host given a
 * /64 may send each request from another address in it, and counted address by address it held as
 * many of the per-client shares as it liked. Behind a trusted proxy (TRUST_PROXY=loopback), as
 * deployed, X-Forwarded-For names the visitor. Requests are pipelined on one connection, so they
 * reach the app together whatever the machine's speed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipelinedAnswers } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const LETTER = "meeks-castro-rubio-el-salvador-2025-04-17";
const PER_CLIENT = 4;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ APP_REQUESTS_PER_CLIENT: String(PER_CLIENT), TRUST_PROXY: "loopback" });
});

afterAll(async () => {
  await server?.stop();
});

/** 40 pages no one has asked for yet (each is work), the i-th from `addressOf(i)`. */
function distinctPagesFrom(addressOf: (i: number) => string, tag: string) {
  return pipelinedAnswers(
    server.url,
    Array.from({ length: 40 }, (_, i) => `/letters/${LETTER}?${tag}=${i}`),
    { headersOf: (i) => ({ "X-Forwarded-For": addressOf(i) }) },
  );
}

describe("per-client limits and IPv6", () => {
  it("count every address of one /64 as one client: beyond its share, the rest are told to come back", async () => {
    const answers = await distinctPagesFrom((i) => `2001:db8:1:2::${(i + 1).toString(16)}`, "one-network");
    const statuses = answers.map((answer) => answer.status);
    expect(statuses).toHaveLength(40);
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(PER_CLIENT);
  });

  it("count distinct /64 networks apart (and IPv4 addresses one by one): each is within its share", async () => {
    const v6 = await distinctPagesFrom((i) => `2001:db8:1:${(i + 16).toString(16)}::1`, "networks");
    expect(v6.map((answer) => answer.status)).toEqual(Array.from({ length: 40 }, () => 200));
    const v4 = await distinctPagesFrom((i) => `198.51.100.${i + 1}`, "v4");
    expect(v4.map((answer) => answer.status)).toEqual(Array.from({ length: 40 }, () => 200));
  });
});
