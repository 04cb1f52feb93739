import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env, isProduction } from "./env.server";

// Sealing: the one place Convene encrypts (bank details and receipts, the most sensitive
// data it holds). AES-256-GCM with a random 12-byte IV per value and the value's place — its
// table, column and row id — as associated data, so a sealed value copied into another row
// or column does not open. A sealed value is
//   [1: version 1][1: key id length][key id][12: IV][16: tag][ciphertext]
// so each value names the key that sealed it: a new key goes first in PAYMENT_KEYS, old ones
// stay after it until `resealAll` (app/models/payment-claims.server.ts) has re-sealed
// everything under the new one.

export class SealError extends Error {
  name = "SealError";
}

type Key = { id: string; key: Buffer };

// Outside production, with no PAYMENT_KEYS, a fixed development key seals the demo data
// (and may still open it once real keys are set outside production). Production never
// knows it: there, data sealed with it does not open.
const DEV_KEY: Key = { id: "dev", key: createHash("sha256").update("convene development payment key — not secret").digest() };

/** The development key as PAYMENT_KEYS would name it (tests put it back first after a rotation). */
export const developmentKeyEntry = () => `${DEV_KEY.id}:${DEV_KEY.key.toString("base64")}`;

let cachedKeys: Key[] | null | undefined;

function keys(): Key[] | null {
  if (cachedKeys !== undefined) return cachedKeys;
  const raw = env().PAYMENT_KEYS;
  const configured: Key[] = raw
    ? raw.split(",").map((part) => {
        const [id, b64] = part.trim().split(":");
        const key = Buffer.from(b64, "base64");
        if (key.length !== 32) throw new SealError(`PAYMENT_KEYS: key "${id}" is not 32 bytes`);
        return { id, key };
      })
    : [];
  if (isProduction()) cachedKeys = configured.length ? configured : null;
  else cachedKeys = configured.length ? [...configured, ...(configured.some((k) => k.id === DEV_KEY.id) ? [] : [DEV_KEY])] : [DEV_KEY];
  return cachedKeys;
}

/** For tests that change PAYMENT_KEYS. */
export function resetSealKeys() {
  cachedKeys = undefined;
}

/** Can this server seal and open payment data? (Production needs PAYMENT_KEYS.) */
export const sealingAvailable = () => keys() !== null;

/** The id of the key new values are sealed with. */
export function currentKeyId(): string {
  const k = keys();
  if (!k) throw new SealError("Payment claims are switched off: this server has no PAYMENT_KEYS.");
  return k[0].id;
}

/** Where a sealed value lives: it only opens there. */
export type Place = { table: string; column: string; rowId: string };
const aad = (p: Place) => Buffer.from(`${p.table}.${p.column}:${p.rowId}`, "utf8");

export function seal(plain: Buffer | string, place: Place): Buffer {
  const k = keys();
  if (!k) throw new SealError("Payment claims are switched off: this server has no PAYMENT_KEYS.");
  const { id, key } = k[0];
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad(place));
  const body = Buffer.concat([cipher.update(typeof plain === "string" ? Buffer.from(plain, "utf8") : plain), cipher.final()]);
  const idBytes = Buffer.from(id, "utf8");
  return Buffer.concat([Buffer.from([1, idBytes.length]), idBytes, iv, cipher.getAuthTag(), body]);
}

/** The key id a sealed value names. */
export function sealedKeyId(sealed: Buffer): string {
  if (sealed.length < 2 || sealed[0] !== 1) throw new SealError("Not a sealed value (unknown version).");
  return sealed.subarray(2, 2 + sealed[1]).toString("utf8");
}

/** Opens a sealed value, or throws SealError: unknown key, wrong key, wrong place or tampered bytes all fail loudly. */
export function unseal(sealed: Buffer, place: Place): Buffer {
  const id = sealedKeyId(sealed);
  const k = keys()?.find((x) => x.id === id);
  if (!k) throw new SealError(`This value was sealed with key "${id}", which this server does not have.`);
  const start = 2 + sealed[1];
  const iv = sealed.subarray(start, start + 12);
  const tag = sealed.subarray(start + 12, start + 28);
  const body = sealed.subarray(start + 28);
  try {
    const decipher = createDecipheriv("aes-256-gcm", k.key, iv);
    decipher.setAAD(aad(place));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new SealError(`A sealed value in ${place.table}.${place.column} did not open with key "${id}": wrong key, wrong place, or altered.`);
  }
}

export const unsealText = (sealed: Buffer, place: Place) => unseal(sealed, place).toString("utf8");
