import type http from "node:http";
import { Server, type Socket } from "socket.io";
import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import { authenticate } from "../auth/request-auth.server";
import { comesFromOrigin, expectedOrigin } from "../utils/origin.server";
import { subscribe } from "../utils/bus.server";
import { log } from "../utils/log.server";
import type { Viewer } from "../auth/permissions.server";

// Socket.io on the app's HTTP server. The handshake must come from our origin and is
// authenticated from the session cookie; each socket joins a room for its session so
// that signing out (here or in another process, through the adapter) disconnects it.

export type SocketData = { user: Viewer | null; sessionId: string | null };

const sessionRoom = (id: string) => `session:${id}`;

export function attachSocketServer(
  server: http.Server,
  opts: { appUrl: string | undefined; databaseUrl: string | undefined },
) {
  const io = new Server<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>(server, {
    serveClient: false,
    allowRequest: (req, callback) => {
      const expected = expectedOrigin(opts.appUrl, "http", req.headers.host);
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
    adapterPool.on("error", (err) => log.error(`[socket] adapter pool error: ${err.message}`));
    io.adapter(createAdapter(adapterPool, { tableName: "socket_io_attachments" }));
  }

  io.use(async (socket, next) => {
    try {
      const auth = await authenticate(socket.request.headers.cookie);
      socket.data.user = auth.user;
      socket.data.sessionId = auth.session?.id ?? null;
      next();
    } catch (err) {
      next(new Error("Could not check your session"));
    }
  });

  io.on("connection", (socket: Socket) => {
    const data = socket.data as SocketData;
    if (data.sessionId) void socket.join(sessionRoom(data.sessionId));
    // Who am I, as the server sees it (used by the client and by tests).
    socket.on("whoami", (ack: unknown) => {
      if (typeof ack === "function") ack({ user: data.user ? { id: data.user.id, name: data.user.name } : null });
    });
  });

  const unsubscribe = subscribe("session.ended", ({ sessionIds }) => {
    for (const id of sessionIds) io.in(sessionRoom(id)).disconnectSockets(true);
  });

  return {
    io,
    async close() {
      unsubscribe();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await adapterPool?.end().catch(() => {});
    },
  };
}
