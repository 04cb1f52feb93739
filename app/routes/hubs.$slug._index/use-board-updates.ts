import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useLiveBoard } from "~/realtime/client";

/** Claims, status changes and new tasks from anyone: announced politely, and the board's data reloaded. */
export function useBoardUpdates(hubSlug: string) {
  const revalidator = useRevalidator();
  const [news, setNews] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { present } = useLiveBoard(hubSlug, (change) => {
    setNews(change.summary);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => revalidator.revalidate(), 200);
  });
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return { present, news };
}
