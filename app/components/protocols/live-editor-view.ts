/**
 * The live draft's text editor: CodeMirror 6 bound to the Yjs document with
 * y-codemirror.next (remote cursors and selections with names, an undo that
 * undoes only one's own edits), markdown highlighting, and the ranges that
 * comments are anchored to drawn as highlights (docs/decisions/024). Loaded
 * on demand by live-protocol-editor.tsx, so the editor's code is fetched only
 * by the pages that edit.
 */
import { defaultKeymap } from "@codemirror/commands";
import { markdown } from "@codemirror/lang-markdown";
import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState, RangeSetBuilder, StateEffect, StateField } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, keymap } from "@codemirror/view";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import * as Y from "yjs";
import { liveText } from "#app/domain/live-document.ts";
import type { DocumentProvider } from "#app/realtime/document-provider.ts";

/** A commented range as it now is in the text. */
export interface Highlight {
  from: number;
  to: number;
  commentId: string;
}

export interface LiveEditorView {
  setEditable(editable: boolean): void;
  setHighlights(highlights: Highlight[]): void;
  /** Selects a range and brings it into view (following a comment to its text). */
  select(from: number, to: number): void;
  destroy(): void;
}

const setHighlights = StateEffect.define<Highlight[]>();
const commented = Decoration.mark({ class: "cm-commented", attributes: { title: "Commented text" } });

const highlightField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, transaction) {
    let next = decorations.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setHighlights)) continue;
      const builder = new RangeSetBuilder<Decoration>();
      const length = transaction.state.doc.length;
      for (const h of [...effect.value].sort((a, b) => a.from - b.from)) {
        if (h.to > h.from && h.to <= length) builder.add(h.from, h.to, commented);
      }
      next = builder.finish();
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const theme = EditorView.theme({
  "&": { fontSize: "0.9rem", minHeight: "24rem" },
  ".cm-content": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", padding: "0.75rem 0" },
  "&.cm-focused": { outline: "2px solid #2563eb", outlineOffset: "2px" },
  ".cm-commented": { backgroundColor: "#fef3c7", borderBottom: "2px solid #f59e0b" },
});

export function mountLiveEditor(
  parent: HTMLElement,
  provider: DocumentProvider,
  options: { editable: boolean; label: string; onSelection(range: { from: number; to: number }): void },
): LiveEditorView {
  const text = liveText(provider.doc);
  const editable = new Compartment();
  const editability = (on: boolean) => [EditorView.editable.of(on), EditorState.readOnly.of(!on)];
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text.toString(),
      extensions: [
        keymap.of([...yUndoManagerKeymap, ...defaultKeymap]),
        markdown(),
        syntaxHighlighting(defaultHighlightStyle),
        EditorView.lineWrapping,
        // The editor writes its layout into a <style> element: the page's policy admits it with the page's nonce.
        EditorView.cspNonce.of(document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce ?? ""),
        EditorView.contentAttributes.of({ "aria-label": options.label }),
        yCollab(text, provider.awareness, { undoManager: new Y.UndoManager(text) }),
        highlightField,
        theme,
        editable.of(editability(options.editable)),
        EditorView.updateListener.of((update) => {
          if (update.selectionSet || update.docChanged) {
            const { from, to } = update.state.selection.main;
            options.onSelection({ from, to });
          }
        }),
      ],
    }),
  });
  return {
    setEditable: (on) => view.dispatch({ effects: editable.reconfigure(editability(on)) }),
    setHighlights: (highlights) => view.dispatch({ effects: setHighlights.of(highlights) }),
    select: (from, to) => {
      view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
      view.focus();
    },
    destroy: () => view.destroy(),
  };
}
