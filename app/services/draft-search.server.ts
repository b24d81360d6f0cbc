/**
 * Keeping a live draft findable while people type (docs/decisions/029): the
 * draft's search entry is rewritten when typing pauses, by the process that
 * stored the edits, never inside the acknowledged path of an edit and never
 * once per keystroke. Each process reindexes after its own last edit and reads
 * the whole draft from the database (every process's edits), and transactions
 * run one after another, so the last reindex of a draft holds its last text
 * whichever process took the last edit.
 */
import { PROTOCOL_DRAFT_SOURCE } from "./search-documents.server.ts";
import { reindexSource } from "./search-index.server.ts";

/** Typing that pauses this long is reindexed: a burst of keystrokes costs one write. */
export const DRAFT_SEARCH_QUIET_MS = 1500;
/** Someone typing without a pause is reindexed at least this often, so a long spell is found too. */
export const DRAFT_SEARCH_LONGEST_WAIT_MS = 10_000;

interface Scheduled {
  timer: NodeJS.Timeout;
  /** When the first edit not yet reindexed was stored. */
  since: number;
}

const scheduled = new Map<string, Scheduled>();

/** After an edit of a protocol's draft is stored: reindex the draft once its typing pauses. */
export function reindexDraftWhenQuiet(protocolId: string, now = Date.now()): void {
  const earlier = scheduled.get(protocolId);
  if (earlier) clearTimeout(earlier.timer);
  const since = earlier?.since ?? now;
  const delay = Math.max(0, Math.min(DRAFT_SEARCH_QUIET_MS, since + DRAFT_SEARCH_LONGEST_WAIT_MS - now));
  const timer = setTimeout(() => void reindexDraft(protocolId), delay);
  // A pending reindex never keeps a stopping process alive: shutdown writes it first (flushDraftSearch).
  timer.unref();
  scheduled.set(protocolId, { timer, since });
}

async function reindexDraft(protocolId: string): Promise<void> {
  scheduled.delete(protocolId);
  try {
    await reindexSource({ type: PROTOCOL_DRAFT_SOURCE, id: protocolId });
  } catch (error) {
    // The draft stays found by its previous text until the next pause in typing reindexes it.
    console.error("reindexing a live draft for search failed", error);
  }
}

/** On shutdown: writes every pending draft reindex now, so a stopped process leaves no draft stale in search. */
export async function flushDraftSearch(): Promise<void> {
  const pending = [...scheduled.keys()];
  for (const protocolId of pending) clearTimeout(scheduled.get(protocolId)?.timer);
  await Promise.all(pending.map(reindexDraft));
}
