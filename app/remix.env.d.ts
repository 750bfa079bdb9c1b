/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
import "@remix-run/node";

// Loaders return plain objects under single fetch; this makes useLoaderData types match.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
