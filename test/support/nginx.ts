/**
 * Runs nginx, as this test's own process, with deploy/nginx.conf rendered (scripts/nginx-config.ts)
 * into a temporary prefix: its own port on 127.0.0.1, cache, spool directories, logs and pid file;
 * never the system's configuration. NGINX_PATH overrides where nginx is looked for.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderNginxConfig } from "../../scripts/nginx-config";
import { request, until } from "./http-client";
import { freePort } from "./server";

export function nginxPath(
  candidates: string[] = [process.env.NGINX_PATH, "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"].filter(Boolean) as string[],
): string {
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(`nginx was not found (looked at ${candidates.join(", ")}). Install it with: apt-get install -y nginx (.ci/run does)`);
  }
  return found;
}

export interface RunningNginx {
  url: string;
  /** nginx's access log: one line per request with cache=HIT/MISS/BYPASS. */
  accessLog: () => string;
  errorLog: () => string;
  /** nginx's page cache (proxy_cache_path): one file per stored answer, its key and headers first. */
  cacheDir: string;
  stop: () => Promise<void>;
}

export async function startNginx({ upstreams, publicDir = path.resolve("public") }: { upstreams: string[]; publicDir?: string }): Promise<RunningNginx> {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-nginx-"));
  const port = await freePort();
  const cacheDir = path.join(prefix, "cache");
  const files = {
    config: path.join(prefix, "nginx.conf"),
    accessLog: path.join(prefix, "access.log"),
    errorLog: path.join(prefix, "error.log"),
    pid: path.join(prefix, "nginx.pid"),
  };
  fs.writeFileSync(
    files.config,
    renderNginxConfig({
      listen: `127.0.0.1:${port}`,
      upstreams,
      cacheDir,
      publicDir,
      tempDir: prefix,
      accessLog: files.accessLog,
    }),
  );
  // Run as root (CI containers), nginx would hand its workers to an unprivileged user who cannot
  // write this test's private temporary directory.
  const user = process.getuid?.() === 0 ? " user root;" : "";
  const child = spawn(nginxPath(), ["-p", prefix, "-c", files.config, "-e", files.errorLog, "-g", `daemon off; pid ${files.pid};${user}`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
  const url = `http://127.0.0.1:${port}`;

  // Up once it answers (the app behind it is already up).
  await until(
    async () => {
      if (exitCode !== undefined) throw new Error(`nginx exited with ${exitCode}:\n${output}\n${read(files.errorLog)}`);
      return request(`${url}/healthz`).then(
        (response) => response.status === 200,
        () => false,
      );
    },
    "nginx to answer",
    () => `${output}\n${read(files.errorLog)}`,
  );

  return {
    url,
    accessLog: () => read(files.accessLog),
    errorLog: () => read(files.errorLog),
    cacheDir,
    stop: async () => {
      if (exitCode === undefined) {
        child.kill("SIGQUIT"); // graceful: finish open requests
        await exited;
      }
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}
