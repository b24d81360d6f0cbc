/**
 * A protocol's header (title, status, version, approval, who is writing the
 * live draft) after an event about that protocol. Every event that changes the
 * header carries what it shows, so the header never reloads for one. Pure, so
 * each rule is tested without a browser.
 */
import type { PublicEvent } from "#app/domain/events.ts";
import type { ProtocolStatus } from "#app/domain/protocol-status.ts";

interface Person {
  id: string;
  name: string;
}

export interface ProtocolHeader {
  protocol: {
    id: string;
    title: string;
    status: ProtocolStatus;
    version: number;
    approvedVersion: number | null;
    approvedBy: Person | null;
    approvedAt: string | null;
    currentAuthor: Person;
    currentAt: string;
  };
  draft: { sinceVersion: number; editedBy: Person[]; editedAt: string | null };
}

export function patchProtocolHeader<T extends ProtocolHeader>(data: T, event: PublicEvent): T {
  if (event.target.type !== "protocol" || event.target.id !== data.protocol.id) return data;
  const { protocol, draft } = data;
  switch (event.type) {
    case "protocol.version_added": {
      if (event.payload.version <= protocol.version) return data;
      // The new version is cut from the live draft, which starts again from it with nobody's edits.
      return {
        ...data,
        protocol: {
          ...protocol,
          version: event.payload.version,
          status: event.payload.after?.status ?? protocol.status,
          currentAuthor: event.actor,
          currentAt: event.createdAt,
        },
        draft: { sinceVersion: event.payload.version, editedBy: [], editedAt: null },
      };
    }
    case "protocol.updated": {
      const { title, status } = event.payload.after;
      const approved = status === "approved";
      return {
        ...data,
        protocol: {
          ...protocol,
          title: title ?? protocol.title,
          status: status ?? protocol.status,
          ...(approved ? { approvedVersion: event.payload.version, approvedBy: event.actor, approvedAt: event.createdAt } : {}),
        },
      };
    }
    case "protocol.draft_edited": {
      if (event.payload.sinceVersion < draft.sinceVersion) return data;
      // Most recent editor first, as the server lists them.
      const editedBy = [event.actor, ...draft.editedBy.filter((p) => p.id !== event.actor.id)];
      return { ...data, draft: { sinceVersion: event.payload.sinceVersion, editedBy, editedAt: event.createdAt } };
    }
    default:
      return data;
  }
}
