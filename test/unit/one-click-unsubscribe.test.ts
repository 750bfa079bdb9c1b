/**
 * RFC 8058 one-click unsubscribe (decision 0016): the mail receiver POSTs the List-Unsubscribe
 * address with the body `List-Unsubscribe=One-Click`. RFC 8058 §3.1: the POST content "SHOULD be
 * sent as multipart/form-data and MAY be sent as application/x-www-form-urlencoded". The request
 * guard in front of the app (scripts/serve.ts) must let both through on /unsubscribe.
 */
import { describe, expect, it } from "vitest";
import { refuseRequest } from "~/domain/request-guard";

const path = "/unsubscribe";

describe("one-click unsubscribe through the request guard", () => {
  it.each([
    ["multipart/form-data (what RFC 8058 says SHOULD be sent)", "multipart/form-data; boundary=----abc123"],
    ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded"],
  ])("lets a one-click POST sent as %s through", (_name, contentType) => {
    expect(refuseRequest({ method: "POST", path, contentType, origin: null, host: "tracker.example" })).toBeNull();
  });
});
