import type { SerializeFrom } from "@remix-run/node";

/** What a loader's value looks like in the browser (dates as strings). */
export type Jsonify<T> = SerializeFrom<() => T>;
