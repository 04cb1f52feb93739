import { env } from "./env.server";

// One line per happening, as JSON: `{"level":"error","area":"http","msg":"request failed",
// "error":{"name":"…","code":"23505","message":"…"}}`. It never receives request URLs,
// headers, bodies or query parameters, so tokens, passwords and whatever a visitor typed
// cannot reach the log. Errors pass through `describeError`, which keeps the kind of
// failure (its class, PostgreSQL code, first line) and drops the rest.
const level = () => {
  try {
    return env().LOG_LEVEL;
  } catch {
    return "info";
  }
};

export type LogFields = Record<string, string | number | boolean | null | undefined | ReturnType<typeof describeError>>;

/** What an error was, safe to log: no query parameters, no user input, one line. */
export function describeError(err: unknown): { name: string; code?: string; message: string } {
  if (err === null || err === undefined) return { name: "Unknown", message: String(err) };
  if (typeof err !== "object") return { name: typeof err, message: oneLine(String(err)) };
  const e = err as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown; status?: unknown; statusText?: unknown };
  // Remix's ErrorResponse (a 404 or 405 thrown by the router) is a plain object.
  if (typeof e.status === "number" && !(err instanceof Error)) {
    return { name: "ErrorResponse", code: String(e.status), message: oneLine(String(e.statusText ?? "")) };
  }
  const cause = e.cause && typeof e.cause === "object" ? (e.cause as { code?: unknown; message?: unknown; name?: unknown }) : null;
  const code = typeof e.code === "string" ? e.code : typeof cause?.code === "string" ? cause.code : undefined;
  let message = typeof e.message === "string" ? e.message : String(err);
  // Drizzle wraps driver errors as "Failed query: <sql>\nparams: <values>": the values are
  // what people typed. Keep the driver's own reason instead.
  if (message.startsWith("Failed query:")) {
    message = typeof cause?.message === "string" ? `query failed: ${cause.message}` : "query failed";
  }
  return { name: typeof e.name === "string" ? e.name : "Error", ...(code ? { code } : {}), message: oneLine(message) };
}

/**
 * One line, at most 300 characters, with long runs of digits (account and card numbers, as
 * an error's message might quote a value) and sort codes replaced: nothing a person gave
 * Convene as a number reaches the log even through an error that repeats it.
 */
function oneLine(s: string) {
  return s
    .replace(/[\r\n\t]+/g, " ")
    .replace(/\b\d{2}-\d{2}-\d{2}\b/g, "##-##-##")
    .replace(/\d{6,}/g, "######")
    .slice(0, 300);
}

function write(stream: "out" | "err", lvl: string, area: string, msg: string, fields?: LogFields) {
  const line = JSON.stringify({ t: new Date().toISOString(), level: lvl, area, msg: oneLine(msg), ...fields });
  if (stream === "err") console.error(line);
  else console.log(line);
}

export const log = {
  info: (area: string, msg: string, fields?: LogFields) => {
    if (level() !== "silent") write("out", "info", area, msg, fields);
  },
  error: (area: string, msg: string, fields?: LogFields) => {
    if (level() !== "silent") write("err", "error", area, msg, fields);
  },
  debug: (area: string, msg: string, fields?: LogFields) => {
    if (level() === "debug") write("out", "debug", area, msg, fields);
  },
};
