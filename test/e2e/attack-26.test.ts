/**
 * Attack 26 (issue 11: no visitor waits for another), against the real production server.
 * - One address's flood of letter pages made unique by a parameter the page ignores (`?w=1`,
 *   `?w=2`, ...): each missed the page cache and rendered on the event loop, where no per-client
 *   limit applied. 800 of them, at once or pipelined on one connection, held the event loop about
 *   5 s, other readers' pages waited up to 10 s, and a quarter of the flood ended in 500. Now the app
 *   works on at most APP_REQUESTS_PER_CLIENT of one address's requests at once and tells the rest
 *   to come back (503 with Retry-After), while other addresses and kept pages are served.
 *   Pipelined requests on one connection reach the app together (Node parses them all from one
 *   packet), so the flood is in flight at once whatever the machine's speed.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipelinedAnswers, until } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const LETTER = "meeks-castro-rubio-el-salvador-2025-04-17";
const PER_CLIENT = 4;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ APP_REQUESTS_PER_CLIENT: String(PER_CLIENT), EXPOSE_WORKER_ID: "on" });
});

afterAll(async () => {
  await server?.stop();
});

/** `paths` pipelined on one connection from `localAddress` (test/support/http-client.ts). */
const pipelined = (paths: string[], localAddress?: string) => pipelinedAnswers(server.url, paths, { localAddress });

describe("one address's flood of distinct letter page addresses (attack 26, High)", () => {
  it("is worked on a few at a time: the rest are told to come back, none fails, and another address is served", async () => {
    const flood = pipelined(Array.from({ length: 40 }, (_, i) => `/letters/${LETTER}?w=${i}`));
    // Meanwhile another reader, from another address, asks for a page no one has asked for yet.
    const other = pipelined([`/letters/${LETTER}?w=other`], "127.0.0.2");
    const [answers, [otherAnswer]] = await Promise.all([flood, other]);

    expect(answers).toHaveLength(40);
    const statuses = answers.map((answer) => answer.status);
    expect(new Set(statuses)).toEqual(new Set([200, 503]));
    // The address's share is served in full; what is beyond it waits for nothing.
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(PER_CLIENT);
    for (const refused of answers.filter((answer) => answer.status === 503)) {
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(refused.headers["cache-control"]).toBe("no-store");
      expect(refused.headers["content-type"]).toMatch(/^text\/html/);
    }
    expect(otherAnswer?.status).toBe(200);
  });

  it("never refuses a kept page: a kept page is a lookup, not work", async () => {
    const first = await pipelined([`/letters/${LETTER}?kept=1`]);
    expect(first[0]?.status).toBe(200);
    const answers = await pipelined(Array.from({ length: 40 }, () => `/letters/${LETTER}?kept=1`));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 40 }, () => 200));
    expect(answers.every((answer) => answer.headers["x-page-cache"] === "hit")).toBe(true);
  });

  it("gives the address its share back once its pages are sent", async () => {
    await pipelined(Array.from({ length: 40 }, (_, i) => `/letters/${LETTER}?again=${i}`));
    const answers = await pipelined(Array.from({ length: PER_CLIENT }, (_, i) => `/letters/${LETTER}?after=${i}`));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: PER_CLIENT }, () => 200));
  });
});

/** What /healthz says the app is working on now. */
async function requestsInFlight(): Promise<number> {
  const health = (await (await fetch(`${server.url}/healthz`)).json()) as { requestsInFlight: number };
  return health.requestsInFlight;
}

describe("a flood whose connection closes before its answers are sent", () => {
  it("gives every slot back: pipelined requests queued behind others get no 'close' of their own", async () => {
    const { port } = new URL(server.url);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port: Number(port), localAddress: "127.0.0.3" }, () => {
        socket.write(
          Array.from({ length: 40 }, (_, i) => `GET /letters/${LETTER}?gone=${i} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`).join(""),
          () => {
            // Gone before reading anything.
            socket.destroy();
            resolve();
          },
        );
      });
      socket.on("error", reject);
    });
    // The server notices the closed connection in its own time; then nothing of it is left.
    await until(async () => (await requestsInFlight()) === 0, "the closed connection's slots to be given back");
    expect(await requestsInFlight()).toBe(0);
    const answers = await pipelined(Array.from({ length: PER_CLIENT }, (_, i) => `/letters/${LETTER}?back=${i}`), "127.0.0.3");
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: PER_CLIENT }, () => 200));
  });
});

describe("upper-case addresses of lists (attack 26, Medium)", () => {
  it("are rendered on the render lane like their lower-case addresses", async () => {
    const response = await fetch(`${server.url}/Letters?x=capitals`);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-render-thread")).not.toBeNull();
  });
});
