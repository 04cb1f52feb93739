import { createContext, type ReactNode, useContext } from "react";

// The Content-Security-Policy nonce of the document being rendered: entry.server makes one
// per response and passes it to Remix's inline scripts. In the browser it is "" (browsers
// hide nonces from the DOM, and scripts added later come from our own origin).
const NonceContext = createContext("");

export const NonceProvider = ({ nonce, children }: { nonce: string; children: ReactNode }) => (
  <NonceContext.Provider value={nonce}>{children}</NonceContext.Provider>
);

export const useNonce = () => useContext(NonceContext);

/** The policy for a document whose inline scripts carry `nonce`. */
export function contentSecurityPolicy(nonce: string) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // React's style={{…}} props are inline style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    // Socket.io: same-origin WebSocket and long-polling.
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
