/**
 * `npm run nginx:config -- --listen 8080 --upstream 127.0.0.1:3000 --cache-dir DIR --public-dir DIR
 * --temp-dir DIR [--access-log FILE] [--out FILE]`: renders deploy/nginx.conf, the nginx front of the
 * app processes, with this machine's values (printed, or written to --out). `--upstream` repeats,
 * one per app host. The e2e test renders the same template with renderNginxConfig.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";

export const NGINX_TEMPLATE = path.resolve(process.cwd(), "deploy/nginx.conf");

/** Characters that would end or break an nginx directive if they reached the config. */
const SAFE_PATH = /^[^\s;{}'"#$\\]+$/;

const absolutePath = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .min(1, { error: `${what} is required` })
    .refine((value) => path.isAbsolute(value), { error: `${what} must be an absolute path` })
    .refine((value) => SAFE_PATH.test(value), { error: `${what} must not contain spaces, quotes or ; { } # $ \\` });

const hostPort = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

export const nginxValuesSchema = z.object({
  /** `8080`, `127.0.0.1:8080` or `[::1]:8080`. */
  listen: z
    .string({ error: "--listen is required" })
    .regex(/^((\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):)?\d{1,5}$/, { error: "--listen must be a port or address:port" }),
  /** The app hosts, `host:port` each. */
  upstreams: z
    .array(z.string().regex(hostPort, { error: "--upstream must be host:port" }))
    .min(1, { error: "--upstream is required (one per app host)" }),
  cacheDir: absolutePath("--cache-dir"),
  /** The app's public/ directory: nginx serves public/build/ itself. */
  publicDir: absolutePath("--public-dir"),
  /** nginx's own spool directories (request bodies, proxied answers) go under it. */
  tempDir: absolutePath("--temp-dir"),
  /** An absolute file, or `off`. */
  accessLog: z.union([z.literal("off"), absolutePath("--access-log")]).default("/var/log/nginx/access.log"),
});

export type NginxValues = z.input<typeof nginxValuesSchema>;

/** The template with every placeholder filled in; throws naming a bad value or a placeholder left over. */
export function renderNginxConfig(input: NginxValues, template = fs.readFileSync(NGINX_TEMPLATE, "utf8")): string {
  const parsed = nginxValuesSchema.safeParse(input);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("\n"));
  const values = parsed.data;
  const fill: Record<string, string> = {
    LISTEN: values.listen,
    UPSTREAM_SERVERS: values.upstreams.map((address) => `        server ${address};`).join("\n"),
    CACHE_DIR: values.cacheDir,
    PUBLIC_DIR: values.publicDir,
    TEMP_DIR: values.tempDir,
    ACCESS_LOG: values.accessLog,
  };
  const rendered = template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => {
    const value = fill[name];
    if (value === undefined) throw new Error(`deploy/nginx.conf has an unknown placeholder ${whole}`);
    return value;
  });
  return rendered;
}

function main() {
  const { values } = parseArgs({
    options: {
      listen: { type: "string" },
      upstream: { type: "string", multiple: true },
      "cache-dir": { type: "string" },
      "public-dir": { type: "string" },
      "temp-dir": { type: "string" },
      "access-log": { type: "string" },
      out: { type: "string" },
    },
  });
  let config: string;
  try {
    config = renderNginxConfig({
      listen: values.listen as string,
      upstreams: values.upstream ?? [],
      cacheDir: values["cache-dir"] as string,
      publicDir: values["public-dir"] as string,
      tempDir: values["temp-dir"] as string,
      accessLog: values["access-log"],
    });
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (values.out) fs.writeFileSync(values.out, config);
  else process.stdout.write(config);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
