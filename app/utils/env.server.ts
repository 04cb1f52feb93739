import { z } from "zod";

// Every variable the app reads, checked once. The README's table lists the same ones.
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("localhost"),
  APP_URL: z
    .string()
    .url()
    .optional()
    .transform((v) => (v ? new URL(v).origin : undefined)),
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  SEED_DEMO: z.enum(["0", "1"]).optional(),
  SESSION_SECRET: z.string().min(16).optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default("Convene <no-reply@convene.example>"),
  // The ORGANIZER of emailed calendar invitations: a mailbox on the sending domain (never
  // an organiser's own, private address). Defaults to MAIL_FROM's address.
  CALENDAR_ORGANIZER: z
    .string()
    .trim()
    .max(254)
    .regex(/^[^\s@<>"]+@[^\s@<>"]+$/, "an address such as events@convene.example")
    .optional(),
  // Where people ask for another format or report an accessibility problem (/accessibility).
  ACCESSIBILITY_CONTACT: z
    .string()
    .trim()
    .max(254)
    .regex(/^[^\s@<>"]+@[^\s@<>"]+$/, "an address such as access@convene.example")
    .default("access@convene.example"),
  EMAIL_POLL_MS: z.coerce.number().int().min(50).default(1000),
  SCHEDULER_TICK_MS: z.coerce.number().int().min(100).default(30_000),
  TRUST_PROXY: z.string().optional(),
  ARGON2_PROFILE: z.enum(["production", "test"]).default("production"),
  PAGE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  LOG_LEVEL: z.enum(["silent", "info", "debug"]).default("info"),
  DEV_MAIL_OPEN: z.enum(["0", "1"]).optional(),
  /** Where people are sent for independent advice about payments and benefits (the payment choice page). */
  PAYMENT_ADVICE_URL: z
    .string()
    .trim()
    .regex(/^https:\/\/\S+$/, "an https:// address")
    .default("https://www.citizensadvice.org.uk/benefits/"),
  /**
   * Keys that seal bank details and receipts (AES-256-GCM): `id:base64` pairs, comma-separated,
   * each key exactly 32 bytes; the first seals, all of them open (so a new key can be put first
   * and old data re-sealed). Without it in production, payment claims are switched off.
   */
  PAYMENT_KEYS: z
    .string()
    .trim()
    .optional()
    .superRefine((v, ctx) => {
      if (!v) return;
      for (const part of v.split(",")) {
        const m = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/_-]+={0,2})$/.exec(part.trim());
        if (!m) ctx.addIssue({ code: "custom", message: "each key as id:base64, comma-separated" });
        else if (Buffer.from(m[2], "base64").length !== 32)
          ctx.addIssue({ code: "custom", message: `key "${m[1]}" must be exactly 32 bytes (openssl rand -base64 32)` });
      }
    }),
  /** Claims of more than this many pence need two different approvers. */
  PAYMENT_TWO_APPROVER_PENCE: z.coerce.number().int().min(0).max(10_000_000).default(10_000),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${issues}`);
  }
  // Production needs its public origin (every emailed link and the Origin check use it)
  // and a shared secret: refuse to start without them, one clear line each.
  if (parsed.data.NODE_ENV === "production" && !parsed.data.APP_URL) {
    throw new Error(
      "APP_URL must be set in production: the public origin people use, e.g. APP_URL=https://convene.example.org (emailed links and the Origin check use it).",
    );
  }
  if (parsed.data.NODE_ENV === "production" && !parsed.data.SESSION_SECRET) {
    throw new Error("SESSION_SECRET must be set in production: 16 or more random characters, the same in every process.");
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache() {
  cached = undefined;
}

export const isProduction = () => env().NODE_ENV === "production";

/** Mail is written to the log and /dev/mail instead of sent: never in production. */
export const devMailboxEnabled = () => !isProduction() && !env().RESEND_API_KEY;
