/**
 * The entry of an import worker thread. The app runs its TypeScript through
 * tsx (`node --import tsx server/index.ts`); a worker starts without the
 * parent's loader hooks, so it registers tsx itself before loading the
 * worker's code. Plain JavaScript, so that this file loads without them.
 */
import { register } from "tsx/esm/api";

register();
await import("./dataset-parse-worker.server.ts");
