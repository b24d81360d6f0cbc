/**
 * The process: one HTTP server on one port carrying Express (static files,
 * health check, security middleware, the Remix request handler) and Socket.IO.
 */
import "./environment.ts";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { closeDb, connection } from "#db/client.ts";
import { closeRedis } from "#db/redis.ts";
import { env } from "#app/env.server.ts";
import { migrateDatabase } from "#db/migrate.ts";
import { seedDemoIfEmpty } from "#db/seed.ts";
import { discardInterruptedImports } from "#app/services/datasets.server.ts";
import { flushDraftSearch } from "#app/services/draft-search.server.ts";
import { ensureSearchIndex } from "#app/services/search-index.server.ts";
import { deleteExpiredSessions } from "#app/services/session.server.ts";
import { readConfig } from "./config.ts";
import { answerUnhandledErrors } from "./errors.ts";
import { attachRealtime } from "./realtime/index.ts";
import { startEmail } from "./email.ts";
import { startDueReminders } from "./reminders.ts";
import { cspNonce, requireSameOriginForCookieWrites, securityHeaders } from "./security.ts";

const root = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
const config = readConfig();

await migrateDatabase();
/** Imports whose process stopped mid-way (their lease lapsed); any process may remove them. */
async function removeInterruptedImports() {
  const removed = await connection().exclusively("interrupted-imports", async () => await discardInterruptedImports());
  if (removed) console.log(`Removed ${removed} dataset import(s) that a stop left unfinished.`);
}
await removeInterruptedImports();
setInterval(
  () => removeInterruptedImports().catch((error) => console.error("Removing interrupted imports failed", error)),
  env().IMPORT_LEASE_MS,
).unref();
await deleteExpiredSessions();
// Expired sessions are already refused; this only keeps the table small.
setInterval(
  () => deleteExpiredSessions().catch((error) => console.error("Removing expired sessions failed", error)),
  6 * 60 * 60 * 1000,
).unref();
// Processes starting together on an empty database: one seeds, the others find the demo there.
const demo = config.seedDemo ? ((await connection().exclusively("seed-demo", () => seedDemoIfEmpty(config.demoPassword))) ?? null) : null;

// Derived data: built from the database when empty (a new migration, a copied or restored database).
const indexedSources = await connection().exclusively("search-index", () => ensureSearchIndex());
if (indexedSources) console.log(`Built the search index from ${indexedSources} resources.`);

const reminders = await startDueReminders();

const build = (await import(pathToFileURL(path.join(root, "build", "index.js")).href)) as ServerBuild;

/**
 * The origin links are built from: APP_ORIGIN, else the listening address (localhost when the server
 * listens on every interface). Set once listening, when the port is known.
 */
let publicOrigin = config.origins[0] ?? listeningOrigin(config.port);
function listeningOrigin(port: number): string {
  const everywhere = ["0.0.0.0", "::", ""].includes(config.host);
  const host = everywhere ? "localhost" : config.host.includes(":") ? `[${config.host}]` : config.host;
  return `http://${host}:${port}`;
}

const app = express();
app.set("env", config.production ? "production" : "development");
app.disable("x-powered-by");
// Behind a balancer every request comes from its address: per-address sign-in budgets need the client's.
app.set("trust proxy", env().TRUST_PROXY);
app.use(securityHeaders);
// Answered before compression and the static files: a health check asks the process, not the disk
// (express.static would look for a file named healthz in the thread pool first, every time).
app.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});
app.use(compression());
app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
app.use(requireSameOriginForCookieWrites);
app.all(
  "*",
  createRequestHandler({
    build,
    mode: config.production ? "production" : "development",
    getLoadContext: (req, res) => ({ clientIp: req.ip ?? "unknown", cspNonce: cspNonce(res), publicOrigin }),
  }),
);
app.use(answerUnhandledErrors);

const server = http.createServer(app);
const realtime = attachRealtime(server);

server.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EADDRINUSE") {
    console.error(`Port ${config.port} is already in use. Stop the other program or start with PORT=<another port>.`);
    process.exit(1);
  }
  throw error;
});

let email: { stop(): void } | undefined;
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  publicOrigin = config.origins[0] ?? listeningOrigin(port);
  // Started once the port is known: its links name the public origin.
  email = startEmail(() => publicOrigin);
  if (!config.origins.length && !["127.0.0.1", "::1", "localhost"].includes(config.host)) {
    console.log(
      `Links in invitations and calendars name ${publicOrigin}: set APP_ORIGIN to the address colleagues use (e.g. https://consilience.example.org).`,
    );
  }
  console.log(`Consilience is running at ${url}`);
  console.log(`Database: ${connection().engine === "sqlite" ? "SQLite, " : "PostgreSQL, "}${connection().location}`);
  if (demo) {
    console.log(`Demo consortium: sign in at ${url}/login as one of`);
    for (const user of demo.users) console.log(`  ${user.email.padEnd(28)} (${user.role})`);
    console.log(
      demo.seededNow
        ? `  password: ${config.demoPassword}`
        : `  password: the DEMO_PASSWORD in force when the demo was first seeded (default "consilience-demo")`,
    );
  }
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing requests in flight, then stopping.`);
  const force = setTimeout(() => {
    console.error("Requests did not finish in time; stopping anyway.");
    server.closeAllConnections();
  }, config.shutdownGraceMs);
  force.unref();
  // Stop accepting; idle keep-alive connections close now, busy ones after their answer.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  reminders.stop();
  email?.stop();
  await realtime.close();
  server.closeIdleConnections();
  await closed;
  // Live edits stored by this process and not yet in search are indexed before the database closes.
  await flushDraftSearch();
  await closeDb();
  await closeRedis();
  console.log("Stopped cleanly.");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
