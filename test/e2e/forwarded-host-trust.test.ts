/**
 * X-Forwarded-Host counts only from a proxy the app trusts (TRUST_PROXY), as for Express's
 * req.hostname. Before, the request guard and Remix's own origin check read it from anyone: a stray
 * one beside a same-site Origin refused the write (403), a malformed one the whole request (400).
 */
import http from "node:http";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server";

const TIMEOUT = 120_000;
let untrusting: RunningServer;
let trusting: RunningServer;

beforeAll(async () => {
  [untrusting, trusting] = await Promise.all([
    startServer({ MAIL_SENDER: "false" }),
    startServer({ MAIL_SENDER: "false", TRUST_PROXY: "loopback" }),
  ]);
}, TIMEOUT);

afterAll(async () => {
  await Promise.all([untrusting?.stop(), trusting?.stop()]);
});

/**
 * A sign-in form posted as a browser on the server's own address would post it, plus `headers`;
 * `target`: the request line's target (an absolute-form one, "http://host/login", no browser sends).
 */
function postSignIn(server: RunningServer, headers: Record<string, string>, address?: string, target = "/login"): Promise<{ status: number; body: string }> {
  const url = new URL(`${server.url}/login`);
  const body = new URLSearchParams({ email: "nobody@example.org", password: "not the password" }).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: address ?? url.hostname,
        port: url.port,
        path: target,
        method: "POST",
        headers: {
          Host: url.host,
          Origin: url.origin,
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

describe("X-Forwarded-Host without TRUST_PROXY", () => {
  it("is ignored: a same-site sign-in with a stray one reaches the form (wrong password), not a 403", async () => {
    const answer = await postSignIn(untrusting, { "X-Forwarded-Host": "elsewhere.example" });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("Email or password is wrong.");
  }, TIMEOUT);

  it("is ignored when it is not even a host name (no 400 for a header the app never reads)", async () => {
    const answer = await postSignIn(untrusting, { "X-Forwarded-Host": "not a host" });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("Email or password is wrong.");
  }, TIMEOUT);
});

describe("forwarded headers from a peer TRUST_PROXY does not name", () => {
  // TRUST_PROXY=loopback trusts loopback peers only: a client reaching the server on another of the
  // machine's addresses is not the proxy. Machines without such an address skip this.
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((address) => address && address.family === "IPv4" && !address.internal)?.address;

  it.skipIf(!external)("are ignored, as Express ignores them (review 16: X-Forwarded-Proto was a 400)", async () => {
    const port = new URL(trusting.url).port;
    for (const header of [{ "X-Forwarded-Proto": "gopher" }, { "X-Forwarded-Host": "elsewhere.example" }] as Record<string, string>[]) {
      const answer = await postSignIn(trusting, { Host: `${external}:${port}`, Origin: `http://${external}:${port}`, ...header }, external);
      expect(answer.status, JSON.stringify(header)).toBe(400);
      expect(answer.body, JSON.stringify(header)).toContain("Email or password is wrong.");
    }
  }, TIMEOUT);
});

describe("Host names are case-insensitive", () => {
  it("a same-site form whose Host is in capitals reaches the form (it was refused 403 as cross-site)", async () => {
    const port = new URL(untrusting.url).port;
    const answer = await postSignIn(untrusting, { Host: `LocalHost:${port}`, Origin: `http://localhost:${port}` });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("Email or password is wrong.");
  }, TIMEOUT);

  it("so is a trusted proxy's X-Forwarded-Host", async () => {
    const answer = await postSignIn(trusting, { "X-Forwarded-Host": "Tracker.Example", Origin: "http://tracker.example" });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("Email or password is wrong.");
  }, TIMEOUT);
});

describe("X-Forwarded-Host from a trusted proxy (TRUST_PROXY=loopback, the test's own address)", () => {
  it("is the host the form was addressed as: an Origin that is not it is refused as cross-site", async () => {
    const answer = await postSignIn(trusting, { "X-Forwarded-Host": "elsewhere.example" });
    expect(answer.status).toBe(403);
  }, TIMEOUT);

  it("accepts the form when the Origin is the forwarded host", async () => {
    const url = new URL(trusting.url);
    const answer = await postSignIn(trusting, { "X-Forwarded-Host": "tracker.example", Origin: "http://tracker.example", Host: url.host });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("Email or password is wrong.");
  }, TIMEOUT);

  it.each([["not a host"], ["tracker.example:99999"]])("is still refused when malformed (%s: 400), before anything builds a URL from it", async (header) => {
    const answer = await postSignIn(trusting, { "X-Forwarded-Host": header });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("X-Forwarded-Host");
  }, TIMEOUT);
});

describe("an absolute-form request line (RFC 9112 3.2.2): its authority stands for Host in the origin checks", () => {
  // Not a browser's request (and a client that can send one can send any Origin): pinned as it is,
  // so that the checks keep reading the authority, not the Host header sent beside it.
  it("an Origin that is the authority, in whatever case, reaches the form", async () => {
    const answer = await postSignIn(untrusting, { Origin: "http://evil.test" }, undefined, "http://Evil.Test/login");
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("Email or password is wrong.");
  }, TIMEOUT);

  it("an Origin that is only the Host header's is refused as cross-site", async () => {
    const answer = await postSignIn(untrusting, {}, undefined, "http://evil.test/login");
    expect(answer.status).toBe(403);
  }, TIMEOUT);

  it("a trusted proxy's X-Forwarded-Host still wins over it", async () => {
    const target = "http://evil.test/login";
    expect((await postSignIn(trusting, { "X-Forwarded-Host": "tracker.example", Origin: "http://tracker.example" }, undefined, target)).status).toBe(400);
    expect((await postSignIn(trusting, { "X-Forwarded-Host": "tracker.example", Origin: "http://evil.test" }, undefined, target)).status).toBe(403);
  }, TIMEOUT);
});
