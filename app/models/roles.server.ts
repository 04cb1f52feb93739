import { and, asc, eq, ilike, inArray, or } from "drizzle-orm";
import { PLATFORM_ROLES, type PlatformRole } from "../../db/schema";
import { ADMINS_ONLY, isAdmin, rolesOf } from "../auth/permissions.server";
import { publish } from "../utils/bus.server";
import { db, schema } from "../utils/db.server";
import type { Outcome } from "../utils/outcome";

// Platform roles (organiser, admin), granted and removed by admins.

/** People by name or address, for the admin page; null for anyone but an admin. */
export async function findPeople(actorId: string, query: string, limit = 50) {
  if (!(await isAdmin(actorId))) return null;
  const q = query.trim().slice(0, 100);
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const people = await db
    .select({
      id: schema.users.id,
      name: schema.users.name,
      email: schema.users.email,
      emailVerifiedAt: schema.users.emailVerifiedAt,
      createdAt: schema.users.createdAt,
    })
    .from(schema.users)
    .where(q ? or(ilike(schema.users.name, pattern), ilike(schema.users.email, pattern)) : undefined)
    .orderBy(asc(schema.users.name))
    .limit(limit);
  const roles = people.length
    ? await db
        .select()
        .from(schema.userRoles)
        .where(
          inArray(
            schema.userRoles.userId,
            people.map((p) => p.id),
          ),
        )
    : [];
  return people.map((p) => ({ ...p, roles: roles.filter((r) => r.userId === p.id).map((r) => r.role) }));
}

export type RoleChange = Outcome;

export async function setRole(actorId: string, targetId: string, role: string, grant: boolean): Promise<RoleChange> {
  if (!(await isAdmin(actorId))) return ADMINS_ONLY;
  if (!PLATFORM_ROLES.includes(role as PlatformRole)) return { ok: false, status: 400, message: "Unknown role" };
  const [target] = await db.select().from(schema.users).where(eq(schema.users.id, targetId)).limit(1);
  if (!target) return { ok: false, status: 404, message: "That person no longer exists" };
  if (!grant && role === "admin" && actorId === targetId) {
    return { ok: false, status: 400, message: "You cannot remove your own admin role: ask another admin." };
  }
  if (grant) {
    await db
      .insert(schema.userRoles)
      .values({ userId: targetId, role: role as PlatformRole, grantedBy: actorId })
      .onConflictDoNothing();
  } else {
    await db.delete(schema.userRoles).where(and(eq(schema.userRoles.userId, targetId), eq(schema.userRoles.role, role as PlatformRole)));
  }
  publish("user.roles_changed", { userId: targetId, roles: await rolesOf(targetId) });
  return { ok: true, message: `${target.name} ${grant ? "is now" : "is no longer"} ${role === "admin" ? "an admin" : "an organiser"}.` };
}
