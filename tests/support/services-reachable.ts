/**
 * CI's check before the suite: the services the tests need answer on this
 * machine. PostgreSQL runs the integration-postgres project (TEST_POSTGRES_URL);
 * Redis is where several app processes share live-channel and sign-in state
 * (TEST_REDIS_URL, default redis://127.0.0.1:6379). Prints one
 * line per service that does not answer, saying how to start it, and exits 1.
 *
 *   node --import tsx tests/support/services-reachable.ts
 */
import { Redis } from "ioredis";
import { checkPostgresReachable, postgresAdminUrl } from "./database.ts";

/** Where the tests of several processes find Redis (tests/support/cluster.ts). */
const redisUrl = new URL(process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379");
const REDIS = { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) };

async function postgresProblem(): Promise<string | undefined> {
  try {
    await checkPostgresReachable();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

async function redisProblem(): Promise<string | undefined> {
  // One attempt, no reconnecting: a check, not a client that waits for the server to appear.
  const client = new Redis(redisUrl.toString(), {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // ioredis rejects with "Connection is closed."; the socket's own error says why.
  let cause: Error | undefined;
  client.on("error", (error) => (cause = error));
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return (
      `Redis is not reachable at ${REDIS.host}:${REDIS.port} (${(cause ?? (error as Error)).message}). ` +
      `Start it: redis-server --daemonize yes --port ${REDIS.port} --save ""`
    );
  } finally {
    client.disconnect();
  }
}

const problems = (await Promise.all([postgresProblem(), redisProblem()])).filter((p): p is string => p !== undefined);
for (const problem of problems) console.error(problem);
if (problems.length === 0) console.log(`services: PostgreSQL (${postgresAdminUrl()}) and Redis (${REDIS.host}:${REDIS.port}) answer`);
process.exit(problems.length === 0 ? 0 : 1);
