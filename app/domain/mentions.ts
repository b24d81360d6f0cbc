/**
 * @mentions in comment text. The composer writes a mention as
 * `@[Display Name](mention:userId)`: readable in the raw markdown, and it
 * names exactly one member whatever their display name.
 */
const MENTION = /@\[([^\]\n]{1,100})\]\(mention:([a-z0-9]{1,64})\)/g;

export function mentionToken(name: string, userId: string): string {
  return `@[${name.replace(/[[\]\n]/g, "")}](mention:${userId})`;
}

/** The ids of the members a text mentions, each once, in order. */
export function mentionedUserIds(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION)].map((m) => m[2]))];
}

/** The text with mentions as bold "@Name", ready for the markdown renderer. */
export function mentionsAsMarkdown(body: string): string {
  return body.replace(MENTION, (_, name: string) => `**@${name.replace(/[*_`]/g, "")}**`);
}

/** The word being typed after an "@", for autocomplete: "@ma" at the caret → "ma"; null when not in a mention. */
export function mentionQueryAt(text: string, caret: number): string | null {
  const before = text.slice(0, caret);
  const match = /(?:^|\s)@([^\s@[\]()]{0,40})$/.exec(before);
  return match ? match[1] : null;
}
