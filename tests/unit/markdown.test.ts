import { describe, expect, it } from "vitest";
import { renderMarkdown, slugify } from "#app/domain/markdown.ts";

/**
 * Nothing in the output can run code: no script, frame or style element, and
 * no tag with an event handler, a style or a javascript:/data: URL. Escaped
 * text (&lt;script&gt;) is fine: it shows, it does not run.
 */
function expectInert(html: string) {
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  for (const tag of tags) {
    expect(tag).not.toMatch(/^<(script|iframe|style|object|embed|svg|math|form|textarea|base|meta|link)\b/i);
    expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
    expect(tag).not.toMatch(/\sstyle\s*=/i);
    expect(tag).not.toMatch(/javascript:/i);
    expect(tag).not.toMatch(/(href|src)\s*=\s*"?\s*data:/i);
  }
  expect(html).not.toMatch(/<script/i);
}

describe("renderMarkdown", () => {
  it("renders headings, lists, emphasis, code, tables and task lists", () => {
    const { html } = renderMarkdown(
      "# Title\n\nSome *emphasis* and **strong** text with `code`.\n\n- one\n- two\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n- [x] done\n\n```js\nconst x = 1;\n```\n",
    );
    expect(html).toContain('<h1 id="title">Title</h1>');
    expect(html).toContain("<em>emphasis</em>");
    expect(html).toContain("<strong>strong</strong>");
    expect(html).toContain("<code>code</code>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain('<td align="right">2</td>');
    expect(html).toContain('<input type="checkbox" disabled checked />');
    expect(html).toContain('<code class="language-js">');
  });

  it("gives headings stable slug ids, numbering repeats, and lists them in order with their level", () => {
    const { headings, html } = renderMarkdown(
      "# Intro\n\n## Intro\n\n### Intro\n\n## Prélèvement **sanguin** à jeun\n\n## `CRP` & IL-6 (pg/mL)\n\n## !!!\n",
    );
    expect(headings).toEqual([
      { id: "intro", text: "Intro", level: 1 },
      { id: "intro-1", text: "Intro", level: 2 },
      { id: "intro-2", text: "Intro", level: 3 },
      { id: "prelevement-sanguin-a-jeun", text: "Prélèvement sanguin à jeun", level: 2 },
      { id: "crp-il-6-pg-ml", text: "CRP & IL-6 (pg/mL)", level: 2 },
      { id: "section", text: "!!!", level: 2 },
    ]);
    expect(html).toContain('<h2 id="intro-1">Intro</h2>');
  });

  it("keeps a heading's id when other sections change, so anchors survive new versions", () => {
    const before = renderMarkdown("# Sampling\n\ntext\n\n## Storage\n").headings;
    const after = renderMarkdown("# Sampling\n\nnew text\n\n## Transport\n\n## Storage\n").headings;
    expect(after.find((h) => h.text === "Storage")?.id).toBe(before.find((h) => h.text === "Storage")?.id);
  });

  it("does not hand out an id a later heading spells literally", () => {
    const ids = renderMarkdown("## Intro\n\n## Intro\n\n## Intro 1\n").headings.map((h) => h.id);
    expect(new Set(ids).size).toBe(3);
  });

  it("prefixes ids when asked", () => {
    expect(renderMarkdown("# Intro", { idPrefix: "v2-" }).headings[0].id).toBe("v2-intro");
  });

  it("adds rel=noopener noreferrer nofollow to every link, and keeps safe links", () => {
    const { html } = renderMarkdown(
      '[registry](https://clinicaltrials.gov/study/NCT00463580) <a href="https://x.org" rel="opener">x</a> [mail](mailto:a@b.org) [section](#storage)',
    );
    expect(html).toContain('href="https://clinicaltrials.gov/study/NCT00463580"');
    expect(html).toContain('href="mailto:a@b.org"');
    expect(html).toContain('href="#storage"');
    const rels = html.match(/rel="[^"]*"/g) ?? [];
    expect(rels).toHaveLength(4);
    for (const rel of rels) expect(rel).toBe('rel="noopener noreferrer nofollow"');
  });

  describe("XSS payloads come back inert", () => {
    const payloads: [string, string][] = [
      ["script tag", "<script>alert(1)</script>"],
      ["script in a paragraph", "hello <script>alert(document.cookie)</script> world"],
      ["img onerror", '<img src="x" onerror="alert(1)">'],
      ["svg onload", "<svg onload=alert(1)><circle/></svg>"],
      ["body onload in a block", '<div onclick="alert(1)" onmouseover="alert(2)">hover</div>'],
      ["javascript: href", '<a href="javascript:alert(1)">click</a>'],
      ["entity-encoded javascript: href", '<a href="&#106;avascript:alert(1)">click</a>'],
      ["markdown link with javascript:", "[click](javascript:alert(1))"],
      ["markdown link with mixed-case JavaScript:", "[click](JaVaScRiPt:alert(1))"],
      ["markdown link with a tab in the scheme", "[click](java\tscript:alert(1))"],
      ["markdown reference link with javascript:", "[click][x]\n\n[x]: javascript:alert(1)"],
      ["markdown image with javascript:", "![x](javascript:alert(1))"],
      ["data: link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
      ["data: image", '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">'],
      ["iframe", '<iframe src="https://evil.example"></iframe>'],
      ["style tag", "<style>body { display: none }</style>"],
      ["style attribute", '<p style="background:url(javascript:alert(1))">x</p>'],
      ["object and embed", '<object data="x.swf"></object><embed src="x.swf">'],
      ["form and input", '<form action="https://evil.example"><input type="password" name="p"></form>'],
      ["heading with forged id and handler", '<h2 id="main" onclick="alert(1)">forged</h2>'],
      ["autolink javascript:", "<javascript:alert(1)>"],
      ["unclosed tag tricks", "<img src=x onerror=alert(1)//"],
    ];
    for (const [name, source] of payloads) {
      it(name, () => expectInert(renderMarkdown(source).html));
    }

    it("drops ids written in raw HTML, so nobody can forge an anchor or clobber a page id", () => {
      const { html, headings } = renderMarkdown('<h2 id="main" data-heading-marker="guess">forged</h2>\n\n## Real\n');
      expect(html).not.toContain('id="main"');
      expect(html).not.toContain("data-heading-marker");
      expect(headings).toEqual([{ id: "real", text: "Real", level: 2 }]);
    });

    it("drops the address of an image that points at our own site, so viewing a comment sends no signed-in request", () => {
      for (const source of ['<img src="x">', "![export](/api/v1/workspaces/w/events.csv)", '<img src="./logout">']) {
        expect(renderMarkdown(source).html).not.toContain("src=");
      }
      expect(renderMarkdown("![chart](https://example.org/chart.png)").html).toContain('src="https://example.org/chart.png"');
    });

    it("keeps the text of an escaped payload readable", () => {
      const { html } = renderMarkdown("Use `<script>` tags? Never.");
      expect(html).toContain("<code>&lt;script&gt;</code>");
    });
  });
});

describe("slugify", () => {
  it("makes lower-case ASCII slugs and never an empty one", () => {
    expect(slugify("  Blood Sampling: Fasting  ")).toBe("blood-sampling-fasting");
    expect(slugify("Größe")).toBe("grosse");
    expect(slugify("—")).toBe("section");
  });
});
