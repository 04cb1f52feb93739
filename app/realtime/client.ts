import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { attachLiveThread, type LiveThread } from "./live-thread";
import { type BoardChange, boardRoom, type ClientToServerEvents, type MessageView, type ServerToClientEvents } from "./protocol";

// The browser's one connection to Convene's Socket.io server, shared by every live part of
// a page. WebSocket first; long-polling only if WebSocket cannot connect.

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
let socket: AppSocket | null = null;

export function getSocket(): AppSocket | null {
  if (typeof window === "undefined") return null;
  socket ??= io({ transports: ["websocket", "polling"], withCredentials: true });
  return socket;
}

/**
 * Keeps messages ordered by number, one copy of each, its latest version (changes may
 * arrive out of order). Messages numbered below `floor` are not on the page (the earlier
 * ones not yet asked for): a change to one of them stays out.
 */
export function mergeMessages(current: MessageView[], incoming: MessageView[], floor = 0): MessageView[] {
  const bySeq = new Map(current.map((m) => [m.seq, m]));
  for (const m of incoming) {
    if (m.seq < floor) continue;
    const had = bySeq.get(m.seq);
    if (!had || m.changeNo >= had.changeNo) bySeq.set(m.seq, m);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * A thread kept live: joins its room on every (re)connection with the last change number
 * seen, so exactly what was missed (new messages, edits, removals) comes back from the
 * database, in order.
 */
export function useLiveThread(opts: {
  kind: string;
  key: string;
  initial: MessageView[];
  initialLastChange: number;
  enabled: boolean;
  /** The lowest message number on the page (older ones are behind "Show earlier messages"). */
  floor: number;
}) {
  const [messages, setMessages] = useState(opts.initial);
  const floor = useRef(opts.floor);
  floor.current = opts.floor;
  const [present, setPresent] = useState<number | null>(null);
  // Who the socket says is reading (messages that arrive live carry only their author's id).
  const [viewerId, setViewerId] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [connected, setConnected] = useState(false);
  const live = useRef<LiveThread | null>(null);

  // Fresh loader data (after a form post, say) joins what the socket already brought.
  useEffect(() => {
    setMessages((m) => mergeMessages(m, opts.initial, floor.current));
    live.current?.cursor.advanceTo(opts.initialLastChange);
  }, [opts.initial, opts.initialLastChange]);

  useEffect(() => {
    const s = opts.enabled ? getSocket() : null;
    if (!s) return;
    // The highest change number up to which everything has arrived (not the highest seen:
    // across processes 27 can arrive before 26, and a drop then must not skip 26).
    live.current = attachLiveThread(
      s,
      { kind: opts.kind, key: opts.key, initialLastChange: opts.initialLastChange },
      {
        messages: (incoming, how) => {
          setMessages((list) => mergeMessages(list, incoming, floor.current));
          if (how === "new") setAnnouncement(`New message from ${incoming[0].authorName}.`);
          if (how === "catchUp") setAnnouncement(`${incoming.length} message${incoming.length === 1 ? "" : "s"} new or changed while you were away.`);
        },
        joined: (n, who) => {
          setPresent(n);
          setViewerId(who);
        },
        presence: setPresent,
        connection: setConnected,
      },
    );
    return () => {
      live.current?.detach();
      live.current = null;
    };
    // The initial change number is read once, when the thread is first joined.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opts.kind, opts.key, opts.enabled]);

  return { messages, setMessages, present, announcement, connected, viewerId };
}

/** A hub's board kept live: calls `onChange` for every claim, status change or new task. */
export function useLiveBoard(hub: string, onChange: (change: BoardChange) => void) {
  const [present, setPresent] = useState<number | null>(null);
  const handler = useRef(onChange);
  handler.current = onChange;
  useEffect(() => {
    const s = getSocket();
    if (!s) return;
    let room: string | null = null;
    const join = () =>
      s.emit("board:join", { hub }, (reply) => {
        if (!reply.ok) return;
        room = reply.room;
        setPresent(reply.present);
      });
    const onTask = (c: BoardChange) => {
      if (room === boardRoom(c.hubId)) handler.current(c);
    };
    const onPresence = (p: { room: string; count: number }) => {
      if (p.room === room) setPresent(p.count);
    };
    s.on("connect", join);
    s.on("board:task", onTask);
    s.on("presence", onPresence);
    if (s.connected) join();
    return () => {
      s.off("connect", join);
      s.off("board:task", onTask);
      s.off("presence", onPresence);
      if (room) s.emit("board:leave", { room });
    };
  }, [hub]);
  return { present };
}
