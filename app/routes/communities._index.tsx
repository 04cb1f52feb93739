import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CommunityBadges } from "~/components/badges";
import { listCommunities } from "~/models/communities.server";

export const meta: MetaFunction = () => [{ title: "Communities of practice · Convene" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const communities = await listCommunities(context.auth.user);
  return {
    communities: communities.map((c) => ({
      slug: c.slug,
      name: c.name,
      summary: c.summary,
      joinPolicy: c.joinPolicy,
      visibility: c.visibility,
      memberCount: c.memberCount,
      myStatus: c.myStatus,
      myRole: c.myRole,
    })),
  };
}

export default function Communities() {
  const { communities } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Communities of practice</h1>
      <p className="lede">Groups of people working on the same questions. Join one to talk with its members and hear about its events.</p>
      {communities.length === 0 ? (
        <p>There are no communities yet.</p>
      ) : (
        <ul className="cards">
          {communities.map((c) => (
            <li key={c.slug}>
              <h2>
                <Link to={`/communities/${c.slug}`}>{c.name}</Link>
              </h2>
              <p>{c.summary}</p>
              <p>
                <CommunityBadges joinPolicy={c.joinPolicy} visibility={c.visibility} />
                {c.myStatus === "active" ? <span className="badge">{c.myRole === "facilitator" ? "You facilitate" : "You are a member"}</span> : null}
                {c.myStatus === "pending" ? <span className="badge warn">Request pending</span> : null}
              </p>
              <p className="muted">
                {c.memberCount} member{c.memberCount === 1 ? "" : "s"}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
