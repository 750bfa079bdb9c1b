/**
 * nginx in front of the app for `npm run bench` (scripts/bench.ts): run as the bench's own process
 * (`nginx -p <tmpdir> -c <conf> -g 'daemon off; ...'`) on a free loopback port, never the system's
 * configuration.
 *
 * The configuration is deploy/nginx.conf rendered by scripts/nginx-config.ts when this checkout has
 * them (the `front` branch), else a minimal one written here: proxy_pass to the app, a proxy_cache
 * that follows the app's Cache-Control, gzip. Either way a second server on another port serves a
 * directory of static files with gzip_static: the floor for pages served through nginx.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const NGINX_BINARY = process.env.NGINX_PATH ?? "/usr/sbin/nginx";

export interface RunningNginx {
  /** The app through nginx. */
  url: string;
  /** The static files (`staticDir`) through nginx, pre-compressed files with gzip_static. */
  staticUrl: string;
  staticDir: string;
  /** Which configuration: deploy/nginx.conf or the bench's own minimal one. */
  configSource: string;
  pid: number;
  errorLog: () => string;
  /** Answers by cache status (`cache=` in the access log: HIT, MISS, BYPASS, ... and - for none) since the last call. */
  cacheStatuses: () => Record<string, number>;
  stop: () => Promise<void>;
}

/** The bench's own configuration when deploy/nginx.conf is not there (before the `front` branch). */
export function minimalNginxConfig({
  listen,
  upstream,
  prefix,
  accessLog,
}: {
  listen: string;
  upstream: string;
  prefix: string;
  accessLog: string;
}): string {
  return `# Rendered by scripts/bench-nginx.ts: a minimal front for the benchmark (no deploy/nginx.conf here).
worker_processes auto;
events { worker_connections 1024; }
http {
    types { text/html html; text/css css; application/javascript js; application/json json; text/csv csv; text/calendar ics; }
    default_type application/octet-stream;
    sendfile on;
    log_format tracker '$remote_addr "$request" $status cache=$upstream_cache_status time=$request_time';
    access_log ${accessLog} tracker;
    client_body_temp_path ${prefix}/client_body;
    proxy_temp_path ${prefix}/proxy;
    fastcgi_temp_path ${prefix}/fastcgi;
    uwsgi_temp_path ${prefix}/uwsgi;
    scgi_temp_path ${prefix}/scgi;
    client_max_body_size 21m;
    upstream tracker_app {
        server ${upstream};
        keepalive 32;
    }
    # Stored for as long as the app's Cache-Control (s-maxage) says.
    proxy_cache_path ${prefix}/cache levels=1:2 keys_zone=tracker_pages:10m max_size=1g inactive=1h use_temp_path=off;
    gzip on;
    gzip_comp_level 5;
    gzip_min_length 512;
    gzip_vary on;
    gzip_proxied any;
    gzip_types text/css text/plain text/csv text/calendar application/javascript application/json;
    server {
        listen ${listen};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header Accept-Encoding "";
        location / {
            proxy_pass http://tracker_app;
            proxy_cache tracker_pages;
            proxy_cache_methods GET HEAD;
            proxy_no_cache $cookie_tracker_session;
            proxy_cache_bypass $cookie_tracker_session;
            # The app varies by Cookie; signed-in requests bypass the cache above.
            proxy_ignore_headers Vary;
            proxy_cache_use_stale updating error timeout;
            proxy_cache_background_update on;
            proxy_cache_lock on;
            add_header X-Cache-Status $upstream_cache_status always;
        }
    }
}
`;
}

/**
 * No client connection closed by nginx during a run, for the app's front and the static floor
 * alike. nginx closes a keep-alive connection after 1,000 requests (`keepalive_requests`), saying
 * `Connection: close` on the last answer. Browsers and proxies honour that; autocannon does not: it
 * writes its next request on the closing connection, and now and then that write meets the reset
 * and counts as an error (1 or 2 letter pages in 130,000–380,000 through nginx, with nothing in
 * nginx's log; 10 in 139,000 at `keepalive_requests 10`, none in 630,000 at 100,000). Those were
 * the load generator's errors, not the app's or nginx's; deploy/nginx.conf keeps nginx's default.
 */
export function withoutConnectionRecycling(config: string): string {
  const http = /^http \{$/m;
  if (!http.test(config)) throw new Error("the nginx configuration has no http block");
  return config.replace(http, "http {\n    # The bench only: autocannon ignores `Connection: close` (scripts/bench-nginx.ts).\n    keepalive_requests 1000000;");
}

/** A server block for the static floor, added inside the http block of a rendered configuration. */
function staticServer(listen: string, root: string): string {
  return `
    # The bench's static floor: the same pages saved as files, served pre-compressed.
    server {
        listen ${listen};
        root ${root};
        access_log off;
        gzip_static on;
        location / { try_files $uri =404; }
    }
`;
}

async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as import("node:net").AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function renderedConfig(values: {
  listen: string;
  upstream: string;
  prefix: string;
  accessLog: string;
}): Promise<{ config: string; source: string }> {
  const renderer = path.resolve("scripts/nginx-config.ts");
  if (fs.existsSync(renderer) && fs.existsSync(path.resolve("deploy/nginx.conf"))) {
    const { renderNginxConfig } = (await import(pathToFileURL(renderer).href)) as {
      renderNginxConfig: (input: Record<string, unknown>) => string;
    };
    const config = renderNginxConfig({
      listen: values.listen,
      upstreams: [values.upstream],
      cacheDir: path.join(values.prefix, "cache"),
      publicDir: path.resolve("public"),
      tempDir: values.prefix,
      // Not "off": the template writes `access_log <value> tracker;`, and `access_log off tracker;`
      // is refused by nginx. The log says which answers came from the cache.
      accessLog: values.accessLog,
    });
    return { config, source: "deploy/nginx.conf" };
  }
  return { config: minimalNginxConfig(values), source: "the bench's minimal configuration (no deploy/nginx.conf)" };
}

export async function startNginx({ upstreamPort }: { upstreamPort: number }): Promise<RunningNginx> {
  if (!fs.existsSync(NGINX_BINARY)) throw new Error(`no nginx at ${NGINX_BINARY} (apt-get install -y nginx, or set NGINX_PATH)`);
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-bench-nginx-"));
  const staticDir = path.join(prefix, "static");
  fs.mkdirSync(staticDir);
  const [port, staticPort] = [await freePort(), await freePort()];
  const accessLog = path.join(prefix, "access.log");
  const { config, source } = await renderedConfig({ listen: `127.0.0.1:${port}`, upstream: `127.0.0.1:${upstreamPort}`, prefix, accessLog });
  const end = config.lastIndexOf("}");
  if (end < 0) throw new Error("the nginx configuration has no http block");
  const withStatic = withoutConnectionRecycling(`${config.slice(0, end)}${staticServer(`127.0.0.1:${staticPort}`, staticDir)}${config.slice(end)}`);
  const files = { config: path.join(prefix, "nginx.conf"), errorLog: path.join(prefix, "error.log"), pid: path.join(prefix, "nginx.pid") };
  fs.writeFileSync(files.config, withStatic);
  // As root, nginx would hand its workers to a user who cannot write this private directory.
  const user = process.getuid?.() === 0 ? " user root;" : "";
  const child: ChildProcess = spawn(NGINX_BINARY, ["-p", prefix, "-c", files.config, "-e", files.errorLog, "-g", `daemon off; pid ${files.pid};${user}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk) => (output += chunk));
  // An interrupted bench (Ctrl-C, SIGTERM) stops nginx too.
  const stopOnSignal = () => child.kill("SIGTERM");
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  child.once("exit", () => {
    process.off("SIGINT", stopOnSignal);
    process.off("SIGTERM", stopOnSignal);
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const errorLog = () => (fs.existsSync(files.errorLog) ? fs.readFileSync(files.errorLog, "utf8") : "");
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`nginx exited (${exitCode}): ${output}\n${errorLog()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      await exited;
      throw new Error(`nginx did not answer in 20 s: ${output}\n${errorLog()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let counted = 0;
  const cacheStatuses = () => {
    const log = fs.existsSync(accessLog) ? fs.readFileSync(accessLog, "utf8") : "";
    const counts: Record<string, number> = {};
    for (const match of log.slice(counted).matchAll(/" (\d{3}) (?:\d+ )?cache=(\S*)/g)) {
      const status = match[2] || "-";
      counts[status] = (counts[status] ?? 0) + 1;
      // Answers that are not pages (an error of nginx's or of the generation check), by status:
      // a failure autocannon counts is then named here, and the error log is kept (stop).
      if (Number(match[1]) >= 500) counts[`status ${match[1]}`] = (counts[`status ${match[1]}`] ?? 0) + 1;
    }
    counted = log.length;
    return counts;
  };
  return {
    url,
    cacheStatuses,
    staticUrl: `http://127.0.0.1:${staticPort}`,
    staticDir,
    configSource: source,
    pid: child.pid as number,
    errorLog,
    stop: async () => {
      if (exitCode === undefined) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      // Its error log outlives the run (bench/nginx-error.log, appended), when it says anything.
      const log = errorLog();
      if (log.trim() !== "") fs.appendFileSync(path.join("bench", "nginx-error.log"), `--- ${new Date().toISOString()}\n${log}`);
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}
