import { createHash, randomBytes, randomUUID } from "node:crypto";

/** A random, URL-safe secret with 256 bits of entropy (tokens in cookies and emailed links). */
export const newToken = () => randomBytes(32).toString("base64url");

export const sha256hex = (value: string) => createHash("sha256").update(value).digest("hex");

export const newId = () => randomUUID();
