import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PACKAGE_LICENSE, packageResources, PACKAGE_ZIP } from "~/domain/data-package";
import { env } from "~/env.server";
import { requireUser } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Bulk data · Oversight Letter Tracker" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "letters:read");
  // The dictionary is the package's own definition: showing it builds nothing.
  return { resources: packageResources(env.DEFAULT_RESPONSE_DAYS), license: PACKAGE_LICENSE, zip: PACKAGE_ZIP };
}

export default function BulkData() {
  const { resources, license, zip } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Bulk data</h1>
      <p>
        The whole public dataset as a{" "}
        <a href="https://specs.frictionlessdata.io/data-package/">Frictionless Data Package</a>: one CSV file per table,
        described with its fields, types and keys in <code>datapackage.json</code>, with this data dictionary as its{" "}
        <code>README.md</code>. It is made when first asked for after a change, so the first download after an edit may
        take a moment; statuses are those of the day it was made.
      </p>
      <p>
        <a href={`/data/${zip}`} download data-testid="package-zip">
          Download the package (zip)
        </a>{" "}
        · <a href="/data/datapackage.json">datapackage.json</a> · <a href="/data/README.md">README.md</a>
      </p>
      <p>
        Licence: <a href={license.path}>{license.title}</a>. Not included: staff-only notes, the history of changes and
        who made them, user accounts, documents&apos; files.
      </p>
      <h2>Data dictionary</h2>
      {resources.map((resource) => (
        <section key={resource.name} aria-labelledby={`resource-${resource.name}`}>
          <h3 id={`resource-${resource.name}`}>
            <a href={`/data/${resource.name}.csv`} download>{`${resource.name}.csv`}</a>: {resource.title}
          </h3>
          <p>{resource.description}</p>
          <p className="small">
            Primary key: {resource.primaryKey.join(", ")}
            {resource.foreignKeys.map((key) => `; ${key.fields.join(", ")} → ${key.reference.resource}.${key.reference.fields.join(", ")}`).join("")}
          </p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={`Fields of ${resource.name}.csv`}>
            <table className="compact">
              <caption className="visually-hidden">{`Fields of ${resource.name}.csv`}</caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Type</th>
                  <th scope="col">Required</th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody>
                {resource.fields.map((field) => (
                  <tr key={field.name}>
                    <th scope="row">
                      <code>{field.name}</code>
                    </th>
                    <td>{field.constraints?.enum ? `${field.type}: ${field.constraints.enum.join(", ")}` : field.type}</td>
                    <td>{field.constraints?.required ? "yes" : "no"}</td>
                    <td>{field.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
