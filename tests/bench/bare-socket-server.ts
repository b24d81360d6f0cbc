/**
 * The fan-out baseline: a bare Socket.IO server with nothing of the product
 * in it (no auth, no database, no presence, one room). Every socket joins the
 * room on connection; `POST /broadcast` emits the request body, parsed, to the
 * room as an `event` and answers 204 once the emit has been handed to the
 * sockets (as the real server publishes before its HTTP answer). A socket's
 * `doc:update` goes, as it came, to the room's other sockets and is answered
 * {ok: true} (the live-document baseline: the relay without storing).
 *
 * Started by the bench as a separate process on 127.0.0.1 (port from PORT,
 * 0 = any); it prints "bare socket server at http://127.0.0.1:<port>".
 */
import http from "node:http";
import { Server } from "socket.io";

const ROOM = "bench";
const MAX_BODY = 1024 * 1024;

const server = http.createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/broadcast") {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(chunk);
  });
  req.on("end", () => {
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    io.to(ROOM).emit("event", payload);
    res.writeHead(204).end();
  });
});

const io = new Server(server, { serveClient: false });
io.on("connection", (socket) => {
  void socket.join(ROOM);
  socket.on("doc:update", (message: unknown, ack?: (answer: { ok: true }) => void) => {
    socket.to(ROOM).emit("doc:update", message);
    if (typeof ack === "function") ack({ ok: true });
  });
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(`bare socket server at http://127.0.0.1:${port}`);
});

function stop() {
  io.disconnectSockets(true);
  void io.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
