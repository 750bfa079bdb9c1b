import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { signOut } from "~/models/auth.server";

/** Signing out is a POST (a link could be triggered by another site); GET just goes home. */
export function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  return redirect("/", { headers: { "Set-Cookie": await signOut(request) } });
}
