// Re-seals bank details and receipts under the current payment key (the first in
// PAYMENT_KEYS) after a new key is introduced: put the new key first, keep the old one after
// it, deploy, run this, then remove the old key. PostgreSQL only: the embedded database is
// re-sealed by the server itself at start. Safe to run while the app runs (row by row, each
// under its row lock) and to run again (values already under the current key are skipped).
import { resealAll } from "../app/models/payment-claims.server";
import { connectDatabase, dbHandle } from "../app/utils/db.server";
import { sealingAvailable } from "../app/utils/sealed.server";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("payments:reseal: DATABASE_URL is not set. The embedded database is re-sealed by the server at start.");
  process.exit(2);
}
if (!sealingAvailable()) {
  console.error("payments:reseal: PAYMENT_KEYS is not set.");
  process.exit(2);
}
try {
  await connectDatabase({ kind: "postgres", url });
  const n = await resealAll();
  console.log(`payments:reseal: re-sealed ${n.bankDetails} bank details and ${n.receipts} receipts`);
  await dbHandle().close();
} catch (err) {
  console.error(`payments:reseal: failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
