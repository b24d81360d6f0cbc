/** One's own new comment: drawn at once, then replaced by the saved one whichever way the server's copy arrives first. */
import { describe, expect, it } from "vitest";
import type { CommentView } from "#app/domain/comments.ts";
import { pendingComment, placeSaved, type ShownComment } from "#app/components/comments/pending-comment.ts";

const target = { type: "protocol", id: "p1", anchor: null } as CommentView["target"];
const lead = { id: "lead", name: "Lead" };

function sending(id: string, body: string, parentId: string | null = null): ShownComment {
  return pendingComment({ id, workspaceId: "ws", target, parentId, body, author: lead });
}

function saved(id: string, body: string, version = 1, parentId: string | null = null): CommentView {
  const { sending: _sending, ...rest } = sending(id, body, parentId);
  return { ...rest, bodyHtml: `<p>${body}</p>`, version };
}

const ids = (list: ShownComment[]) => list.map((c) => `${c.id}${c.sending ? " (sending)" : ""}`);

describe("one's own comment while it is sent", () => {
  const earlier = saved("c0", "Earlier comment");

  it("the answer replaces the sending copy in its place", () => {
    const list = [earlier, sending("sending-1", "At what speed?"), saved("c9", "A colleague's, arrived meanwhile")];
    expect(ids(placeSaved(list, saved("c1", "At what speed?"), "sending-1"))).toEqual(["c0", "c1", "c9"]);
  });

  it("the live event that comes before the answer replaces the sending copy, and the answer then changes nothing", () => {
    const list = [earlier, sending("sending-1", "At what speed?")];
    const afterEvent = placeSaved(list, saved("c1", "At what speed?"));
    expect(ids(afterEvent)).toEqual(["c0", "c1"]);
    expect(ids(placeSaved(afterEvent, saved("c1", "At what speed?"), "sending-1"))).toEqual(["c0", "c1"]);
  });

  it("two identical comments sent in a row are each replaced once, oldest first", () => {
    const list = [sending("sending-1", "+1"), sending("sending-2", "+1")];
    const one = placeSaved(list, saved("c1", "+1"));
    expect(ids(one)).toEqual(["c1", "sending-2 (sending)"]);
    expect(ids(placeSaved(one, saved("c2", "+1")))).toEqual(["c1", "c2"]);
  });

  it("a colleague's comment, or a reply elsewhere with the same words, leaves the sending copy alone", () => {
    const list = [sending("sending-1", "Agreed")];
    const colleague = { ...saved("c5", "Agreed"), author: { id: "ada", name: "Ada" } };
    expect(ids(placeSaved(list, colleague))).toEqual(["sending-1 (sending)", "c5"]);
    expect(ids(placeSaved(list, saved("c6", "Agreed", 1, "c0")))).toEqual(["sending-1 (sending)", "c6"]);
  });

  it("an older version of a saved comment does not undo a newer edit", () => {
    const list = [saved("c1", "Edited", 3)];
    expect(placeSaved(list, saved("c1", "Original", 1))[0].body).toBe("Edited");
  });
});
