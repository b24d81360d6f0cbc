/**
 * consilience-site: the command a partner runs on its own machine when its
 * participant-level data may not leave the site (docs/decisions/019-site-summaries.md).
 *
 *   node consilience-site.mjs summarise data.csv --kit site-kit.json [--out site-summary.json]
 *
 * It reads the study's site kit and the CSV, and writes the summary: per
 * profile and arm, outcome summaries; per arm, outcome and biomarker, the
 * treatment × biomarker interaction; and every cell withheld for having fewer
 * participants than the kit's minimum, with why. No participant-level value is
 * written and nothing is sent anywhere: this file uses Node's built-ins only
 * (fs, path, crypto) and opens no connection.
 *
 * Bundled with everything it needs into public/downloads/consilience-site.mjs
 * by app/site/bundle.ts (npm run build).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DatasetFileError, decodeCsvText } from "#app/domain/dataset-files.ts";
import { SITE_KIT_FORMAT, type SiteKit, type SiteSummary, summariseSite } from "#app/domain/site-summary.ts";

const USAGE = `Usage: node consilience-site.mjs summarise <data.csv> --kit <site-kit.json> [--out <site-summary.json>]

Reads a participant-level CSV (comma-separated, UTF-8, one row per participant, with a
participant id column and an arm column) on this machine, applies the study's panel and
profiles from the site kit, and writes a summary with no participant-level values.
Cells with fewer participants than the kit's minimum are withheld and listed.
Nothing is sent over the network.`;

/** Wrong arguments: the usage is printed and the exit code is 2. */
class UsageError extends Error {}

interface Arguments {
  csv: string;
  kit: string;
  out: string;
}

function parseArguments(argv: string[]): Arguments | "help" {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) return "help";
  const [command, ...rest] = argv;
  if (command !== "summarise" && command !== "summarize") throw new UsageError(`Unknown command “${command}”.`);
  const options: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--kit" || arg === "--out") {
      const value = rest[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a file name.`);
      options[arg.slice(2)] = value;
    } else if (arg.startsWith("--")) throw new UsageError(`Unknown option “${arg}”.`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError("Name exactly one CSV file to summarise.");
  if (!options.kit) throw new UsageError("Name the study's site kit with --kit site-kit.json (download it from the study's page).");
  return { csv: positional[0], kit: options.kit, out: options.out ?? "site-summary.json" };
}

function readKit(file: string): SiteKit {
  let kit: SiteKit;
  try {
    kit = JSON.parse(fs.readFileSync(file, "utf8")) as SiteKit;
  } catch (error) {
    throw new Error(`The site kit ${file} cannot be read: ${(error as Error).message}`);
  }
  if (kit?.format !== SITE_KIT_FORMAT) {
    throw new Error(`${file} is not a Consilience site kit (format ${SITE_KIT_FORMAT}); download it again from the study's page.`);
  }
  return kit;
}

/** What was written and what was withheld, for the person at the terminal. */
function report(kit: SiteKit, summary: SiteSummary, out: string): string {
  const lines = [
    `Study: ${kit.study.title} (version ${kit.study.version}), workspace ${kit.workspace.name}`,
    `Read ${summary.source.rows} participants from ${summary.source.fileName} (sha256 ${summary.source.sha256.slice(0, 16)}…).`,
    "",
  ];
  for (const profile of summary.profiles) {
    if (!profile.evaluable) {
      lines.push(`Profile “${profile.name}”: cannot be applied to this file: ${profile.problems.map((p) => p.message).join(" ")}`);
      continue;
    }
    const arms = profile.arms.map((a) => `${a.arm} n = ${a.n}`).join(", ");
    lines.push(`Profile “${profile.name}”: ${arms || "every arm withheld"}`);
  }
  const outcomeName = new Map(kit.study.outcomes.map((o) => [o.id, o.name]));
  const armName = new Map(kit.study.arms.map((a) => [a.id, a.name]));
  lines.push("", `Interactions: ${summary.interactions.length}`);
  for (const i of summary.interactions) {
    const per = i.scale === "log2" ? "per doubling" : `per ${i.per}`;
    lines.push(
      `  ${outcomeName.get(i.outcomeId)} × ${i.biomarker} (${per}), ${armName.get(i.intervention)} vs ${armName.get(i.comparator)}: ` +
        `${i.interaction.toPrecision(4)} (SE ${i.se.toPrecision(4)}), n = ${i.n}`,
    );
  }
  lines.push("", `Withheld (fewer than ${summary.minimumCellSize} participants, or not estimable): ${summary.withheld.length}`);
  for (const w of summary.withheld) lines.push(`  ${w.where}: ${w.reason}`);
  lines.push("", `Wrote ${out}. Look it over, then upload it to the study in Consilience.`);
  return lines.join("\n");
}

function main(argv: string[]): number {
  let args: Arguments | "help";
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const kit = readKit(args.kit);
    const bytes = fs.readFileSync(args.csv);
    const summary = summariseSite(kit, {
      fileName: path.basename(args.csv),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      text: decodeCsvText(bytes),
    });
    fs.writeFileSync(args.out, `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(`${report(kit, summary, args.out)}\n`);
    return 0;
  } catch (error) {
    const prefix = error instanceof DatasetFileError ? `${args.csv}: ` : "";
    process.stderr.write(`${prefix}${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
