import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { requireUser } from "~/auth/permissions.server";
import { FormError, SelectField } from "~/components/forms";
import { ReceiptForm } from "~/forms/payments.server";
import { addReceipt, claimPage, RECEIPT_MAX_BYTES } from "~/models/payment-claims.server";
import { EXPENSE_WORDS } from "~/models/payment-words";
import type { ActionForms } from "~/utils/forms.server";
import { parseForm } from "~/utils/forms.server";
import { FIELDS_MESSAGE, refuse } from "~/utils/outcome";
import { respond } from "~/utils/results.server";

// Adding a receipt to one's own claim: a photo or a PDF of at most 5 MB, checked by its
// content (app/models/payment-claims.server.ts). This route alone accepts a body that big
// (app/utils/http-guards.server.ts); the upload parser stops reading at 5 MB and its size
// error becomes the field's message.

export const actionForms: ActionForms = [ReceiptForm];

export const meta: MetaFunction = () => [{ title: "Add a receipt · Convene" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const page = await claimPage(viewer, params.id ?? "");
  if (!page) throw new Response("Not found", { status: 404 });
  if (!page.can.addReceipt) throw new Response("Receipts can be added by the claimant while the claim waits for approval.", { status: 403 });
  return { id: page.claim.id, eventTitle: page.claim.eventTitle, kinds: page.expenses.map((x) => [x.kind, EXPENSE_WORDS[x.kind]] as const) };
}

const TOO_BIG = "That file is over 5 MB: please send a smaller photo or PDF";

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireUser(context);
  const id = params.id ?? "";
  const here = `/claims/${id}/receipt`;
  let fd: FormData;
  try {
    fd = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: RECEIPT_MAX_BYTES }));
  } catch (err) {
    const tooBig = err instanceof Error && /exceeded upload size|MaxPartSize/i.test(`${err.name} ${err.message}`);
    return respond(request, refuse(400, FIELDS_MESSAGE, { fieldErrors: { receipt: tooBig ? TOO_BIG : "Choose a photo or PDF of the receipt" } }), here);
  }
  const form = await parseForm(fd, ReceiptForm);
  if (!form.ok) return respond(request, form, here);
  const file = fd.get("receipt");
  const upload = file && typeof file !== "string" ? { name: file.name, bytes: Buffer.from(await file.arrayBuffer()) } : null;
  return respond(request, await addReceipt(viewer, id, upload, form.data.kind), `/claims/${id}`);
}

export default function AddReceipt() {
  const { id, eventTitle, kinds } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const [tooBig, setTooBig] = useState(false);
  const errors: Partial<Record<string, string>> = { ...(refused && "errors" in refused ? refused.errors : {}), ...(tooBig ? { receipt: TOO_BIG } : {}) };
  return (
    <div className="narrow">
      <p>
        <Link to={`/claims/${id}`}>Your claim for “{eventTitle}”</Link>
      </p>
      <h1>Add a receipt</h1>
      <p className="lede">A photo or a PDF of a receipt or ticket, up to 5 MB. Only you and this claim's approvers can open it.</p>
      <FormError message={refused && "formError" in refused ? refused.formError : null} errors={errors} />
      <Form method="post" encType="multipart/form-data" className="stack" noValidate>
        <div className={errors.receipt ? "field field-invalid" : "field"}>
          <label htmlFor="field-receipt">The receipt</label>
          <span className="hint" id="field-receipt-hint">
            JPEG, PNG, WebP or HEIC photos, or a PDF
          </span>
          {errors.receipt ? (
            <span className="field-error" id="field-receipt-error">
              {errors.receipt}
            </span>
          ) : null}
          <input
            id="field-receipt"
            name="receipt"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf"
            aria-invalid={errors.receipt ? true : undefined}
            aria-describedby={errors.receipt ? "field-receipt-hint field-receipt-error" : "field-receipt-hint"}
            onChange={(e) => setTooBig((e.currentTarget.files?.[0]?.size ?? 0) > RECEIPT_LIMIT_IN_BROWSER)}
          />
        </div>
        {kinds.length ? (
          <SelectField name="kind" label="Which cost it is for (optional)" options={[["", "Not saying"] as const, ...kinds]} error={errors.kind} />
        ) : null}
        <div className="actions">
          <button type="submit" className="button" disabled={tooBig}>
            Add the receipt
          </button>
        </div>
      </Form>
    </div>
  );
}

/** The same 5 MB, checked in the browser before a too-big file is sent at all. */
const RECEIPT_LIMIT_IN_BROWSER = 5 * 1024 * 1024;
