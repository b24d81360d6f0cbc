/**
 * The threads anchored to words of the live draft: the words quoted, where
 * they are now ("Show in the text" selects them), or that they were removed.
 */
import type { CommentView } from "#app/domain/comments.ts";
import { Card } from "#app/components/ui/notice.tsx";

interface Props {
  comments: CommentView[];
  /** Where an anchored range now is in the editor's text; null once its words are gone. */
  locate: React.MutableRefObject<((range: { start: string; end: string }) => { from: number; to: number } | null) | null>;
  onShow(commentId: string): void;
  /** The live text: the list is redrawn as it changes. */
  text: string;
}

export function TextCommentList({ comments, locate, onShow }: Props) {
  const anchored = comments.filter((c) => !c.parentId && !c.resolvedAt && !c.deleted && c.target.anchor?.range);
  return (
    <Card>
      <h3 className="text-base font-semibold">Comments on the text</h3>
      {anchored.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">None open. Select words in the draft and comment on them.</p>
      ) : (
        <ul className="mt-2 space-y-3" data-testid="text-comments">
          {anchored.map((c) => {
            const range = c.target.anchor!.range!;
            const removed = locate.current ? locate.current(range) === null : false;
            return (
              <li key={c.id} className="text-sm" data-testid="text-comment" data-removed={removed ? "true" : "false"}>
                <blockquote className="border-l-4 border-amber-400 pl-2 text-slate-700">“{range.quote}”</blockquote>
                <p className="mt-1 text-slate-800">
                  <span className="font-medium">{c.author.name}:</span> {c.body.length > 140 ? `${c.body.slice(0, 140)}…` : c.body}
                </p>
                {removed ? (
                  <p className="mt-1 text-xs font-medium text-slate-500">
                    Text removed: the words this comment was on are no longer in the draft.
                  </p>
                ) : (
                  <button type="button" className="mt-1 text-xs text-brand-700 underline" onClick={() => onShow(c.id)}>
                    Show in the text
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
