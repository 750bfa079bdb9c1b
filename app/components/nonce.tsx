/**
 * The Content-Security-Policy nonce of the current response, for the few inline scripts Remix
 * writes (<Scripts>, <ScrollRestoration>). Set on the server in entry.server.tsx; browsers hide
 * nonces from the page, so on the client it is empty and React leaves the attribute alone.
 */
import { createContext, useContext } from "react";

export const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
