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

/** APP_URL when set; otherwise what the request says it was sent to. */
export function expectedOrigin(appUrl: string | undefined, protocol: string, host: string | undefined): string {
  return appUrl ?? `${protocol}://${host ?? "localhost"}`;
}
