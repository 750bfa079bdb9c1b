import type { LoaderFunctionArgs } from "@remix-run/node";
import { isPickerKind, PICKER_KINDS } from "~/domain/pickers";
import { searchPicker } from "~/models/pickers.server";
import { jsonError } from "~/utils/http.server";
import { requireUser } from "~/utils/permissions.server";

/**
 * Suggestions for a picker field: GET /pickers/agencies?q=home gives at most 20 agencies whose
 * name has words starting with every typed word, as `{ data: [{ value, label, hint }], meta: { more } }`.
 * Kinds: agencies, committees, members, topics, officials. A plain public GET, so caches may keep it.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read", { api: true });
  const kind = params.kind ?? "";
  if (!isPickerKind(kind)) return jsonError(404, `kind: "${kind}" is not one of ${PICKER_KINDS.join(", ")}`, "kind");
  const { items, more } = searchPicker(kind, new URL(request.url).searchParams.get("q") ?? "");
  return Response.json({ data: items, meta: { more } });
}
