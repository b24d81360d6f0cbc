/**
 * Imported first by the server entry, before any module that reads a setting:
 * - unless NODE_ENV says otherwise, the process runs as production (React,
 *   Express and Remix read NODE_ENV as they load; without this Express would
 *   show stack traces and React would run its development build);
 * - a wrong setting stops start-up here with one clear line per problem.
 */
import { env, EnvError } from "#app/env.server.ts";

process.env.NODE_ENV ??= "production";

try {
  env();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`${error.message}\nFix these variables (README, "Configuration") and start again.`);
  process.exit(1);
}
