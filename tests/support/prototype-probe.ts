/**
 * Loaded into a test server with `--import`: on SIGUSR2 it writes, to the file
 * named by PROTOTYPE_PROBE_FILE, every property that was added to or changed on
 * the built-in prototypes since the process started. A prototype-pollution test
 * compares the report before and after sending its hostile requests.
 * Never loaded by the app itself.
 */
import fs from "node:fs";

const PROTOTYPES: Record<string, object> = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
  Number: Number.prototype,
  Boolean: Boolean.prototype,
  Date: Date.prototype,
  RegExp: RegExp.prototype,
  Error: Error.prototype,
  Promise: Promise.prototype,
  Map: Map.prototype,
  Set: Set.prototype,
};

type Snapshot = Map<string, unknown>;

function snapshot(): Snapshot {
  const values: Snapshot = new Map();
  for (const [name, proto] of Object.entries(PROTOTYPES)) {
    for (const key of Reflect.ownKeys(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
      values.set(`${name}.prototype.${String(key)}`, "value" in descriptor ? descriptor.value : descriptor.get);
    }
  }
  return values;
}

const baseline = snapshot();

export function pollutionReport(): { added: string[]; changed: string[]; objectPrototypeIntact: boolean } {
  const now = snapshot();
  const added = [...now.keys()].filter((k) => !baseline.has(k));
  const changed = [...now.keys()].filter((k) => baseline.has(k) && !Object.is(baseline.get(k), now.get(k)));
  return { added, changed, objectPrototypeIntact: Object.getPrototypeOf({}) === Object.prototype };
}

const file = process.env.PROTOTYPE_PROBE_FILE;
if (file) {
  process.on("SIGUSR2", () => {
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(pollutionReport()));
    fs.renameSync(`${file}.tmp`, file);
  });
}
