import { and, desc, eq } from "drizzle-orm";
import { db, schema } from "../utils/db.server";
import { renderMarkdown } from "../utils/markdown.server";
import type { Outcome } from "../utils/outcome";
import { organisationsAdministeredBy } from "./orgs.server";

// The shared principles: versioned text that people sign for themselves and org admins
// sign for their organisations. One signature per signer per version (primary keys).

export async function currentPrinciples() {
  const [v] = await db.select().from(schema.principlesVersions).orderBy(desc(schema.principlesVersions.version)).limit(1);
  return v ?? null;
}

export async function principlesPage(actor: { id: string } | null) {
  const current = await currentPrinciples();
  if (!current) return null;
  const mySignature = actor
    ? ((
        await db
          .select()
          .from(schema.principleSignatures)
          .where(and(eq(schema.principleSignatures.userId, actor.id), eq(schema.principleSignatures.version, current.version)))
      )[0] ?? null)
    : null;
  const administered = actor ? await organisationsAdministeredBy(actor.id) : [];
  const orgSignatures = administered.length
    ? await db.select().from(schema.organisationSignatures).where(eq(schema.organisationSignatures.version, current.version))
    : [];
  const signedOrgs = await db
    .select({ name: schema.organisations.name, slug: schema.organisations.slug, signedAt: schema.organisationSignatures.signedAt })
    .from(schema.organisationSignatures)
    .innerJoin(schema.organisations, eq(schema.organisations.id, schema.organisationSignatures.organisationId))
    .where(eq(schema.organisationSignatures.version, current.version))
    .orderBy(schema.organisations.name);
  return {
    version: current.version,
    title: current.title,
    html: renderMarkdown(current.body),
    publishedAt: current.publishedAt,
    mySignature,
    myOrganisations: administered.map((o) => ({
      slug: o.slug,
      name: o.name,
      signedAt: orgSignatures.find((s) => s.organisationId === o.id)?.signedAt ?? null,
    })),
    signedOrgs,
  };
}

export type SignResult = Outcome;

async function checkVersion(version: number) {
  const current = await currentPrinciples();
  if (!current || current.version !== version) {
    return {
      ok: false as const,
      status: 400 as const,
      message: "The principles have changed since you opened the page. Please read the current version and sign again.",
    };
  }
  return null;
}

/** Signs as oneself. Signing the same version again keeps the first signature. */
export async function signPrinciples(actor: { id: string }, version: number): Promise<SignResult> {
  const stale = await checkVersion(version);
  if (stale) return stale;
  const inserted = await db.insert(schema.principleSignatures).values({ userId: actor.id, version }).onConflictDoNothing().returning();
  return { ok: true, message: inserted.length ? "Thank you for signing the shared principles." : "You had already signed this version." };
}

/** An org admin signs for the organisation: version, time and person are kept. */
export async function signPrinciplesForOrganisation(actor: { id: string }, orgSlug: string, version: number): Promise<SignResult> {
  const stale = await checkVersion(version);
  if (stale) return stale;
  const org = (await organisationsAdministeredBy(actor.id)).find((o) => o.slug === orgSlug);
  if (!org) return { ok: false, status: 403, message: "Only an admin of that organisation can sign for it." };
  const inserted = await db
    .insert(schema.organisationSignatures)
    .values({ organisationId: org.id, version, signedBy: actor.id })
    .onConflictDoNothing()
    .returning();
  return { ok: true, message: inserted.length ? `${org.name} has signed the shared principles.` : `${org.name} had already signed this version.` };
}
