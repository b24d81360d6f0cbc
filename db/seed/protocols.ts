/**
 * Two protocols of the demo consortium, each with a few versions and notes:
 * the blood sampling SOP (approved by the lead) and the draft scoring rule for
 * energy-related depressive symptoms from the IDS-SR30.
 */
import type { PublicUser } from "#app/services/accounts.server.ts";
import { createProtocol, saveProtocolVersion, updateProtocol } from "#app/services/protocols.server.ts";
import type { SeedContext } from "./studies.ts";

const SAMPLING_V1 = `# Blood sampling and hs-CRP assay

Standard operating procedure for the consortium's inflammation measures. Every site follows it, so that hs-CRP values can be pooled across studies.

## Participant preparation

- Sample between **08:00 and 10:00** after an overnight fast (at least 8 hours; water allowed).
- No strenuous exercise in the 24 hours before sampling.
- Record on the sampling form: time of sampling, hours fasted, current medication (statins, NSAIDs, aspirin, oral contraceptives, antidepressants), smoking status, height and weight.

## Collection

1. Draw venous blood into one 8.5 mL serum separator tube (SST).
2. Invert the tube five times; do not shake.
3. Let the blood clot upright at room temperature for 30 minutes.

## Processing

Centrifuge at 1500 g for 10 minutes at room temperature, within 2 hours of the draw.

## Storage

Aliquot the serum into four 0.5 mL cryovials labelled with the pseudonymised participant code and the visit. Store at −80 °C.

## Assay

hs-CRP is measured centrally by a high-sensitivity immunoturbidimetric assay (lower limit of detection 0.15 mg/L). Results are reported in **mg/L** with two decimals.
`;

const SAMPLING_V2 = SAMPLING_V1.replace(
  "## Collection",
  `## When not to sample

Postpone sampling by at least two weeks if the participant reports fever, an infection, a vaccination or surgery in the past two weeks.

## Collection`,
).replace(
  "Results are reported in **mg/L** with two decimals.",
  `Results are reported in **mg/L** with two decimals.

A value above **10 mg/L** suggests acute inflammation rather than the low-grade inflammation we study: ask the participant back for a second sample after two weeks, and analyse the second value.`,
);

const SAMPLING_V3 = SAMPLING_V2.replace(
  "Centrifuge at 1500 g for 10 minutes at room temperature, within 2 hours of the draw.",
  "Centrifuge at 2000 g for 10 minutes at room temperature, within 2 hours of the draw, as the tube manufacturer specifies for SST tubes.",
).replace(
  "Store at −80 °C.",
  `Store at −80 °C.

- At most **one freeze–thaw cycle** before the assay; note any further thaw on the sample log.
- Ship to the central laboratory on dry ice with a temperature logger, Monday to Wednesday only, so that no parcel waits over a weekend.`,
);

const ENERGY_V1 = `# Energy-related symptom score (IDS-SR30 items)

How the consortium scores the energy-related depressive symptoms that go with inflammation and metabolic dysregulation, from the self-report Inventory of Depressive Symptomatology (IDS-SR30).

## Items

| Symptom | IDS-SR30 item |
|:--|:--|
| Hypersomnia | 4: sleeping too much |
| Increased appetite | 12 |
| Weight gain | 14 |
| Low energy, fatigue | 20: energy level |
| Leaden paralysis | 30: leaden paralysis / physical energy |

## Scoring

Each item is scored 0–3 as answered. The score is the sum of the five items (0–15).
`;

const ENERGY_V2 = ENERGY_V1.replace(
  "Each item is scored 0–3 as answered. The score is the sum of the five items (0–15).",
  `Each item is scored 0–3 as answered. The score is the sum of the five items (0–15).

Appetite (items 11 and 12) and weight (items 13 and 14) are answered in one direction only: a participant who rates decreased appetite scores 0 on item 12, and one who rates weight loss scores 0 on item 14.`,
);

const ENERGY_V3 = `${ENERGY_V2}
## Missing items

- One missing item: replace it by the mean of the other four, rounded to the nearest integer.
- Two or more missing items: the score is missing.

## Reporting

Report the score as a continuous variable, and the IDS-SR30 total alongside it, so that readers can see how much of a change in the total comes from these five items.
`;

export async function seedProtocols(ctx: SeedContext) {
  const [immunologist, endocrinologist] = ctx.contributors;
  const save = async (author: PublicUser, id: string, baseVersion: number, body: string, note: string) =>
    await saveProtocolVersion(author, ctx.workspaceId, id, { body, baseVersion, note });

  const sampling = await createProtocol(immunologist, ctx.workspaceId, {
    title: "Blood sampling and hs-CRP assay SOP",
    body: SAMPLING_V1,
    note: "First draft, from the immunology lab's local SOP",
  });
  await save(immunologist, sampling.id, 1, SAMPLING_V2, "Postpone after infection; re-sample when hs-CRP > 10 mg/L");
  await save(endocrinologist ?? immunologist, sampling.id, 2, SAMPLING_V3, "2000 g for SST tubes; freeze–thaw limit and shipping rules");
  await updateProtocol(ctx.lead, ctx.workspaceId, sampling.id, { status: "approved", baseVersion: 3 });

  const energy = await createProtocol(ctx.lead, ctx.workspaceId, {
    title: "Energy-related symptom score (IDS-SR30 items)",
    body: ENERGY_V1,
    note: "Items as agreed at the kick-off meeting",
  });
  await save(endocrinologist ?? ctx.lead, energy.id, 1, ENERGY_V2, "Appetite and weight items count in one direction only");
  await save(ctx.lead, energy.id, 2, ENERGY_V3, "Rules for missing items and reporting");

  return { samplingId: sampling.id, energyId: energy.id };
}
