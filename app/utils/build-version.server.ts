/**
 * The version of the running build (Remix's `assets.version`), installed by scripts/serve.ts at
 * start. Whatever a build stores for other processes to read back in the same shape (the shared
 * figure snapshots) is kept under it: after a deploy, figures stored by the previous build, shaped
 * for its pages, are not served to the new one's (the overview answered 500 reading a list the old
 * figures lacked). The server and the Remix build are separate bundles: shared through globalThis.
 * Without a server (tests, scripts) there is no version and nothing is prefixed.
 */
const holder = globalThis as typeof globalThis & { __trackerBuildVersion?: string | null };

export function installBuildVersion(version: string | null): void {
  holder.__trackerBuildVersion = version;
}

export function currentBuildVersion(): string | null {
  return holder.__trackerBuildVersion ?? null;
}
