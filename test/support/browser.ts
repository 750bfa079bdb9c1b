/**
 * Debian's Chromium driven by playwright-core. CHROMIUM_PATH overrides the default /usr/bin/chromium.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export function chromiumPath(
  candidates: string[] = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"].filter(Boolean) as string[],
): string {
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(
      `Chromium was not found (looked at ${candidates.join(", ")}). Install it with: apt-get install -y chromium`,
    );
  }
  return found;
}

export async function launchBrowser(options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tracker-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  // Fail with the locator's name rather than at the test's own timeout, but never because a loaded
  // 2-core CI machine (load 20 while helpers and other suites run) is slow to paint a page.
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(60_000);
  return context;
}

/** Collects console errors and uncaught page errors, to assert there are none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page: ${error.message}`));
  return errors;
}
