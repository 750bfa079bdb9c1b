import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { actorOf } from "~/models/auth.server";
import { requireUser } from "~/utils/permissions.server";
import { moreProblemsLine, problemCount } from "~/domain/import-report";
import { importUpload, MAX_IMPORT_BYTES } from "~/models/letter-file-import.server";

export const meta: MetaFunction = () => [{ title: "Import letters · Oversight Letter Tracker" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "import");
  return { maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024 };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "import");
  // The upload is read and checked in the read pool (its multipart form, then decoding, parsing
  // and validating the file: seconds for a big one); only the write of the checked letters runs
  // here, through the one writer.
  const { report, refusal } = await importUpload({ request, actor: actorOf(user), context });
  if (refusal) return data({ report: null, message: refusal.message }, { status: refusal.status });
  return data({ report, message: null }, { status: report.ok ? 200 : 400 });
}

export default function ImportPage() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const report = result?.report;
  return (
    <>
      <h1>Import letters</h1>
      <p>
        A JSON file in the shape of the demo seed, the letter sheet (<code>/export/letters-questions.csv</code>: one row per
        question with the letter's columns repeated), or a <code>responses.csv</code>. Letters are matched by their id, so
        importing the same file twice changes nothing; members, agencies and officials are matched by name. Check first with a
        dry run: it lists every problem by row and column and writes nothing. A real import writes all of the file or none of it.
      </p>
      <Form method="post" encType="multipart/form-data" className="import-form">
        <div className="field">
          <label htmlFor="import-file">File (JSON or CSV, UTF-8)</label>
          <input id="import-file" type="file" name="file" accept=".json,.csv,application/json,text/csv" required />
        </div>
        <div className="item-actions">
          <button type="submit" name="intent" value="dry-run" className="secondary" disabled={navigation.state === "submitting"}>
            Dry run: check only
          </button>
          <button type="submit" name="intent" value="import" disabled={navigation.state === "submitting"}>
            Import
          </button>
        </div>
      </Form>
      {result?.message ? (
        <p className="notice" role="alert">
          {result.message}
        </p>
      ) : null}
      {report ? (
        <section aria-labelledby="report-heading" data-testid="import-report">
          <h2 id="report-heading">
            {report.ok
              ? report.dryRun
                ? `Dry run of ${report.fileName}: nothing was written`
                : `Imported ${report.fileName}`
              : `${report.fileName}: ${problemCount(report).toLocaleString("en-US")} problem${problemCount(report) === 1 ? "" : "s"}, nothing was imported`}
          </h2>
          {report.ok ? (
            <ul>
              <li>
                {report.created.length} letter(s) {report.dryRun ? "would be" : "were"} created
                {report.created.length > 0 ? `: ${report.created.join(", ")}` : ""}
              </li>
              <li>
                {report.updated.length} {report.dryRun ? "would be" : "were"} updated
                {report.updated.length > 0
                  ? `: ${report.updated.map((update) => `${update.letterId} (${update.fields.join(", ")})`).join("; ")}`
                  : ""}
              </li>
              <li>{report.unchanged.length} unchanged</li>
            </ul>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-label="Letters changed">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Letter</th>
                    <th scope="col">Column</th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {report.problems.map((problem, index) => (
                    <tr key={index} data-testid="import-problem">
                      <td>{problem.row ?? "—"}</td>
                      <td>{problem.letterId ?? "—"}</td>
                      <td>{problem.column}</td>
                      <td>{problem.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {moreProblemsLine(report) ? <p data-testid="import-more-problems">{moreProblemsLine(report)}.</p> : null}
            </div>
          )}
        </section>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
