import { z } from "zod";
import { markdownProblem } from "./markdown.server";
import { FIELDS_MESSAGE, refuse } from "./outcome";

/** What a route's action parses, exported by the route as `actionForms` for the fuzz sweep. */
export type ActionForms = readonly z.ZodType[];

export type FieldErrors = Partial<Record<string, string>>;
/**
 * A parsed form: its data, or a refusal in the outcome vocabulary (400, each field's
 * message in `fieldErrors`), so a route ends a bad form as it ends any refusal:
 * `if (!form.ok) return respond(request, form, here, { values: form.values })`.
 */
export type FormResult<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; status: 400; message: string; fieldErrors: FieldErrors; errors: FieldErrors; values: Record<string, string> };

/**
 * Reads a form body without ever throwing: a malformed body is an empty form. NUL
 * characters are dropped (PostgreSQL text cannot hold them, and no one types them).
 */
export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return new FormData();
  }
  const clean = new FormData();
  for (const [key, value] of form.entries()) clean.append(key.replace(/\0/g, ""), typeof value === "string" ? value.replace(/\0/g, "") : value);
  return clean;
}

const SECRET_FIELDS = /password/i;

/**
 * Validates a form with zod. Field errors come back keyed by field, with what was typed
 * (never passwords) so the form can be shown again as it was.
 */
export async function parseForm<S extends z.ZodType>(request: Request | FormData, schema: S): Promise<FormResult<z.infer<S>>> {
  const form = request instanceof FormData ? request : await readForm(request);
  const raw: Record<string, string | string[]> = {};
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const existing = raw[key];
    raw[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    if (!SECRET_FIELDS.test(key)) values[key] = value.slice(0, 5000);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "form");
    // A form's buttons name its action (intent); anything else came from elsewhere.
    const unknownAction = issue.code === "invalid_union" && "discriminator" in issue;
    errors[key] ??= unknownAction ? "That is not something this page can do. Please use its buttons and try again." : issue.message;
  }
  return { ok: false, status: 400, message: FIELDS_MESSAGE, fieldErrors: errors, errors, values };
}

// Reusable field rules, with messages a person can act on.
export const fields = {
  email: z
    .string({ error: "Enter your email address" })
    .trim()
    .min(1, "Enter your email address")
    .max(254, "That email address is too long")
    .pipe(z.email({ error: "Enter an email address like name@example.org" }))
    .transform((e) => e.toLowerCase()),
  name: z.string({ error: "Enter your name" }).trim().min(1, "Enter your name").max(100, "Names can be at most 100 characters"),
  newPassword: z.string({ error: "Choose a password" }).min(10, "Use at least 10 characters").max(200, "Use at most 200 characters"),
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(200, "That password is too long"),
  /** Markdown written by people: bounded in length, and refused when nested too deep to render. */
  markdown: (max: number, tooLong = `That is too long (${max.toLocaleString("en-GB")} characters at most)`) =>
    z
      .string()
      .trim()
      .max(max, tooLong)
      .superRefine((v, ctx) => {
        const problem = markdownProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
  /** A repeated field (checkboxes): at most `max` values of at most 200 characters each. */
  list: (max = 50) =>
    z
      .union([z.string().max(200, "That value is too long"), z.array(z.string().max(200, "That value is too long")).max(max, `Choose at most ${max}`)])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
};

/**
 * A bad form as one message above it, for forms whose fields are buttons' hidden values
 * (a task's work panel, a thread's actions): the first field's message says what is wrong
 * where "the fields marked below" would point at nothing. Field messages are kept too.
 */
export const oneMessage = (form: Extract<FormResult<unknown>, { ok: false }>) =>
  refuse(400, Object.values(form.fieldErrors)[0] ?? FIELDS_MESSAGE, { fieldErrors: form.fieldErrors });
