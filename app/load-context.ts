import type { RequestAuth } from "./auth/request-auth.server";

// What server.ts hands every loader and action (getLoadContext).
declare module "@remix-run/node" {
  interface AppLoadContext {
    auth: RequestAuth;
    clientIp: string;
    /** The public origin: APP_URL, or the request's own. */
    appUrl: string;
    requestPath: string;
    /** May this request read the development mailbox (see devMailboxEnabled)? */
    devMailAllowed: boolean;
  }
  interface Future {
    v3_singleFetch: true;
  }
}
