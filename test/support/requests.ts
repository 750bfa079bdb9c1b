/**
 * Calling route loaders and actions directly, as Remix would, with a real session cookie.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { signIn } from "~/models/auth.server";
import { createUser, type Role } from "~/models/users.server";

export interface Outcome {
  status: number;
  location: string | null;
  setCookie: string | null;
  data: unknown;
}

let userCount = 0;

/** A user of `role` and a Cookie header for a session of theirs. */
export async function signedInAs(role: Role): Promise<{ cookie: string; email: string; id: number }> {
  userCount += 1;
  const email = `${role}${userCount}@example.org`;
  const password = `password for ${email}`;
  const user = await createUser({ email, name: `${role} ${userCount}`, role, password, actor: { id: null, email: null, name: "test" } });
  const result = await signIn({ email, password, clientAddress: "127.0.0.1" });
  if (!result.ok) throw new Error(result.message);
  return { cookie: result.setCookie.split(";")[0]!, email, id: user.id };
}

export function formRequest(path: string, fields: Record<string, string | string[]>, cookie?: string): Request {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
  });
}

function toOutcome(result: unknown): Outcome {
  if (result instanceof Response) {
    return { status: result.status, location: result.headers.get("Location"), setCookie: result.headers.get("Set-Cookie"), data: null };
  }
  if (result && typeof result === "object" && (result as { type?: string }).type === "DataWithResponseInit") {
    const { data, init } = result as { data: unknown; init?: ResponseInit | null };
    return { status: init?.status ?? 200, location: null, setCookie: null, data };
  }
  return { status: 200, location: null, setCookie: null, data: result };
}

type RouteFunction = (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown;

/** Runs a loader or action, turning thrown responses (redirects, 403s) into outcomes too. */
export async function run(
  fn: RouteFunction,
  request: Request,
  params: Record<string, string> = {},
): Promise<Outcome> {
  try {
    return toOutcome(await fn({ request, params, context: { clientAddress: "127.0.0.1" } }));
  } catch (thrown) {
    // Remix turns thrown responses into pages; anything else would be a 500.
    const isResponse =
      thrown instanceof Response ||
      (thrown !== null && typeof thrown === "object" && (thrown as { type?: string }).type === "DataWithResponseInit");
    if (!isResponse) throw thrown;
    return toOutcome(thrown);
  }
}

export function getRequest(path: string, cookie?: string): Request {
  return new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}
