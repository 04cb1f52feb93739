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

export function LevelBadge({ level }: { level: string }) {
  return (
    <span className={`badge level-${level}`} title="Engagement level">
      {LEVEL_LABELS[level] ?? level}
    </span>
  );
}
