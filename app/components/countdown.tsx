import { useEffect, useState } from "react";

function describe(ms: number) {
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const parts =
    days >= 2
      ? `${days} days`
      : days === 1
        ? `1 day, ${hours} hour${hours === 1 ? "" : "s"}`
        : hours
          ? `${hours} hour${hours === 1 ? "" : "s"}, ${minutes} min`
          : `${minutes} minutes`;
  return ms >= 0 ? `${parts} to go` : `${parts} ago`;
}

/**
 * Time left until the moment. Rendered on the server from its clock, then kept current
 * each minute. Deliberately not a live region: a ticking announcement would be noise.
 */
export function Countdown({ at, serverNow }: { at: string; serverNow: string }) {
  const target = new Date(at).getTime();
  const [now, setNow] = useState(() => new Date(serverNow).getTime());
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return <span className="countdown">{describe(target - now)}</span>;
}
