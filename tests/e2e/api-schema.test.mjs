// Schemathesis (from PyPI, pinned in tools/schemathesis) generates requests from the served
// /api/openapi.json, valid and invalid, against the real server, with a tablet's token and an
// advisor session so that authenticated paths are reached: no answer may be a server error, and
// every answer must match the document.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "./support.mjs";

const ADMIN = "schemathesis-admin-token";

test("the API answers schemathesis' generated requests without a server error, as documented", async () => {
  const schemathesis = process.env.LANE_SCHEMATHESIS;
  assert.ok(schemathesis, "LANE_SCHEMATHESIS names the schemathesis binary (scripts/test sets it)");
  process.env.LANE_ADMIN_TOKEN = ADMIN;
  const server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), "lane-schemathesis-"));
  try {
    const post = async (path, body, headers = {}) => {
      const response = await fetch(server.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
      assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
      return response.json();
    };
    const { code } = await post("/api/admin/enrolment-codes", { kind: "tablet", name: "Schemathesis" }, { authorization: `Bearer ${ADMIN}` });
    const device = await post("/api/devices/enrol", { code });
    const session = await post("/api/advisors/sign-in", { advisor: "adv-2", pin: "2222" }, { authorization: `Bearer ${device.token}` });
    const run = spawnSync(
      schemathesis,
      [
        "run", `${server.url}/api/openapi.json`,
        "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        "--header", `Authorization: Bearer ${device.token}`,
        "--header", `lane-advisor-session: ${session.token}`,
        // Wrong PINs lock adv-2, revocation needs the admin token it does not have: both fine.
        "--max-examples", "40",
        // One worker: Python 3.11's ast.parse is not thread-safe ("AST constructor recursion depth
        // mismatch" inside hypothesis, now and then, with two).
        "--workers", "1",
        "--seed", "20261124",
        "--report", "junit", "--report-dir", dir,
      ],
      // Its working folder gets a cache; keep it out of the checkout.
      { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 300_000 },
    );
    assert.equal(run.status, 0, `schemathesis found problems:\n${run.stdout}\n${run.stderr}\n--- server log ---\n${server.logs().slice(-4000)}`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    delete process.env.LANE_ADMIN_TOKEN;
  }
});
