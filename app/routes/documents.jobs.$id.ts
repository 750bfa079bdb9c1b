import { type LoaderFunctionArgs } from "@remix-run/node";
import { progressPercent } from "~/domain/documents";
import { documentJobFor } from "~/models/document-jobs.server";
import { requireUser } from "~/utils/permissions.server";

/** An upload's extraction progress, for the forms' progress bar: JSON, never cached. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireUser(request, "letter:edit", { api: true });
  // Only whoever uploaded it (or an admin): ids are sequential.
  const job = /^\d{1,12}$/.test(params.id ?? "") ? documentJobFor(Number(params.id), viewer) : null;
  const headers = { "Cache-Control": "no-store" };
  if (!job) return Response.json({ error: "There is no such upload." }, { status: 404, headers });
  return Response.json(
    { id: job.id, state: job.state, stage: job.stage, page: job.page, pages: job.pages, percent: progressPercent(job), error: job.error },
    { headers },
  );
}
