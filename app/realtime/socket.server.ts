import type http from "node:http";
import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import { Server, type Socket } from "socket.io";
import type { Viewer } from "../auth/permissions.server";
import { authenticate } from "../auth/request-auth.server";
import { findHub } from "../models/hubs.server";
import { unreadCount, unreadCounts } from "../models/notifications.server";
import { openThreadForSocket, postMessage, readMessages, threadLastChange } from "../models/threads.server";
import { subscribe } from "../utils/bus.server";
import { describeError, log } from "../utils/log.server";
import { comesFromOrigin, expectedOrigin } from "../utils/origin.server";
import { testControls } from "../utils/test-controls.server";
import { boardRoom, type ClientToServerEvents, type ServerToClientEvents, threadRoom } from "./protocol";

// Socket.io on the app's HTTP server. The handshake must come from our origin and is
// authenticated from the session cookie; each socket joins a room for its session so
// that signing out (here or in another process, through the adapter) disconnects it.
// Thread and board rooms are joined only after the database says yes, every time.
// Broadcasts start from domain events published after a commit; with DATABASE_URL the
// Postgres adapter carries them (and presence queries) to every process.

export type SocketData = { user: Viewer | null; sessionId: string | null };
/** Between server processes (through the adapter): each one's presence keys for a room. */
type ServerSideEvents = { "presence:keys": (room: string, ack: (keys: string[]) => void) => void };
type IO = Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;
type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;

const sessionRoom = (id: string) => `session:${id}`;
const personRoom = (userId: string) => `person:${userId}`;
/** A person's sockets that have joined one thread: restricted threads are delivered to these only. */
const readerRoom = (threadId: string, userId: string) => `reader:${threadId}:${userId}`;
const isShared = (room: string) => room.startsWith("thread:") || room.startsWith("board:");
const PRESENCE_DEBOUNCE_MS = 250;

export function attachSocketServer(server: http.Server, opts: { appUrl: string | undefined; databaseUrl: string | undefined }) {
  const io: IO = new Server(server, {
    serveClient: false,
    // A message is at most 4,000 characters: nothing a client sends needs more than this.
    maxHttpBufferSize: 64 * 1024,
    allowRequest: (req, callback) => {
      const expected = expectedOrigin(opts.appUrl, "http", req.headers.host, req.socket.localPort ?? 3000);
      const ok =
        comesFromOrigin({ origin: req.headers.origin, referer: req.headers.referer }, expected) ||
        comesFromOrigin({ origin: req.headers.origin, referer: req.headers.referer }, expected.replace(/^http:/, "https:"));
      callback(ok ? null : "Origin not allowed", ok);
    },
  });

  let adapterPool: pg.Pool | null = null;
  if (opts.databaseUrl) {
    // Its own pool: the adapter keeps one client on LISTEN (STACK.md rule 6).
    adapterPool = new pg.Pool({ connectionString: opts.databaseUrl, max: 4 });
    adapterPool.on("error", (err) => log.error("socket", "adapter pool error", { error: describeError(err) }));
    io.adapter(createAdapter(adapterPool, { tableName: "socket_io_attachments" }));
  }

  io.use(async (socket, next) => {
    try {
      const auth = await authenticate(socket.request.headers.cookie);
      socket.data.user = auth.user;
      socket.data.sessionId = auth.session?.id ?? null;
      next();
    } catch {
      next(new Error("Could not check your session"));
    }
  });

  // "N people here": distinct signed-in people plus anonymous readers, across processes.
  // Each process counts its own sockets; with the Postgres adapter it asks the others for
  // theirs (a short list of keys, not whole socket descriptions), and a process that does
  // not answer within the adapter's timeout (5 s) is left out of that count.
  const pending = new Map<string, NodeJS.Timeout>();
  async function localKeys(room: string): Promise<string[]> {
    const sockets = await io.local.in(room).fetchSockets();
    return [...new Set(sockets.map((s) => (s.data.user ? `u:${s.data.user.id}` : `s:${s.id}`)))];
  }
  async function countPresent(room: string): Promise<number> {
    const keys = new Set(await localKeys(room));
    if (adapterPool) {
      try {
        const replies = await io.serverSideEmitWithAck("presence:keys", room);
        for (const reply of replies) for (const k of reply ?? []) keys.add(k);
      } catch {
        // Some process did not answer in time: count what we have.
      }
    }
    return keys.size;
  }
  if (opts.databaseUrl) {
    io.on("presence:keys", (room, ack) => {
      if (typeof room !== "string" || typeof ack !== "function") return;
      localKeys(room)
        .then((keys) => ack(keys))
        .catch(() => ack([]));
    });
  }
  function announcePresence(room: string) {
    if (pending.has(room)) return;
    pending.set(
      room,
      setTimeout(() => {
        pending.delete(room);
        countPresent(room)
          .then((count) => io.to(room).emit("presence", { room, count }))
          .catch((err) => log.error("socket", "presence failed", { error: describeError(err) }));
      }, PRESENCE_DEBOUNCE_MS),
    );
  }

  /** The session's viewer, read again (roles, verification): a socket lives long. */
  async function freshViewer(socket: AppSocket): Promise<Viewer | null> {
    if (!socket.data.sessionId) return null;
    const auth = await authenticate(socket.request.headers.cookie);
    if (!auth.user || auth.session?.id !== socket.data.sessionId) {
      socket.disconnect(true);
      return null;
    }
    socket.data.user = auth.user;
    return auth.user;
  }

  const safe =
    <A extends unknown[]>(name: string, handler: (...args: A) => Promise<void>) =>
    (...args: A) => {
      handler(...args).catch((err) => {
        log.error("socket", "handler failed", { handler: name, error: describeError(err) });
        const ack = args[args.length - 1];
        if (typeof ack === "function") ack({ ok: false, message: "Something went wrong on our side. Please try again." });
      });
    };

  io.on("connection", (socket: AppSocket) => {
    const data = socket.data;
    if (data.sessionId) void socket.join(sessionRoom(data.sessionId));
    if (data.user) {
      void socket.join(personRoom(data.user.id));
      // On every (re)connection, the count as it is now: what changed while the socket was
      // away is not missed.
      const userId = data.user.id;
      unreadCount(userId)
        .then((count) => socket.emit("notifications:unread", { count }))
        .catch((err) => log.error("socket", "unread count failed", { error: describeError(err) }));
    }

    socket.on("whoami", (ack) => {
      if (typeof ack === "function") ack({ user: data.user ? { id: data.user.id, name: data.user.name } : null });
    });

    socket.on(
      "thread:join",
      safe("thread:join", async (req, ack) => {
        if (typeof ack !== "function") return;
        const kind = String(req?.kind ?? "");
        const key = String(req?.key ?? "");
        const viewer = await freshViewer(socket);
        const opened = await openThreadForSocket(kind, key, viewer);
        if (!opened?.access.canRead) {
          const message = opened?.access.readRefusal ?? "We could not find that discussion.";
          socket.emit("join:error", { kind, key, message });
          return ack({ ok: false, message });
        }
        const room = threadRoom(opened.threadId);
        // Join first, then read: a message stored in between arrives twice, never zero
        // times, and the client keeps one copy per number.
        await socket.join(viewer ? [room, readerRoom(opened.threadId, viewer.id)] : room);
        const count = (v: unknown) => (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : null);
        const lastChange = count(req.lastChange);
        const lastSeq = count(req.lastSeq);
        const covered = await threadLastChange(opened.threadId);
        const messages = await readMessages(opened.threadId, { afterChange: lastChange, afterSeq: lastSeq });
        announcePresence(room);
        // This process's count at once; the room hears the count across processes shortly.
        ack({
          ok: true,
          threadId: opened.threadId,
          room,
          messages,
          present: (await localKeys(room)).length,
          lastChange: covered,
          viewerId: viewer?.id ?? null,
        });
      }),
    );

    socket.on(
      "thread:post",
      safe("thread:post", async (req, ack) => {
        if (typeof ack !== "function") return;
        const viewer = await freshViewer(socket);
        if (!viewer) return ack({ ok: false, message: "Log in to take part in the discussion." });
        const result = await postMessage(viewer, { kind: String(req?.kind ?? ""), key: String(req?.key ?? "") }, String(req?.body ?? ""));
        ack(result.ok ? { ok: true, message: result.view } : { ok: false, message: result.message, retryAfterSeconds: result.retryAfterSeconds });
      }),
    );

    socket.on(
      "board:join",
      safe("board:join", async (req, ack) => {
        if (typeof ack !== "function") return;
        const hub = await findHub(String(req?.hub ?? ""));
        if (!hub) return ack({ ok: false, message: "We could not find that hub." });
        const room = boardRoom(hub.id);
        await socket.join(room);
        announcePresence(room);
        ack({ ok: true, room, present: (await localKeys(room)).length });
      }),
    );

    const leave = (req: { room: string }) => {
      const room = String(req?.room ?? "");
      if (!isShared(room) || !socket.rooms.has(room)) return;
      void Promise.resolve(socket.leave(room)).then(() => announcePresence(room));
    };
    socket.on("thread:leave", leave);
    socket.on("board:leave", leave);

    socket.on("disconnecting", () => {
      const rooms = [...socket.rooms].filter(isShared);
      // After the socket has left its rooms.
      setImmediate(() => rooms.forEach(announcePresence));
    });
  });

  const deliverTo = (threadId: string, readers: string[] | null) =>
    readers === null ? io.to(threadRoom(threadId)) : io.to(readers.length ? readers.map((u) => readerRoom(threadId, u)) : `nobody:${threadId}`);

  const unsubscribers = [
    subscribe("session.ended", ({ sessionIds }) => {
      for (const id of sessionIds) io.in(sessionRoom(id)).disconnectSockets(true);
    }),
    // A thread everyone may read goes to its room; a restricted one (a community's, a
    // private event's) only to the sockets of the people its transaction found allowed.
    subscribe("thread.message", ({ threadId, message, readers }) => {
      const send = () => deliverTo(threadId, readers).emit("thread:message", message);
      if (testControls.broadcastDelayMs && message.changeNo % 2 === 1) setTimeout(send, testControls.broadcastDelayMs);
      else send();
    }),
    subscribe("thread.updated", ({ threadId, message, readers }) => {
      deliverTo(threadId, readers).emit("thread:updated", message);
    }),
    subscribe("community.access_ended", ({ userId, threadId }) => {
      if (threadId) io.in(personRoom(userId)).socketsLeave([threadRoom(threadId), readerRoom(threadId, userId)]);
    }),

    // The live unread count in the header: read once here (the publishing process), then
    // one broadcast per distinct count through the adapter to every process's sockets.
    subscribe("notifications.changed", async ({ userIds }) => {
      const counts = await unreadCounts(userIds);
      const byCount = new Map<number, string[]>();
      for (const [id, n] of counts) byCount.set(n, [...(byCount.get(n) ?? []), personRoom(id)]);
      for (const [count, rooms] of byCount) io.to(rooms).emit("notifications:unread", { count });
    }),

    subscribe("task.changed", ({ hubId, taskId, kind, summary }) => {
      io.to(boardRoom(hubId)).emit("board:task", { hubId, taskId, kind, summary });
    }),
  ];

  return {
    io,
    async close() {
      unsubscribers.forEach((u) => {
        u();
      });
      pending.forEach((t) => {
        clearTimeout(t);
      });
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await adapterPool?.end().catch(() => {});
    },
  };
}
