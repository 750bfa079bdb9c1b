/**
 * The 503 a refused render answers (app/utils/busy-page.server.ts) adds Accept to the response's
 * Vary: it replaced it, and the server's `Vary: Cookie` (pages differ by sign-in) was dropped.
 */
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { sendBusy } from "~/utils/busy-page.server";

const servers: Array<{ close: () => void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe("the busy page's Vary", () => {
  it("keeps what the server said it varies on, and adds Accept", async () => {
    const app = express();
    app.use((_req, res, next) => {
      res.vary("Cookie");
      next();
    });
    app.get("/letters", (req, res) => sendBusy(req, res, { message: "The server is busy.", retryAfterSeconds: 3 }));
    const server = app.listen(0, "127.0.0.1");
    servers.push(server);
    await new Promise((resolve) => server.once("listening", resolve));
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/letters`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(503);
    const vary = (response.headers.get("vary") ?? "").split(",").map((name) => name.trim().toLowerCase());
    expect(vary).toEqual(expect.arrayContaining(["cookie", "accept"]));
  });
});
