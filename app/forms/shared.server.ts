import { z } from "zod";
import { fields } from "../utils/forms.server";

// Pieces several areas' forms share.

export const list = fields.list();

export const optionalText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} can be at most ${max} characters`)
    .optional()
    .transform((v) => v?.trim() || null);

/** A web address part: lower-case letters, digits and hyphens. */
export const slugField = z
  .string({ error: "Choose a web address" })
  .trim()
  .toLowerCase()
  .min(3, "Use at least 3 characters")
  .max(60, "Use at most 60 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, numbers and single hyphens, like local-food-data")
  .refine((s) => !["new", "invitations"].includes(s), "That web address is reserved");

/** Comma-separated words (tags, focus areas): trimmed, lower-case, each once, at most `most`. */
export const commaList = (maxChars: number, message: string, most: number) =>
  z
    .string()
    .max(maxChars, message)
    .optional()
    .transform((v) =>
      Array.from(
        new Set(
          (v ?? "")
            .split(",")
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean),
        ),
      ).slice(0, most),
    );

/** An optional web address: http(s) only, at most `max` characters; empty is null. */
export const httpsUrl = (label: string, max = 500) =>
  z
    .string()
    .trim()
    .max(max, `${label} is too long`)
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || /^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(v), `Enter ${label.toLowerCase()} starting with https://`);
