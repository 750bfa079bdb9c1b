/**
 * The live address printed at the top of a page (app/root.tsx): the site's public address and the
 * page's path and query, without the query's secrets. A signed link (the manage, unsubscribe,
 * confirm and reminder pages' `token`) on paper would let whoever holds the printout manage or stop
 * that address's alerts; the page still names itself by its path.
 */
const SECRET_PARAMETERS = ["token"];

export function printedAddress(publicUrl: string, pathname: string, search: string): string {
  const params = new URLSearchParams(search);
  for (const name of SECRET_PARAMETERS) params.delete(name);
  const query = params.toString();
  return `${publicUrl}${pathname}${query ? `?${query}` : ""}`;
}
