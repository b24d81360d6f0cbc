/** How the API writes an entry of a version history (panels and protocols alike). */
import type { z } from "zod";
import type { VersionEntryJson } from "#app/schemas/json.ts";
import type { Person } from "./accounts.ts";

export interface VersionEntry {
  version: number;
  note: string | null;
  author: Person;
  createdAt: Date;
}

export const versionEntryJson = (v: VersionEntry): z.output<typeof VersionEntryJson> => ({
  version: v.version,
  note: v.note,
  author: { id: v.author.id, name: v.author.name },
  createdAt: v.createdAt.toISOString(),
});
