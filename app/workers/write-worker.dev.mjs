// The import's writer thread from its TypeScript source, through tsx: for development and for runs
// without a build (app/utils/write-worker.server.ts chooses). Production runs build/write-worker.js.
import { register } from "tsx/esm/api";

register();
await import("./write-worker.ts");
