/**
 * Files another person opens or runs carry user text only as text. An
 * injection corpus (every kind of line break, quotes, backslashes, `#`,
 * backticks, `%`, NUL, direction overrides, spreadsheet formulas) is placed in
 * every name that reaches a generated file: arms, outcomes, profiles, studies,
 * goals, milestones, the workspace and its lead. Each file is then read by its
 * real consumer: R's parser for the comparison scripts (the token stream must
 * equal that of a script with plain names: no statement of the corpus's own),
 * ical.js for the calendar, a CSV parser for the CSV files, and the workspace
 * ZIP's README must keep its lines.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ICAL from "ical.js";
import { parse as parseCsv } from "csv-parse/sync";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { must } from "#tests/support/demo-workspace.ts";
import { itWithR, runR } from "#tests/support/rscript.ts";
import { useServer } from "#tests/support/server.ts";

type Team = Awaited<ReturnType<typeof workspaceWithRoles>>;

/** Each entry tries to end the text it is in and start something of its own. */
const CORPUS = [
  'infliximab\nsystem("echo PWNED")\n#',
  'cr\rsystem("echo PWNED")\r#',
  'crlf\r\nsystem("echo PWNED")\r\n#',
  'ls\u2028system("echo PWNED")\u2029#',
  'nel\u0085system("echo PWNED")',
  'vt\u000bsystem("echo PWNED")\u000c',
  'dq " ); system("echo PWNED"); x <- ("',
  "sq ' ); system('echo PWNED'); x <- ('",
  'bs \\"; system("echo PWNED"); "\\',
  '`system`("echo PWNED") # hash',
  "pct %in% 100% ${x} {{x}} %s",
  "\u202eevil\u202c direction",
  '=HYPERLINK("http://evil.example")',
  "semi;colon,comma\\nEND:VEVENT\nBEGIN:VEVENT",
];
const label = (i: number) => `#${i}`;

const server = useServer();
let team: Team;
const ws = () => `/api/v1/workspaces/${team.workspaceId}`;
/** Per corpus entry: the row key of its intervention and the id of its profile. */
const cells: { row: string; profile: string }[] = [];
let plain: { row: string; profile: string };
const refused: string[] = [];

/** Posts, and remembers which corpus entries a field refuses (refusing is a fine answer too). */
async function tryCreate(what: string, promise: Promise<{ status: number; body: any }>) {
  const response = await promise;
  if (response.status === 400) refused.push(what);
  else if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.status < 300 ? response.body : null;
}

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
  const api = team.lead.api;
  const panel = await must(api.post(`${ws()}/panels`, { name: "Core panel", fromDefault: true }), "panel");
  const outcome = [CORPUS[0], CORPUS[1], CORPUS[6], CORPUS[11]].join(" | ");
  async function studyWithResult(name: string, profileName: string) {
    const study = await must(
      api.post(`${ws()}/studies`, {
        title: `Trial of ${name}`,
        panelId: panel.id,
        arms: [
          { name, class: "anti-inflammatory" },
          { name: "placebo", class: "placebo" },
        ],
        outcomes: [{ name: outcome, kind: "continuous" }],
      }),
      `study ${JSON.stringify(name)}`,
    );
    const result = await must(
      api.post(`${ws()}/results`, {
        studyId: study.id,
        outcomeId: study.outcomes[0].id,
        interventionArmId: study.arms[0].id,
        comparatorArmId: study.arms[1].id,
        subgroup: name,
        data: { type: "continuous", intervention: { mean: 11, sd: 5, n: 20 }, comparator: { mean: 5, sd: 5, n: 20 } },
      }),
      "result",
    );
    const profile = await must(
      api.post(`${ws()}/profiles`, {
        name: profileName,
        criteria: { op: "and", items: [{ kind: "biomarker", code: "hs_crp", operator: ">", value: 3, unit: "mg/L" }] },
      }),
      `profile ${JSON.stringify(profileName)}`,
    );
    await must(api.request("PUT", `${ws()}/results/${result.id}/profile`, { profileId: profile.id }), "map");
    return { profile: profile.id as string, arm: name };
  }
  const made = [];
  for (const [i, text] of CORPUS.entries()) made.push(await studyWithResult(text, `${text} ${label(i)}`));
  const plainMade = await studyWithResult("plainumab", "Plain profile");

  const comparison = await must(api.get(`${ws()}/comparison`), "comparison");
  // Names are stored trimmed, as every name field does.
  const rowOf = (name: string) => comparison.rows.find((r: any) => r.kind === "intervention" && r.name === name.trim())?.key as string;
  for (const m of made) cells.push({ row: rowOf(m.arm), profile: m.profile });
  plain = { row: rowOf(plainMade.arm), profile: plainMade.profile };

  for (const [i, text] of CORPUS.entries()) {
    const goal = await tryCreate(
      `goal title ${label(i)}`,
      api.post(`${ws()}/goals`, {
        title: text,
        description: text,
        dueDate: "2027-03-01",
        milestones: [{ title: text, metric: "checkbox", dueDate: "2027-02-01" }],
      }),
    );
    if (!goal)
      await tryCreate(
        `goal (plain title) ${label(i)}`,
        api.post(`${ws()}/goals`, { title: `Goal ${label(i)}`, description: text, dueDate: "2027-03-01" }),
      );
  }
  await must(api.patch(ws(), { name: `Consortium ${CORPUS[0]}` }), "rename workspace");
  await must(api.patch("/api/v1/me", { name: `Lead ${CORPUS[3]}` }), "rename lead");
}, 180_000);

/**
 * R's own token stream of each script (one R run for all of them), comments
 * dropped and every string literal written as STR. A script R cannot parse
 * fails the run.
 */
async function rTokens(scripts: string[]): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "consilience-rparse-"));
  const files = scripts.map((script, i) => {
    const file = path.join(dir, `script-${i}.R`);
    fs.writeFileSync(file, script);
    return file;
  });
  const program = [
    "for (f in commandArgs(trailingOnly = TRUE)) {",
    "  p <- getParseData(parse(f, keep.source = TRUE, encoding = 'UTF-8'))",
    "  p <- p[p$terminal & p$token != 'COMMENT', ]",
    "  cat(paste(ifelse(p$token == 'STR_CONST', 'STR', p$text), collapse = ' '), '\\n', sep = '')",
    "}",
  ].join("\n");
  const output = await runR(["-e", program, ...files]);
  return output.split("\n").slice(0, scripts.length);
}

describe("files generated from user text", () => {
  it("every corpus entry reached its fields", () => {
    expect(cells.every((c) => c.row && c.profile)).toBe(true);
    expect(plain.row).toBeTruthy();
    console.log(`figure injection-corpus: ${CORPUS.length} entries; refused by a field: ${refused.length ? refused.join(", ") : "none"}`);
  });

  itWithR("the comparison's R scripts parse to the statements the app writes, whatever the names", async () => {
    const script = async (row: string, profile?: string) => {
      const response = await team.observer.api.get(
        `${ws()}/comparison/cell.R?row=${encodeURIComponent(row)}${profile ? `&profile=${profile}` : ""}`,
      );
      expect(response.status).toBe(200);
      return response.body as string;
    };
    const texts = [await script(plain.row, plain.profile), await script(plain.row)];
    for (const cell of cells) texts.push(await script(cell.row, cell.profile), await script(cell.row));
    for (const [i, text] of texts.entries())
      expect(
        text.split("\n").filter((l) => /^\s*system\(/.test(l)),
        `script ${i}`,
      ).toEqual([]);
    const [plainCell, plainRow, ...hostile] = await rTokens(texts);
    expect(plainCell).toContain("rma");
    for (const [i] of cells.entries()) {
      expect(hostile[2 * i], `cell script for ${label(i)}`).toBe(plainCell);
      expect(hostile[2 * i + 1], `row script for ${label(i)}`).toBe(plainRow);
    }
  });

  it("the calendar holds one event per due date and each title as written, as ical.js reads it", async () => {
    const response = await team.observer.api.get(`${ws()}/goals.ics`);
    expect(response.status).toBe(200);
    const text = response.body as string;
    // Every line ends in CRLF; no bare CR or LF, or any other line break, anywhere.
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n\u2028\u2029\u0085\u000b\u000c]/);
    const calendar = new ICAL.Component(ICAL.parse(text));
    const goals = (await team.observer.api.get(`${ws()}/goals`)).body.items as { title: string; dueDate: string | null }[];
    const events = calendar.getAllSubcomponents("vevent");
    const withDates = goals.filter((g) => g.dueDate).length;
    expect(events.length).toBeGreaterThanOrEqual(withDates);
    const allowed = new Set(["uid", "dtstamp", "dtstart", "dtend", "summary", "description"]);
    for (const event of events) {
      expect(
        event
          .getAllProperties()
          .map((p) => p.name)
          .filter((n) => !allowed.has(n)),
      ).toEqual([]);
      expect(event.getFirstPropertyValue("uid")).toMatch(/@127\.0\.0\.1$/); // the listening address: no APP_ORIGIN here
    }
    const summaries = events.map((e) => String(e.getFirstPropertyValue("summary")));
    const asCalendarText = (t: string) =>
      t
        .replace(/\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g, "\n")
        .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "");
    for (const goal of goals.filter((g) => g.dueDate)) expect(summaries).toContain(`Goal due: ${asCalendarText(goal.title)}`);
    expect(
      calendar
        .getAllProperties()
        .map((p) => p.name)
        .sort(),
    ).toEqual(["calscale", "method", "prodid", "version", "x-wr-calname"]);
  });

  it("the CSV files keep one record per row and every name in its own cell, formulas neutralised", async () => {
    for (const file of ["comparison.csv", "comparison/inputs.csv", "goals.csv"]) {
      const response = await team.observer.api.get(`${ws()}/${file}`);
      expect(response.status, file).toBe(200);
      const records: string[][] = parseCsv(response.body, { relax_column_count: false });
      const width = records[0].length;
      expect(
        records.every((r) => r.length === width),
        file,
      ).toBe(true);
      const cellsText = records.flat();
      expect(
        cellsText.filter((c) => /^[=+@]/.test(c) || /^-[^\d]/.test(c)),
        file,
      ).toEqual([]);
      if (file === "comparison/inputs.csv") {
        for (const text of CORPUS.filter((t) => !/^[=+\-@]/.test(t)))
          expect(cellsText, `${file} ${JSON.stringify(text)}`).toContain(text.trim());
      }
    }
  });

  it("the workspace ZIP's README keeps its lines whatever the workspace and its lead are called", async () => {
    const response = await fetch(`${server.url}${ws()}/export.zip`, { headers: { authorization: `Bearer ${team.lead.token}` } });
    expect(response.status).toBe(200);
    const zip = await JSZip.loadAsync(Buffer.from(await response.arrayBuffer()));
    const readme = await zip.file("README.txt")!.async("string");
    const lines = readme.split("\n");
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(
      /^Export of the Consilience workspace “Consortium infliximab system\("echo PWNED"\) #”, taken .* by Lead ls system\("echo PWNED"\) #\.$/,
    );
    expect(Object.keys(zip.files).every((name) => !name.includes("..") && !name.startsWith("/"))).toBe(true);
  });
});
