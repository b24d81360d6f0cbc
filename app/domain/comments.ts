/** What a comment can be on, and where in it a thread points. */
export const COMMENT_TARGET_TYPES = ["protocol", "panel", "study", "dataset", "result", "goal"] as const;
export type CommentTargetType = (typeof COMMENT_TARGET_TYPES)[number];

/** Where in the target a thread points: a protocol section, or a dataset row, column or cell. */
export interface CommentAnchor {
  section?: string;
  row?: number;
  column?: string;
  /** A range of a protocol's live text that moves with the words around it (app/domain/live-document.ts). */
  range?: { start: string; end: string; quote: string };
}

/** One comment as pages, the API and the live feed show it (a deleted one keeps its place, without its text). */
export interface CommentView {
  id: string;
  workspaceId: string;
  target: { type: CommentTargetType; id: string; anchor: CommentAnchor | null };
  parentId: string | null;
  body: string;
  bodyHtml: string;
  author: { id: string; name: string };
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  resolvedAt: string | null;
  resolvedBy: { id: string; name: string } | null;
  version: number;
}
