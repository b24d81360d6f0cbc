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

/**
 * The text with mentions as bold "@Name", ready for the markdown renderer.
 * The name shown is the member's current one, looked up by id: the label in
 * the source is the author's to type, so it could pass one person off as
 * another. An id that names no member shows as "@unknown".
 */
export function mentionsAsMarkdown(body: string, memberName: (userId: string) => string | undefined): string {
  return body.replace(MENTION, (_, _label: string, userId: string) => `**@${escapeMarkdown(memberName(userId) ?? "unknown")}**`);
}

/** The text with mentions as plain "@Name" (for email), the name looked up by id as above. */
export function mentionsAsPlainText(body: string, memberName: (userId: string) => string | undefined): string {
  return body.replace(MENTION, (_, _label: string, userId: string) => `@${(memberName(userId) ?? "unknown").replace(/\s+/g, " ")}`);
}

/** A name as literal markdown text: every ASCII punctuation character backslash-escaped, line breaks flattened. */
function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, " ").replace(/[!-/:-@[-`{-~]/g, "\\$&");
}

/** The word being typed after an "@", for autocomplete: "@ma" at the caret → "ma"; null when not in a mention. */
export function mentionQueryAt(text: string, caret: number): string | null {
  const before = text.slice(0, caret);
  const match = /(?:^|\s)@([^\s@[\]()]{0,40})$/.exec(before);
  return match ? match[1] : null;
}
