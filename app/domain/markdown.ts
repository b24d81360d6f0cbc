/**
 * Markdown to safe HTML, for anything people write: protocols, comments.
 *
 * `marked` turns the source into HTML, then `sanitize-html` keeps only an
 * allowlist of tags and attributes, so scripts, event handlers, styles,
 * iframes and `javascript:`/`data:` links come back inert whatever the
 * source says. Headings get stable slug ids ("intro", "intro-1", …) so a
 * comment can point at a section and still find it in a later version.
 *
 * Only headings written in markdown get ids and appear in `headings`; ids in
 * raw HTML are dropped, so nobody can forge an anchor or clobber a page id.
 */
import { Marked, type Token, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";

export interface Heading {
  /** The anchor: a slug of the text, unique within the document. */
  id: string;
  text: string;
  level: number;
}

export interface RenderedMarkdown {
  html: string;
  headings: Heading[];
}

export interface RenderOptions {
  /** Prepended to every heading id, for pages that show several documents at once. */
  idPrefix?: string;
}

const HEADING_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6"];

/** Lower-case ASCII words joined by dashes; accents dropped ("Prélèvement sanguin" → "prelevement-sanguin"). */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug || "section";
}

/** Hands out slugs in document order, numbering repeats: intro, intro-1, intro-2. */
function slugCounter() {
  const taken = new Set<string>();
  return (text: string) => {
    const base = slugify(text);
    let candidate = base;
    for (let n = 1; taken.has(candidate); n++) candidate = `${base}-${n}`;
    taken.add(candidate);
    return candidate;
  };
}

/** The readable text of inline tokens: what a heading says without its markup. */
function plainText(tokens: Token[] | undefined): string {
  if (!tokens) return "";
  return tokens
    .map((token) => {
      if (token.type === "html") return "";
      if ("tokens" in token && Array.isArray(token.tokens) && token.tokens.length > 0) return plainText(token.tokens);
      return "text" in token && typeof token.text === "string" ? token.text : "";
    })
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * A marker only this render knows: the sanitiser keeps a heading's id only
 * when the heading carries it, so raw HTML in the source cannot set ids.
 */
function renderMarker(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const MARKER_ATTRIBUTE = "data-heading-marker";

function sanitizeOptions(marker: string): sanitizeHtml.IOptions {
  const headingTransform: sanitizeHtml.Transformer = (tagName, attribs) => {
    const ours = attribs[MARKER_ATTRIBUTE] === marker && typeof attribs.id === "string";
    const kept: sanitizeHtml.Attributes = ours ? { id: attribs.id } : {};
    return { tagName, attribs: kept };
  };
  return {
    allowedTags: [
      ...HEADING_TAGS,
      "p",
      "br",
      "hr",
      "blockquote",
      "pre",
      "code",
      "em",
      "strong",
      "del",
      "s",
      "sup",
      "sub",
      "kbd",
      "mark",
      "ul",
      "ol",
      "li",
      "a",
      "img",
      "table",
      "thead",
      "tbody",
      "tfoot",
      "tr",
      "th",
      "td",
      "caption",
      "input",
      "details",
      "summary",
      "dl",
      "dt",
      "dd",
      "span",
      "div",
    ],
    allowedAttributes: {
      ...Object.fromEntries(HEADING_TAGS.map((tag) => [tag, ["id", MARKER_ATTRIBUTE]])),
      a: ["href", "title", "rel"],
      img: ["src", "alt", "title", "width", "height"],
      ol: ["start"],
      th: ["align", "colspan", "rowspan"],
      td: ["align", "colspan", "rowspan"],
      input: ["type", "checked", "disabled"],
      code: ["class"],
    },
    allowedClasses: { code: ["language-*"] },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["http", "https"] },
    allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
    allowProtocolRelative: false,
    // Dropped with everything inside them, not just unwrapped.
    nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "object", "embed", "template", "title", "svg", "math"],
    transformTags: {
      ...Object.fromEntries(HEADING_TAGS.map((tag) => [tag, headingTransform])),
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "noopener noreferrer nofollow" } }),
      // Only absolute http(s) images: a relative address would make every reader's browser send a
      // signed-in GET to one of our own URLs (an export that records an event, say) just by viewing.
      img: (tagName, attribs) => {
        const { src, ...rest } = attribs;
        return { tagName, attribs: src && /^https?:\/\//i.test(src.trim()) ? { ...rest, src } : rest };
      },
      // Task-list boxes show state; they are never form fields.
      input: (tagName, attribs) => ({
        tagName,
        attribs: { type: "checkbox", disabled: "", ...(attribs.checked !== undefined ? { checked: "" } : {}) },
      }),
    },
    exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
  };
}

/** Renders markdown to sanitised HTML and lists its headings with their anchors, in document order. */
export function renderMarkdown(source: string, options: RenderOptions = {}): RenderedMarkdown {
  const prefix = options.idPrefix ?? "";
  const nextSlug = slugCounter();
  const marker = renderMarker();
  const headings: Heading[] = [];
  const marked = new Marked({
    gfm: true,
    breaks: false,
    async: false,
    renderer: {
      heading(this: { parser: { parseInline(tokens: Token[]): string } }, token: Tokens.Heading) {
        const text = plainText(token.tokens);
        const id = prefix + nextSlug(text);
        headings.push({ id, text, level: token.depth });
        const tag = `h${token.depth}`;
        return `<${tag} id="${id}" ${MARKER_ATTRIBUTE}="${marker}">${this.parser.parseInline(token.tokens)}</${tag}>\n`;
      },
    },
  });
  const raw = marked.parse(source ?? "", { async: false }) as string;
  const html = sanitizeHtml(raw, sanitizeOptions(marker));
  return { html, headings };
}

/**
 * The heading whose section holds the character at `offset` of the source, with the id
 * renderMarkdown gives it (headings are numbered the same way, in document order), or null
 * before the first heading.
 */
export function headingAt(source: string, offset: number): Heading | null {
  const nextSlug = slugCounter();
  let found: Heading | null = null;
  let at = 0;
  const visit = (token: Token, startsAt: number) => {
    if (token.type === "heading") {
      const heading = token as Tokens.Heading;
      const text = plainText(heading.tokens);
      const id = nextSlug(text);
      if (startsAt <= offset) found = { id, text, level: heading.depth };
      return;
    }
    // Headings nested in lists or quotes are numbered too; they count as starting with their block.
    const children = (token as { tokens?: Token[]; items?: Token[] }).items ?? (token as { tokens?: Token[] }).tokens;
    if (Array.isArray(children) && token.type !== "paragraph" && token.type !== "text") {
      for (const child of children) visit(child, startsAt);
    }
  };
  for (const token of new Marked({ gfm: true }).lexer(source ?? "")) {
    visit(token, at);
    at += token.raw.length;
  }
  return found;
}
