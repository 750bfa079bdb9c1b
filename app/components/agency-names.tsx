import type { AgencyRef } from "~/models/letters.server";

/** Agencies by acronym where there is one, with the full name on hover and for screen readers. */
export function AgencyNames({ agencies }: { agencies: AgencyRef[] }) {
  return (
    <>
      {agencies.map((agency, index) => (
        <span key={agency.slug}>
          {index > 0 ? ", " : null}
          {agency.acronym ? <abbr title={agency.name}>{agency.acronym}</abbr> : agency.name}
        </span>
      ))}
    </>
  );
}
