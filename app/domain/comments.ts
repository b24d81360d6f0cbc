/** What a comment can be on, and where in it a thread points. */
export const COMMENT_TARGET_TYPES = ["protocol", "panel", "study", "dataset", "result", "goal"] as const;
export type CommentTargetType = (typeof COMMENT_TARGET_TYPES)[number];

/** Where in the target a thread points: a protocol section, or a dataset row, column or cell. */
export interface CommentAnchor {
  section?: string;
  row?: number;
  column?: string;
}
