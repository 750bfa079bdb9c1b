/**
 * Where to send someone after signing in: only a path on this site. Anything that a browser could
 * read as another origin ("//evil", "/\\evil", "https:evil", "javascript:") falls back. The result
 * is ASCII, fit for a Location header.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2000) return fallback;
  let decoded = to;
  try {
    // Browsers undo percent-encoding in some places ("/%5Cevil"); judge the decoded form too.
    decoded = decodeURIComponent(to);
  } catch {
    return fallback;
  }
  for (const candidate of [to, decoded]) {
    if (!candidate.startsWith("/")) return fallback;
    if (candidate.startsWith("//") || candidate.startsWith("/\\")) return fallback;
    // Control characters and whitespace can be stripped by browsers to form "//".
    if (/[\u0000-\u001f\u007f\s\\]/.test(candidate)) return fallback;
  }
  try {
    const url = new URL(to, "http://this.site");
    if (url.origin !== "http://this.site") return fallback;
    // As the URL parser writes it: percent-encoded ASCII, so it fits in a Location header
    // ("/\uFF0Fx" would otherwise make the redirect itself fail).
    const target = `${url.pathname}${url.search}${url.hash}`;
    return target.startsWith("//") || /[^\x21-\x7e]/.test(target) ? fallback : target;
  } catch {
    return fallback;
  }
}
