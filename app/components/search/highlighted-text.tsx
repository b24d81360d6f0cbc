/** Text with its matching words marked: pieces rendered as React text (escaped), never as HTML. */
import { highlightPieces, type TextRange } from "#app/domain/search-text.ts";

export function HighlightedText({ text, ranges }: { text: string; ranges: TextRange[] }) {
  return (
    <>
      {highlightPieces(text, ranges).map((piece, i) =>
        piece.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one text never move.
          <mark key={i} className="rounded bg-amber-200 px-0.5 text-inherit">
            {piece.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one text never move.
          <span key={i}>{piece.text}</span>
        ),
      )}
    </>
  );
}
