// CSRF defence: a request that changes something must come from our own pages. Browsers
// send Origin on every cross-origin and same-origin POST; we fall back to Referer, and
// refuse requests that carry neither (https://owasp.org/www-community/attacks/csrf).

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(value: string | undefined | null): string | null {
  if (!value || value === "null") return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

export function isSafeMethod(method: string) {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** True when the request's Origin (or, lacking it, Referer) is the app's own origin. */
export function comesFromOrigin(headers: { origin?: string | null; referer?: string | null }, expectedOrigin: string): boolean {
  const origin = originOf(headers.origin) ?? (headers.origin ? null : originOf(headers.referer));
  return origin !== null && origin === expectedOrigin;
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * The public origin: APP_URL when set (production refuses to start without it). Without
 * it (development), a request's own Host is believed only when it is a loopback name, so
 * a forged `Host: evil.example` can never reach an emailed link; any other Host gets
 * `http://localhost:<port>`.
 */
export function expectedOrigin(appUrl: string | undefined, protocol: string, host: string | undefined, port: number | string = 3000): string {
  if (appUrl) return appUrl;
  if (host && LOOPBACK_HOST.test(host)) return `${protocol === "https" ? "https" : "http"}://${host.toLowerCase()}`;
  return `http://localhost:${port}`;
}

/** Is this TCP peer this machine itself (IPv4, IPv6, or IPv4 mapped into IPv6)? */
export const isLoopbackPeer = (address: string | undefined) => address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
