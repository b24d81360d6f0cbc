/**
 * The Content-Security-Policy nonce of the page being rendered, for the
 * inline scripts Remix writes (<Scripts>, <ScrollRestoration>). The server
 * provides it; in the browser it is empty, because scripts added after
 * hydration are files, which the policy allows without one.
 */
import { createContext, useContext } from "react";

export const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
