/**
 * Attack 27, on the per-client bound of attack 26 (decision 0040), against the real production server:
 * - forms whose bodies never came held their address's slots for Node's request timeout (300 s):
 *   16 of them locked an office's colleagues out, 256 the whole process;
 * - pages the render lane renders were counted at the app's door before the lane admitted them:
 *   a crowd behind one address at one slow page (a past day's) was refused past 16 before the lane
 *   could share one render among them. The app's door now stands after the lane.
 * - behind a proxy on the same machine with TRUST_PROXY off, every visitor is one address: the
 *   server now says so in its log.
 * Requests are pipelined on one connection, so that they reach the app together whatever the
 * machine's speed.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pipelinedAnswers } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const LETTER = "meeks-castro-rubio-el-salvador-2025-04-17";
const PER_CLIENT = 4;

let server: RunningServer;

beforeAll(async () => {
  // The render lane's own share is large here: what is refused is refused by the app's door.
  server = await startServer({ APP_REQUESTS_PER_CLIENT: String(PER_CLIENT), READ_POOL_PER_CLIENT: "1000", EXPOSE_WORKER_ID: "on" });
});

afterAll(async () => {
  await server?.stop();
});

const port = () => Number(new URL(server.url).port);
/** `paths` pipelined on one connection from `localAddress` (test/support/http-client.ts). */
const pipelined = (paths: string[], localAddress: string) => pipelinedAnswers(server.url, paths, { localAddress });

describe("forms whose bodies never come (attack 27, Medium-High)", () => {
  it("hold none of their address's slots: its reads are still served", async () => {
    const address = "127.0.0.21";
    // More unfinished forms than the address's share, each on its own connection, headers only.
    const idle = await Promise.all(
      Array.from(
        { length: PER_CLIENT * 2 },
        () =>
          new Promise<net.Socket>((resolve, reject) => {
            const socket = net.connect({ host: "127.0.0.1", port: port(), localAddress: address }, () => {
              socket.write(`POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n`, () => resolve(socket));
            });
            socket.on("error", reject);
          }),
      ),
    );
    try {
      // A round trip on another connection: the server has read the forms' headers by its end.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const answers = await pipelined(
        Array.from({ length: PER_CLIENT }, (_, i) => `/letters/${LETTER}?idle=${i}`),
        address,
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: PER_CLIENT }, () => 200));
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });
});

describe("pages the render lane renders (attack 27, Medium)", () => {
  it("are admitted by the lane alone (its own share, its shared renders), not first refused at the app's door", async () => {
    const answers = await pipelined(
      Array.from({ length: PER_CLIENT * 3 }, (_, i) => `/letters?lane=${i}`),
      "127.0.0.22",
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: PER_CLIENT * 3 }, () => 200));
    expect(answers.every((answer) => answer.headers["x-render-thread"] !== undefined)).toBe(true);
  });
});

describe("a proxy on this machine the app does not trust (attack 27, Medium)", () => {
  it("is named in the log once: every visitor would share one address's limits", async () => {
    const asked = () => fetch(`${server.url}/letters/${LETTER}?proxied=1`, { headers: { "X-Forwarded-For": "203.0.113.9" } });
    expect((await asked()).status).toBe(200);
    expect((await asked()).status).toBe(200);
    const warnings = server.output().match(/TRUST_PROXY is off/g) ?? [];
    expect(warnings).toHaveLength(1);
  });
});
