/**
 * The production server with two editors signed in, each in a browser of their own (with or without
 * JavaScript), and the first one's session cookie for raw requests: two staffers at once.
 */
import type { BrowserContext } from "playwright-core";
import { launchBrowser } from "./browser";
import { queryOne, signInAt } from "./journeys";
import { createUserWithCli, startServer, type RunningServer } from "./server";

export interface TwoEditors {
  server: RunningServer;
  /** Alice's and Bob's browsers, signed in. */
  alice: BrowserContext;
  bob: BrowserContext;
  /** Alice's session cookie ("name=value"). */
  aliceCookie: string;
  stop: () => Promise<void>;
}

export async function startWithTwoEditors({ tag, javaScriptEnabled, env = {} }: { tag: string; javaScriptEnabled: boolean; env?: Record<string, string> }): Promise<TwoEditors> {
  const password = "correct horse battery staple";
  const alice = { email: `alice-${tag}@example.org`, name: "Alice Editor", role: "editor" as const, password };
  const bob = { email: `bob-${tag}@example.org`, name: "Bob Editor", role: "editor" as const, password };
  const server = await startServer(env);
  await createUserWithCli(server.databasePath, alice);
  await createUserWithCli(server.databasePath, bob);
  const login = await fetch(`${server.url}/login`, { method: "POST", body: new URLSearchParams({ email: alice.email, password }), redirect: "manual" });
  if (login.status !== 302) throw new Error(`Alice could not sign in: ${login.status}`);
  const aliceCookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  const aliceBrowser = await launchBrowser({ javaScriptEnabled });
  const bobBrowser = await launchBrowser({ javaScriptEnabled });
  await signInAt(await aliceBrowser.newPage(), server.url, alice);
  await signInAt(await bobBrowser.newPage(), server.url, bob);
  return {
    server,
    alice: aliceBrowser,
    bob: bobBrowser,
    aliceCookie,
    stop: async () => {
      await aliceBrowser.close();
      await bobBrowser.close();
      await server.stop();
    },
  };
}

/** A letter of the demo data, by its position in the stored order. */
export function demoLetterSlug(server: RunningServer, offset = 0): string {
  return queryOne<{ slug: string }>(server.databasePath, "SELECT slug FROM letters ORDER BY id LIMIT 1 OFFSET ?", offset)!.slug;
}
