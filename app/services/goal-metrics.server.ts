/**
 * The computed key results: each metric kind counts itself from the
 * workspace's own tables, on every read, so a bar is never stale.
 */
import { and, count, countDistinct, eq } from "drizzle-orm";
import type { Reader } from "#db/client.ts";
import { containsIgnoringCase } from "#db/sql.ts";
import { panels, protocols, results, studies } from "#db/schema.ts";
import { METRIC_LABELS, measureManual, type Measurement, type MetricKind, type MetricParams } from "#app/domain/goals.ts";
import { isHarmonisedDataset, type DatasetColumnLike } from "#app/domain/goal-health.ts";
import { latestReadyDatasets } from "./dataset-views.server.ts";

export type Db = Reader;

interface MetricDefinition {
  label: string;
  /** Stored fields of the milestone the compute may use (manual metrics read them). */
  compute(
    db: Db,
    workspaceId: string,
    params: MetricParams,
    stored: { target: number | null; value: number | null; done: boolean },
  ): Measurement | Promise<Measurement>;
}

const studyCount = async (db: Db, workspaceId: string) =>
  (await db.select({ n: count() }).from(studies).where(eq(studies.workspaceId, workspaceId)))[0]!.n;

/** The workspace's current datasets, with their columns, for the metrics and the dashboard. */
export async function latestDatasets(
  db: Db,
  workspaceId: string,
): Promise<{ id: string; studyId: string; name: string; columns: DatasetColumnLike[] }[]> {
  return await latestReadyDatasets(db, { workspaceId });
}

export const METRICS: Record<MetricKind, MetricDefinition> = {
  checkbox: {
    label: METRIC_LABELS.checkbox,
    compute: (_db, _ws, _p, stored) => measureManual("checkbox", stored),
  },
  manual_number: {
    label: METRIC_LABELS.manual_number,
    compute: (_db, _ws, _p, stored) => measureManual("manual_number", stored),
  },
  studies_with_results: {
    label: METRIC_LABELS.studies_with_results,
    async compute(db, workspaceId, params, stored) {
      const subgroup = params.subgroup?.trim();
      const where = subgroup
        ? and(eq(results.workspaceId, workspaceId), containsIgnoringCase(results.subgroup, subgroup))
        : eq(results.workspaceId, workspaceId);
      const current = (
        await db
          .select({ n: countDistinct(results.studyId) })
          .from(results)
          .where(where)
      )[0]!.n;
      return { current, target: stored.target ?? (await studyCount(db, workspaceId)) };
    },
  },
  results_count: {
    label: METRIC_LABELS.results_count,
    compute: async (db, workspaceId, _p, stored) => ({
      current: (await db.select({ n: count() }).from(results).where(eq(results.workspaceId, workspaceId)))[0]!.n,
      target: stored.target,
    }),
  },
  studies_count: {
    label: METRIC_LABELS.studies_count,
    compute: async (db, workspaceId, _p, stored) => ({ current: await studyCount(db, workspaceId), target: stored.target }),
  },
  panels_count: {
    label: METRIC_LABELS.panels_count,
    compute: async (db, workspaceId, _p, stored) => ({
      current: (await db.select({ n: count() }).from(panels).where(eq(panels.workspaceId, workspaceId)))[0]!.n,
      target: stored.target,
    }),
  },
  datasets_harmonised: {
    label: METRIC_LABELS.datasets_harmonised,
    async compute(db, workspaceId, _p, stored) {
      const datasets = await latestDatasets(db, workspaceId);
      return { current: datasets.filter((d) => isHarmonisedDataset(d.columns)).length, target: stored.target ?? datasets.length };
    },
  },
  protocol_approved: {
    label: METRIC_LABELS.protocol_approved,
    async compute(db, workspaceId, params) {
      const row = (
        await db
          .select({ status: protocols.status })
          .from(protocols)
          .where(and(eq(protocols.id, params.protocolId ?? ""), eq(protocols.workspaceId, workspaceId)))
      )[0];
      if (!row) return { current: 0, target: 1, note: "No protocol with this id in this workspace." };
      return { current: row.status === "approved" ? 1 : 0, target: 1 };
    },
  },
};
