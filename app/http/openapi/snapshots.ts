/** Snapshots: an analysis frozen for publication, its differences from others and from the live view, and its RO-Crate. */
import {
  CreateSnapshotInput,
  SnapshotCreatedJson,
  SnapshotDiffJson,
  SnapshotJson,
  SnapshotListJson,
  SnapshotSummaryJson,
  WithdrawSnapshotInput,
} from "#app/schemas/snapshots.ts";
import { type ApiArea, attachment, json, media } from "#app/http/openapi/contract.ts";

export const snapshotsArea: ApiArea = {
  tags: [
    {
      name: "snapshots",
      description:
        "The comparison (or one cell), or an effect-modification analysis, frozen with its inputs, options and numbers, hashed, citable and never changed",
    },
  ],
  pathParameters: { snapshotId: "The snapshot id.", otherId: "The id of the snapshot to compare with." },
  paths: {
    "/api/v1/workspaces/{ws}/snapshots": {
      get: {
        operationId: "listSnapshots",
        summary: "The workspace's snapshots, newest first",
        tag: "snapshots",
        responses: { 200: json("The snapshots.", SnapshotListJson) },
        errors: [404],
      },
      post: {
        operationId: "createSnapshot",
        summary: "Freeze the comparison, or one row or cell of it (lead)",
        description:
          "Takes the comparison's options as its query does (outcome, measure, method, knha, prefer, exclude). The snapshot stores every input, option and number as canonical JSON (RFC 8785) with its SHA-256; 422 when the comparison has nothing to freeze.",
        tag: "snapshots",
        body: CreateSnapshotInput,
        responses: { 201: json("The new snapshot.", SnapshotCreatedJson) },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/snapshots/{snapshotId}": {
      get: {
        operationId: "getSnapshot",
        summary: "A snapshot as it was frozen (never changes; a withdrawal adds its notice)",
        tag: "snapshots",
        responses: { 200: json("The snapshot with its content.", SnapshotJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/snapshots/{snapshotId}/ro-crate.zip": {
      get: {
        operationId: "exportSnapshotCrate",
        summary: "The snapshot as an RO-Crate 1.1 ZIP",
        description:
          "ro-crate-metadata.json (JSON-LD, every file with its size and SHA-256), snapshot.json (the canonical JSON), comparison-inputs.csv, comparison-results.csv, R/*.R (one script per row that recomputes its cells with metafor), datacite.json and README.md.",
        tag: "snapshots",
        responses: {
          200: media("A ZIP archive.", "application/zip", { binary: true, headers: attachment("snapshot-<number>-<title>.zip") }),
        },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/snapshots/{snapshotId}/withdraw": {
      post: {
        operationId: "withdrawSnapshot",
        summary: "Withdraw a snapshot (lead): it stays readable, with the reason",
        tag: "snapshots",
        body: WithdrawSnapshotInput,
        responses: { 200: json("The snapshot with its withdrawal.", SnapshotSummaryJson) },
        errors: [404],
      },
    },
    "/api/v1/workspaces/{ws}/snapshots/{snapshotId}/changes": {
      get: {
        operationId: "getSnapshotChanges",
        summary: "What changed in the live analysis since the snapshot (“3 cells moved, 1 new study”)",
        description:
          "The snapshot's own question (scope and options) asked of the workspace as it is now. An effect-modification snapshot answers with effectModification (pooled interaction, trials moved, new or gone, sources updated); 422 naming why when the live view can no longer ask the question (its outcome, intervention or biomarker is gone).",
        tag: "snapshots",
        responses: { 200: json("The differences, to: null.", SnapshotDiffJson) },
        errors: [404, 422],
      },
    },
    "/api/v1/workspaces/{ws}/snapshots/{snapshotId}/diff/{otherId}": {
      get: {
        operationId: "diffSnapshots",
        summary: "What differs from one snapshot to another",
        description:
          "Two snapshots of the comparison (or its cells) give cells, studies and profiles; two effect-modification snapshots give effectModification. 422 when one is of the comparison and the other an effect-modification analysis: they answer different questions.",
        tag: "snapshots",
        responses: { 200: json("The differences.", SnapshotDiffJson) },
        errors: [404, 422],
      },
    },
  },
};
