import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { ApiClient } from "#tests/support/api.ts";
import { useServer } from "#tests/support/server.ts";

const PASSWORD = "demo-password-for-tests";
const server = useServer({ SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD });
const as = async (email: string) => {
  const issued = await new ApiClient(server.url).post("/api/v1/auth/token", { email, password: PASSWORD });
  return new ApiClient(server.url, issued.body.token);
};

describe("exporting a whole workspace", () => {
  it("gives a lead one archive with every record, the audit trail and the datasets, and records the export", async () => {
    const lead = await as("lead@demo.example");
    const workspaceId = (await lead.get("/api/v1/workspaces")).body.items[0].id;
    // A protocol saved by a script has a live draft, exported as its text.
    const protocol = (await lead.get(`/api/v1/workspaces/${workspaceId}/protocols`)).body.items[0];
    const saved = await lead.post(`/api/v1/workspaces/${workspaceId}/protocols/${protocol.id}/versions`, {
      baseVersion: protocol.version,
      body: "# Exported draft\n",
    });
    expect(saved.status).toBe(201);
    const response = await fetch(`${server.url}/api/v1/workspaces/${workspaceId}/export.zip`, {
      headers: { authorization: `Bearer ${lead.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const zip = await JSZip.loadAsync(Buffer.from(await response.arrayBuffer()));
    const names = Object.keys(zip.files);
    for (const expected of [
      "README.txt",
      "workspace.json",
      "audit-trail.csv",
      "records/protocols.json",
      "records/protocol_versions.json",
      "records/panel_biomarkers.json",
      "records/studies.json",
      "records/results.json",
      "records/comments.json",
      "records/goals.json",
    ]) {
      expect(names).toContain(expected);
    }
    expect(names.filter((n) => n.startsWith("datasets/") && n.endsWith(".csv"))).toHaveLength(3);
    expect(await zip.file(`drafts/${protocol.id}.md`)?.async("string")).toBe("# Exported draft\n");
    expect(names).not.toContain("records/protocol_drafts.json");
    expect(names).not.toContain("records/protocol_draft_updates.json");
    const workspace = JSON.parse(await zip.file("workspace.json")!.async("string"));
    expect(workspace.members).toHaveLength(4);
    const biomarkers = JSON.parse(await zip.file("records/panel_biomarkers.json")!.async("string"));
    expect(biomarkers.map((b: { code: string }) => b.code)).toContain("hs_crp");
    // Nothing secret leaves: no password hashes, no session or token hashes, no invitation tokens.
    const everything = (await Promise.all(names.map((n) => zip.file(n)?.async("string") ?? ""))).join("\n");
    expect(everything).not.toMatch(/password_hash|token_hash|\$argon2/);
    const audit = await zip.file("audit-trail.csv")!.async("string");
    expect(audit).toContain("workspace.exported");
  });

  it("refuses a contributor (403) and a non-member (404)", async () => {
    const lead = await as("lead@demo.example");
    const workspaceId = (await lead.get("/api/v1/workspaces")).body.items[0].id;
    const contributor = await as("immunology@demo.example");
    expect((await contributor.get(`/api/v1/workspaces/${workspaceId}/export.zip`)).status).toBe(403);
    const stranger = new ApiClient(server.url);
    await stranger.post("/api/v1/auth/register", { email: "stranger@test.example", name: "Stranger", password: PASSWORD });
    const token = (await stranger.post("/api/v1/auth/token", { email: "stranger@test.example", password: PASSWORD })).body.token;
    expect((await stranger.withToken(token).get(`/api/v1/workspaces/${workspaceId}/export.zip`)).status).toBe(404);
  });
});
