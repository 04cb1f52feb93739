import { Link } from "@remix-run/react";
export function CommunityBadges({ joinPolicy, visibility }: { joinPolicy: "open" | "approval"; visibility: "public" | "private" }) {
  return (
    <>
      <span className="badge">{joinPolicy === "open" ? "Open to join" : "Join by approval"}</span>
      {visibility === "private" ? <span className="badge warn">Private</span> : null}
    </>
  );
}

const LEVEL_LABELS: Record<string, string> = {
  user: "User",
  member: "Member",
  contributor: "Contributor",
  connector: "Connector",
  anchor: "Anchor partner",
};

/** An organisation's engagement level, linked to what the levels mean (the glossary on /principles). */
export function LevelBadge({ level }: { level: string }) {
  return (
    <Link to="/principles#engagement-levels" className={`badge level-${level}`}>
      {LEVEL_LABELS[level] ?? level}
    </Link>
  );
}
