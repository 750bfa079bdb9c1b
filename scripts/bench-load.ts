/**
 * The load generator of `npm run bench` (scripts/bench.ts), run as a process of its own so that its
 * work never shares an event loop with what it measures. It reads a plan (JSON) on standard input
 * and writes its results (JSON) on standard output:
 *
 * - `connections`: closed-loop connections (keep-alive), each choosing its next request from a
 *   weighted mix of kinds of page (a random address of the kind each time) until the duration ends;
 * - `probe`: one request every `intervalMs` whatever the others are doing (open loop);
 * - `heavy`: slots that each send expensive requests back to back, every address used once,
 *   until the duration ends; the run then waits for those in flight (the probe goes on meanwhile);
 * - `editor`: a signed-in editor saving once every `intervalMs`: records an extension on a letter,
 *   then, at the next save, removes it again (POST /letters/<slug>/deadline), so the bench
 *   database is left as it was;
 * - `exportPath`: one download started at the beginning and read to its end.
 *
 * Every connection, slot, the probe, the editor and the export send from an address of their own
 * on the loopback network (127.0.x.y): the server, or nginx in front of it, sees as many distinct
 * clients, so per-client limits count as they would for as many visitors.
 */
import http from "node:http";

export interface LoadMixEntry {
  kind: string;
  weight: number;
  paths: string[];
}

export interface LoadPlan {
  base: string;
  durationMs: number;
  /**
   * The connections' mix runs this long before the measured duration (every other part of the
   * plan too): its requests are reported apart (`warmup`), as what 50 connections starting at the
   * same instant meet (every first request a miss, the code not yet optimised).
   */
  warmupMs?: number;
  /** Per request; a request that takes longer counts as an error (autocannon's default is 10 s). */
  timeoutMs: number;
  acceptEncoding: string;
  connections?: { count: number; mix: LoadMixEntry[] };
  probe?: { kind: string; paths: string[]; intervalMs: number };
  heavy?: { slots: number; paths: string[]; timeoutMs: number };
  editor?: { cookie: string; slugs: string[]; intervalMs: number; grantedOn: string; newDeadline: string };
  exportPath?: string;
  /** The run ends this long after the duration at the latest, whatever is still in flight. */
  graceMs?: number;
}

export interface KindStats {
  count: number;
  errors: number;
  statuses: Record<string, number>;
  p50: number | null;
  p99: number | null;
  max: number | null;
  /** Examples of failed requests: address, status or error, milliseconds. */
  failures: string[];
}

export interface LoadResult {
  seconds: number;
  byKind: Record<string, KindStats>;
  /** Over every request of the connections' mix. */
  overall: KindStats & { requestsPerSecond: number };
  probe: KindStats | null;
  heavy: KindStats | null;
  /** The mix's requests started during the warm-up (null without one). */
  warmup: (KindStats & { byKind: Record<string, KindStats> }) | null;
  editor: (KindStats & { saves: number }) | null;
  export: { status: number; bytes: number; ms: number; error: string | null } | null;
  /** The slowest requests of the connections' mix, with their addresses. */
  slowest: Array<{ path: string; ms: number; status: number }>;
}

interface Sample {
  kind: string;
  path: string;
  ms: number;
  status: number;
  error: string | null;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

const ok = (status: number) => status >= 200 && status < 400;

function stats(samples: Sample[]): KindStats {
  const times = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  const failures: string[] = [];
  let errors = 0;
  for (const sample of samples) {
    const key = sample.error ? "error" : String(sample.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (sample.error || !ok(sample.status)) {
      errors += 1;
      if (failures.length < 10) failures.push(`${sample.path} → ${sample.error ?? sample.status} after ${Math.round(sample.ms)} ms`);
    }
  }
  return {
    count: samples.length,
    errors,
    statuses,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times.length ? (times[times.length - 1] as number) : null,
    failures,
  };
}

/** The n-th client address on the loopback network: 127.0.<block>.<2..251>. */
function clientAddress(block: number, n: number): string {
  return `127.0.${block + Math.floor(n / 250)}.${(n % 250) + 2}`;
}

interface Client {
  agent: http.Agent;
  localAddress: string;
}

function client(localAddress: string): Client {
  return { agent: new http.Agent({ keepAlive: true, maxSockets: 1 }), localAddress };
}

/** One request, its body read to the end. Never rejects: failures are in the answer. */
function send(
  base: string,
  who: Client,
  {
    method = "GET",
    path,
    headers = {},
    body,
    timeoutMs,
  }: { method?: string; path: string; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<{ status: number; ms: number; error: string | null; text: string; headers: http.IncomingHttpHeaders; bytes: number }> {
  const url = new URL(path, base);
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number, error: string | null, text = "", responseHeaders: http.IncomingHttpHeaders = {}, bytes = 0) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, ms: performance.now() - started, error, text, headers: responseHeaders, bytes });
    };
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        agent: who.agent,
        localAddress: who.localAddress,
        headers: { ...headers, ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }) },
      },
      (response) => {
        const keepText = (response.headers["content-type"] ?? "").startsWith("text/html") && method === "GET" && headers["accept-encoding"] === "identity";
        const chunks: Buffer[] = [];
        let bytes = 0;
        response.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (keepText) chunks.push(chunk);
        });
        response.on("end", () => finish(response.statusCode ?? 0, null, Buffer.concat(chunks).toString("utf8"), response.headers, bytes));
        response.on("error", (error) => finish(response.statusCode ?? 0, error.message, "", response.headers, bytes));
        // Closed before its end (the server went away): a failure, whatever was received.
        response.on("close", () => finish(response.statusCode ?? 0, "connection closed before the end of the answer", "", response.headers, bytes));
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`timeout after ${timeoutMs} ms`));
    }, timeoutMs);
    request.on("error", (error) => finish(0, error.message));
    request.on("close", () => finish(0, "connection closed without an answer"));
    if (body !== undefined) request.write(body);
    request.end();
  });
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)] as T;

export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const started = performance.now();
  const measuredFrom = started + (plan.warmupMs ?? 0);
  const endsAt = measuredFrom + plan.durationMs;
  const hardEnd = endsAt + (plan.graceMs ?? 120_000);
  const running = () => performance.now() < endsAt;
  const baseHeaders = { "accept-encoding": plan.acceptEncoding };
  const mixSamples: Sample[] = [];
  const warmupSamples: Sample[] = [];
  const probeSamples: Sample[] = [];
  const heavySamples: Sample[] = [];
  const editorSamples: Sample[] = [];
  const work: Array<Promise<unknown>> = [];
  /** What is still running, by name: said on standard error when the load outlives its duration. */
  const pending = new Set<string>();
  const tracked = (name: string, promise: Promise<unknown>) => {
    pending.add(name);
    return promise.finally(() => pending.delete(name));
  };
  const clients: Client[] = [];
  const newClient = (address: string) => {
    const made = client(address);
    clients.push(made);
    return made;
  };

  // The export, from the start to its end.
  let exported: LoadResult["export"] = null;
  if (plan.exportPath) {
    const who = newClient(clientAddress(9, 1));
    work.push(tracked("export",
      send(plan.base, who, { path: plan.exportPath, headers: { "accept-encoding": "identity" }, timeoutMs: hardEnd - performance.now() }).then(
        (answer) => (exported = { status: answer.status, bytes: answer.bytes, ms: answer.ms, error: answer.error }),
      ),
    ));
  }

  // Closed-loop connections over the mix.
  if (plan.connections) {
    const { count, mix } = plan.connections;
    const totalWeight = mix.reduce((sum, entry) => sum + entry.weight, 0);
    const choose = (): LoadMixEntry => {
      let roll = Math.random() * totalWeight;
      for (const entry of mix) {
        roll -= entry.weight;
        if (roll < 0) return entry;
      }
      return mix[mix.length - 1] as LoadMixEntry;
    };
    for (let i = 0; i < count; i++) {
      const who = newClient(clientAddress(1, i));
      work.push(tracked(`connection ${i}`,
        (async () => {
          while (running()) {
            const entry = choose();
            const path = pick(entry.paths);
            const sentAt = performance.now();
            const answer = await send(plan.base, who, { path, headers: baseHeaders, timeoutMs: plan.timeoutMs });
            (sentAt < measuredFrom ? warmupSamples : mixSamples).push({ kind: entry.kind, path, ms: answer.ms, status: answer.status, error: answer.error });
          }
        })(),
      ));
    }
  }

  // Heavy slots: each address once, until the duration ends; then the ones in flight finish.
  const heavyInFlight: Array<Promise<unknown>> = [];
  if (plan.heavy) {
    const queue = [...plan.heavy.paths];
    const { timeoutMs } = plan.heavy;
    for (let slot = 0; slot < plan.heavy.slots; slot++) {
      const who = newClient(clientAddress(8, slot));
      heavyInFlight.push(
        (async () => {
          while (running() && queue.length > 0) {
            const path = queue.shift() as string;
            const answer = await send(plan.base, who, { path, headers: baseHeaders, timeoutMs });
            heavySamples.push({ kind: "heavy", path, ms: answer.ms, status: answer.status, error: answer.error });
          }
        })(),
      );
    }
  }
  const heavyDone = Promise.all(heavyInFlight);
  let heavyFinished = !plan.heavy;
  void heavyDone.then(() => (heavyFinished = true));

  // The probe: every intervalMs while the duration lasts, and while heavy requests are in flight.
  if (plan.probe) {
    const { paths, intervalMs, kind } = plan.probe;
    const who = newClient(clientAddress(9, 3));
    // Open loop: each probe on a connection of its own when the previous one is still busy.
    const spare = [who];
    const probes: Array<Promise<unknown>> = [];
    work.push(tracked("probe",
      (async () => {
        let n = 0;
        while ((running() || !heavyFinished) && performance.now() < hardEnd) {
          const tick = started + n * intervalMs;
          n += 1;
          const wait = tick - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          const path = pick(paths);
          const probeClient = spare.pop() ?? client(clientAddress(9, 3));
          probes.push(
            send(plan.base, probeClient, { path, headers: baseHeaders, timeoutMs: plan.timeoutMs }).then((answer) => {
              probeSamples.push({ kind, path, ms: answer.ms, status: answer.status, error: answer.error });
              spare.push(probeClient);
            }),
          );
        }
        await Promise.all(probes);
      })(),
    ));
  }

  // The editor: one save per interval, alternately recording an extension and removing it.
  let saves = 0;
  if (plan.editor) {
    const { cookie, slugs, intervalMs, grantedOn, newDeadline } = plan.editor;
    const who = newClient(clientAddress(9, 2));
    const signedIn = { cookie, "accept-encoding": "identity" };
    const formHeaders = { ...signedIn, "content-type": "application/x-www-form-urlencoded" };
    const removeIds = (html: string) => new Set([...html.matchAll(/[?&;]remove=(\d+)/g)].map((match) => Number(match[1])));
    work.push(tracked("editor",
      (async () => {
        let n = 0;
        let added: { slug: string; id: number } | null = null;
        while (running()) {
          const tick = started + n * intervalMs;
          n += 1;
          const wait = tick - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          if (!running()) break;
          if (added) {
            const { slug, id } = added;
            const body = new URLSearchParams({ intent: "remove", confirm: "yes", changeId: String(id) }).toString();
            const answer = await send(plan.base, who, { method: "POST", path: `/letters/${slug}/deadline`, headers: formHeaders, body, timeoutMs: plan.timeoutMs });
            editorSamples.push({ kind: "editor", path: `remove ${slug} #${id}`, ms: answer.ms, status: answer.status, error: answer.error });
            saves += 1;
            added = null;
            continue;
          }
          const slug = pick(slugs);
          const deadlinePage = `/letters/${slug}/deadline`;
          const before = await send(plan.base, who, { path: deadlinePage, headers: signedIn, timeoutMs: plan.timeoutMs });
          const body = new URLSearchParams({ intent: "extend", newDeadline, grantedOn, reason: "bench: editor under load" }).toString();
          const answer = await send(plan.base, who, { method: "POST", path: deadlinePage, headers: formHeaders, body, timeoutMs: plan.timeoutMs });
          editorSamples.push({ kind: "editor", path: `extend ${slug}`, ms: answer.ms, status: answer.status, error: answer.error });
          saves += 1;
          if (answer.error || !ok(answer.status)) continue;
          const after = await send(plan.base, who, { path: deadlinePage, headers: signedIn, timeoutMs: plan.timeoutMs });
          const known = removeIds(before.text);
          const id = [...removeIds(after.text)].filter((candidate) => !known.has(candidate)).sort((a, b) => b - a)[0];
          if (id !== undefined) added = { slug, id };
          else editorSamples.push({ kind: "editor", path: `find the extension added to ${slug}`, ms: 0, status: after.status, error: "not found on the deadline page" });
        }
        if (added) {
          // Leave the database as it was.
          const body = new URLSearchParams({ intent: "remove", confirm: "yes", changeId: String(added.id) }).toString();
          await send(plan.base, who, { method: "POST", path: `/letters/${added.slug}/deadline`, headers: formHeaders, body, timeoutMs: plan.timeoutMs });
        }
      })(),
    ));
  }

  const report = setInterval(() => {
    if (performance.now() > endsAt + 15_000 && pending.size > 0) console.error(`  (load still waiting for: ${[...pending].join(", ")})`);
  }, 15_000);
  // The hard end's timer is cleared once the work is done: left running, it kept this process (and
  // the bench waiting for it to exit) alive for the whole grace period after every load.
  let hardEndTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all([...work, tracked("heavy requests", heavyDone)]),
    new Promise((resolve) => (hardEndTimer = setTimeout(resolve, Math.max(0, hardEnd - performance.now())))),
  ]);
  clearTimeout(hardEndTimer);
  clearInterval(report);
  for (const made of clients) made.agent.destroy();

  const seconds = (performance.now() - started) / 1000;
  const byKind: Record<string, KindStats> = {};
  for (const kind of new Set(mixSamples.map((sample) => sample.kind))) byKind[kind] = stats(mixSamples.filter((sample) => sample.kind === kind));
  const mixSeconds = plan.durationMs / 1000;
  return {
    seconds,
    byKind,
    overall: { ...stats(mixSamples), requestsPerSecond: mixSamples.length / mixSeconds },
    probe: plan.probe ? stats(probeSamples) : null,
    warmup: plan.warmupMs
      ? {
          ...stats(warmupSamples),
          byKind: Object.fromEntries([...new Set(warmupSamples.map((sample) => sample.kind))].map((kind) => [kind, stats(warmupSamples.filter((sample) => sample.kind === kind))])),
        }
      : null,
    heavy: plan.heavy ? stats(heavySamples) : null,
    editor: plan.editor ? { ...stats(editorSamples), saves } : null,
    export: exported,
    slowest: [...mixSamples]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15)
      .map(({ path, ms, status }) => ({ path, ms: Math.round(ms), status })),
  };
}

async function main() {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const plan = JSON.parse(Buffer.concat(chunks).toString("utf8")) as LoadPlan;
  const result = await runLoad(plan);
  // Requests still in flight past the hard end (their sockets) must not keep the bench waiting.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

if (process.argv[1]?.endsWith("bench-load.ts")) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
