/**
 * deploy/nginx.conf rendered by scripts/nginx-config.ts: every placeholder filled, values that
 * would break the config refused. (test/e2e/nginx-front.test.ts runs the rendered config.)
 */
import { describe, expect, it } from "vitest";
import { renderNginxConfig, type NginxValues } from "../../scripts/nginx-config";
import { withoutConnectionRecycling } from "../../scripts/bench-nginx";

const values: NginxValues = {
  listen: "127.0.0.1:8080",
  upstreams: ["127.0.0.1:3000", "app2.internal:3000"],
  cacheDir: "/var/cache/tracker",
  publicDir: "/srv/tracker/public",
  tempDir: "/var/lib/tracker-nginx",
  accessLog: "/var/log/nginx/tracker.log",
};

describe("renderNginxConfig", () => {
  const config = renderNginxConfig(values);

  it("fills every placeholder", () => {
    expect(config).not.toMatch(/\{\{[A-Z_]+\}\}/);
    expect(config).toContain("listen 127.0.0.1:8080;");
    expect(config).toContain("        server 127.0.0.1:3000;\n        server app2.internal:3000;\n");
    expect(config).toContain("proxy_cache_path /var/cache/tracker ");
    expect(config).toContain("root /srv/tracker/public;");
    expect(config).toContain("proxy_temp_path       /var/lib/tracker-nginx/proxy;");
    expect(config).toContain("access_log /var/log/nginx/tracker.log tracker;");
  });

  it("keeps the caching contract with the app", () => {
    expect(config).toContain("auth_request /_generation_check;");
    expect(config).toContain("auth_request_set $cache_generation $upstream_http_x_cache_generation;");
    expect(config).toContain('proxy_cache_key "$scheme$host$request_uri|$cache_generation|$upstream_accept_encoding";');
    expect(config).toMatch(/proxy_no_cache\s+\$cookie_tracker_session/);
    expect(config).toMatch(/proxy_cache_bypass\s+\$cookie_tracker_session/);
    expect(config).toContain("add_header X-Cache-Status $upstream_cache_status always;");
  });

  it("takes a bare port and defaults the access log", () => {
    const rendered = renderNginxConfig({ ...values, listen: "8080", accessLog: undefined });
    expect(rendered).toContain("listen 8080;");
    expect(rendered).toContain("access_log /var/log/nginx/access.log tracker;");
  });

  it.each([
    [{ listen: "eighty" }, /--listen must be a port or address:port/],
    [{ upstreams: [] }, /--upstream is required/],
    [{ upstreams: ["127.0.0.1"] }, /--upstream must be host:port/],
    [{ cacheDir: "cache" }, /--cache-dir must be an absolute path/],
    [{ publicDir: "/srv/my tracker/public" }, /--public-dir must not contain spaces/],
    [{ tempDir: "/tmp/x; include /etc/passwd" }, /--temp-dir must not contain/],
  ])("refuses %j", (override, message) => {
    expect(() => renderNginxConfig({ ...values, ...override })).toThrowError(message);
  });

  it("refuses a template with a placeholder it does not know", () => {
    expect(() => renderNginxConfig(values, "listen {{LISTEN}}; root {{DOCUMENT_ROOT}};")).toThrowError(/unknown placeholder \{\{DOCUMENT_ROOT\}\}/);
  });
});

describe("the bench's nginx (withoutConnectionRecycling)", () => {
  // autocannon ignores `Connection: close`: nginx's closing of a connection after 1,000 requests
  // counted as a failed request now and then (scripts/bench-nginx.ts).
  it("keeps every client connection open for a whole run, set once for the http block", () => {
    const config = withoutConnectionRecycling(renderNginxConfig(values));
    expect(config.match(/keepalive_requests/g)).toHaveLength(1);
    expect(config).toMatch(/^http \{\n\s*# .*\n\s*keepalive_requests 1000000;\n/m);
  });

  it("leaves nginx's default in deploy/nginx.conf, which browsers and proxies honour", () => {
    expect(renderNginxConfig(values)).not.toContain("keepalive_requests");
  });

  it("refuses a configuration with no http block", () => {
    expect(() => withoutConnectionRecycling("events {}\n")).toThrow(/no http block/);
  });
});
