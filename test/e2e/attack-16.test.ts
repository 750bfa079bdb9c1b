/**
 * Session 16's attack on what changed (branch attack16), against the built server behind nginx
 * (deploy/nginx.conf) with TRUST_PROXY=loopback, as deployed. Each test failed before its fix.
 *
 * nginx asks the app for the cache generation (GET /_generation, auth_request) before every page,
 * passing on the client's headers except those it sets; any answer but 2xx, 401 or 403 there is
 * nginx's own 500. Session 16 dropped a client's X-Forwarded-Host from that check; its
 * X-Forwarded-Proto and Host still reached the app's host checks, which answered 400, so nginx
 * answered 500 for a header the app either ignores (the page's own request carries nginx's
 * X-Forwarded-Proto) or refuses with a message naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../support/http-client";
import { startNginx, type RunningNginx } from "../support/nginx";
import { startServer, type RunningServer } from "../support/server";

const TIMEOUT = 180_000;
let app: RunningServer;
let front: RunningNginx;

beforeAll(async () => {
  app = await startServer({ TRUST_PROXY: "loopback", MAIL_SENDER: "false" });
  front = await startNginx({ upstreams: [new URL(app.url).host] });
}, TIMEOUT);

afterAll(async () => {
  await front?.stop();
  await app?.stop();
});

describe("a client's headers and nginx's generation check", () => {
  it("a client's X-Forwarded-Proto is not the proxy's word: the page is served, not nginx's 500", async () => {
    // nginx sets X-Forwarded-Proto ($scheme) on the page's request, not on the generation check's.
    for (const proto of ["gopher", "https, ftp", ""]) {
      const page = await request(`${front.url}/letters`, { headers: { "X-Forwarded-Proto": proto } });
      expect(page.status, `X-Forwarded-Proto: ${JSON.stringify(proto)}`).toBe(200);
    }
  });

  it("a Host nginx takes and the app does not is the app's 400 naming the Host, not nginx's 500", async () => {
    for (const host of ["localhost:99999", "user@localhost", "localhost:80:80"]) {
      const page = await request(`${front.url}/letters`, { headers: { Host: host } });
      expect(page.status, `Host: ${host}`).toBe(400);
      expect(page.text, `Host: ${host}`).toMatch(/^The Host header /);
    }
    // A good Host still gets the page.
    expect((await request(`${front.url}/letters`)).status).toBe(200);
  });
});
