/**
 * Every file of the malformed corpus (tests/fixtures/make-malformed.ts) is
 * refused with a clear 4xx naming the row and column where it applies, and
 * the database is left exactly as it was. BOM, CRLF and quoted newlines are
 * not malformed: they import.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { workspaceWithRoles } from "#tests/support/api.ts";
import { studyWithDefaultPanel, uploadDataset } from "#tests/support/datasets.ts";
import { useServer } from "#tests/support/server.ts";
import { caseBytes, MALFORMED } from "#tests/fixtures/make-malformed.ts";

const server = useServer();
let team: Awaited<ReturnType<typeof workspaceWithRoles>>;
let studyId: string;

const TABLES = ["datasets", "dataset_rows", "dataset_sources", "events"];
/** How many rows each table the import writes holds. */
const databaseState = async () => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await server.database.count(t)])));

beforeAll(async () => {
  team = await workspaceWithRoles(server.url);
  ({ studyId } = await studyWithDefaultPanel(team.contributor.api, team.workspaceId));
});

describe("a malformed dataset file", () => {
  it("the corpus holds at least 40 cases", () => {
    expect(MALFORMED.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of MALFORMED) {
    it(`is refused: ${c.what} (${c.file}) → ${c.status}`, async () => {
      const before = await databaseState();
      const bytes = await caseBytes(c);
      const response = await uploadDataset(team.contributor.api, team.workspaceId, studyId, bytes, {
        fileName: c.file,
        type: c.type ?? "text/csv",
        raw: c.raw,
        kind: c.kind,
        mappingText: c.mapping,
      });
      expect(response.status, JSON.stringify(response.body).slice(0, 500)).toBe(c.status);
      expect(response.body.error.message).toMatch(c.message);
      if (c.row !== undefined) expect(response.body.error.details[0].row).toBe(c.row);
      if (c.column !== undefined) expect(response.body.error.details[0].column).toBe(c.column);
      expect(await databaseState()).toEqual(before);
    });
  }
});

describe("files that look unusual but are valid", () => {
  const valid: [string, string | Buffer][] = [
    ["a UTF-8 byte-order mark", "\uFEFFparticipant_id,crp\nP1,1.5\nP2,0.4\n"],
    ["CRLF line endings", "participant_id,crp\r\nP1,1.5\r\nP2,0.4\r\n"],
    ["a BOM and CRLF together, no final newline", "\uFEFFparticipant_id,crp\r\nP1,1.5\r\nP2,0.4"],
    ["a quoted newline inside a value", 'participant_id,notes,crp\nP1,"line one\nline two",1.5\nP2,"",0.4\n'],
    ["blank lines between rows", "participant_id,crp\nP1,1.5\n\nP2,0.4\n\n"],
    ["missing values spelled NA and empty", "participant_id,crp\nP1,NA\nP2,\n"],
  ];
  for (const [what, content] of valid) {
    it(`imports a file with ${what}`, async () => {
      const response = await uploadDataset(team.contributor.api, team.workspaceId, studyId, content, { name: `valid: ${what}` });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body.rowCount).toBe(2);
      expect(response.body.columns[0].name).toBe("participant_id");
    });
  }

  it("keeps the quoted newline in the value", async () => {
    const response = await uploadDataset(team.contributor.api, team.workspaceId, studyId, 'participant_id,notes\nP1,"a\nb"\n', {
      name: "newline",
    });
    const rows = await team.contributor.api.get(`/api/v1/workspaces/${team.workspaceId}/datasets/${response.body.id}/rows`);
    expect(rows.body.items[0].values[1]).toBe("a\nb");
  });
});
