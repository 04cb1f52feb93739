import type { LoaderFunctionArgs } from "@remix-run/node";
import contentDisposition from "content-disposition";
import { requireUser } from "~/auth/permissions.server";
import { openReceipt } from "~/models/payment-claims.server";

// A receipt, for its claimant and the claim's approvers only, always as a download
// (Content-Disposition: attachment, never shown inline in Convene's origin), never cached,
// and each download written to the claim's audit log, which the claimant sees.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context);
  const receipt = await openReceipt(viewer, params.id ?? "", params.receiptId ?? "");
  if (!receipt) throw new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(receipt.bytes), {
    headers: {
      "Content-Type": receipt.contentType,
      "Content-Disposition": contentDisposition(receipt.filename, { type: "attachment" }),
      "Content-Length": String(receipt.bytes.length),
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
