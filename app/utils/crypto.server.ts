import { createHash, randomBytes, randomUUID } from "node:crypto";

/** A random, URL-safe secret with 256 bits of entropy (tokens in cookies and emailed links). */
export const newToken = () => randomBytes(32).toString("base64url");

export const sha256hex = (value: string) => createHash("sha256").update(value).digest("hex");

export const newId = () => randomUUID();

/** Could this be one of our emailed tokens (newToken's shape, give or take)? Anything else is refused before a query. */
export const looksLikeToken = (t: unknown): t is string => typeof t === "string" && /^[A-Za-z0-9_-]{20,100}$/.test(t);
