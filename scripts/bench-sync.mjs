// Sync benchmarks against the real server (release build of the `server` profile, SQLite in a
// temporary folder, over HTTP on loopback), checked against the budgets of ARCHITECTURE.md:
//   push throughput: 10 tablets push 1,000 walk-around edits each (10,000 mutations of about
//                    1.5 KB) at the same time, in batches of 500; target >= 5,000 mutations/s
//   pull latency:    50 tablets poll /api/sync/pull once a second each (the app polls every 30 s)
//                    for 10 s while another tablet keeps changing visits; target p99 < 20 ms
//   pull saturation: the same 50 tablets polling back to back, for the record (no target)
// Usage: node scripts/bench-sync.mjs [--write]   (--write updates BENCHMARKS.md between markers)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { api, walkIn, startServer } from "../tests/e2e/support.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const TARGET_PUSH_PER_S = 5000;
const TARGET_PULL_P99_MS = 20;
const DEVICES = 10;
const PER_DEVICE = 1000;
const BATCH = 500;
const POLLERS = 50;
const POLL_SECONDS = 10;
const POLL_INTERVAL_MS = 1000;

execFileSync("cargo", ["build", "--quiet", "--locked", "--profile", "server", "-p", "lane-server"], { cwd: root, stdio: "inherit" });
const dist = mkdtempSync(join(tmpdir(), "lane-bench-dist-"));
writeFileSync(join(dist, "index.html"), "<!DOCTYPE html><title>bench</title>");
process.env.LANE_SERVER_BIN = join(root, "target/server/lane-server");
process.env.LANE_ADMIN_TOKEN = "bench-admin-token";
const server = await startServer({ dist });

const call = (method, path, options) => api(server, method, path, options);

async function tablet(n) {
  const admin = process.env.LANE_ADMIN_TOKEN;
  const { code } = await call("POST", "/api/admin/enrolment-codes", { token: admin, body: { kind: "tablet", name: `Bench tablet ${n}` } });
  const device = await call("POST", "/api/devices/enrol", { body: { code } });
  const session = await call("POST", "/api/advisors/sign-in", { token: device.token, body: { advisor: "adv-1", pin: "1111" } });
  return { id: device.device, token: device.token, session: session.token, seq: 0 };
}

const ITEMS = ["tyres", "front_lights", "wipers", "fluids", "belts", "hoses", "battery", "boot", "tail_lights", "underbody", "interior_trim", "controls", "instrument_panel"];
const ZONES = ["bonnet", "roof", "boot", "front_bumper", "rear_bumper"];

// A realistic inspection: every checklist item, three damage marks with notes, two lights.
function walkaround(n) {
  return {
    marks: [0, 1, 2].map((i) => ({
      id: `m-${n}-${i}`,
      zone: ZONES[(n + i) % ZONES.length],
      kind: ["scratch", "dent", "chip"][i],
      severity: ["minor", "moderate", "severe"][i],
      note: `Mark ${i} of inspection ${n}: about 3 cm, visible in daylight, customer aware`,
      photos: [],
    })),
    checklist: ITEMS.map((item, i) => ({ item, outcome: i % 5 === 0 ? "attention" : "ok", note: i % 5 === 0 ? "Worth a look at the next service" : "" })),
    warning_lights: ["tyre_pressure", "check_engine"],
  };
}

function mutation(device, change) {
  device.seq += 1;
  return { id: `${device.id.slice(0, 8)}-${device.seq}-${Math.random().toString(36).slice(2, 10)}`, device: device.id, seq: device.seq, at: new Date().toISOString(), change };
}

async function push(device, mutations) {
  const body = { mutations };
  const bytes = JSON.stringify(body).length;
  const answer = await call("POST", "/api/sync/push", { token: device.token, session: device.session, body });
  const rejected = answer.results.filter((r) => r.outcome !== "applied");
  if (answer.results.length !== mutations.length || rejected.length) throw new Error(`push not applied: ${JSON.stringify(rejected[0] ?? answer).slice(0, 400)}`);
  return bytes;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

try {
  const tablets = [];
  for (let n = 0; n < DEVICES; n++) tablets.push(await tablet(n));
  // Each tablet opens one visit (a walk-in) whose walk-around it then edits.
  for (const [n, t] of tablets.entries()) {
    await push(t, [mutation(t, { type: "check_in", visit: `bench-visit-${n}`, arrival: { walk_in: walkIn(n) }, transport: "wait", concerns: "", key_tag: null })]);
  }
  const batches = tablets.map((t, n) => {
    const all = Array.from({ length: PER_DEVICE }, (_, i) => mutation(t, { type: "edit_visit", visit: `bench-visit-${n}`, base: 0, edit: { field: "walkaround", value: walkaround(i) } }));
    return Array.from({ length: PER_DEVICE / BATCH }, (_, b) => all.slice(b * BATCH, (b + 1) * BATCH));
  });
  const mutationBytes = JSON.stringify(batches[0][0][0]).length;
  const started = performance.now();
  await Promise.all(tablets.map(async (t, n) => { for (const batch of batches[n]) await push(t, batch); }));
  const seconds = (performance.now() - started) / 1000;
  const perSecond = Math.round((DEVICES * PER_DEVICE) / seconds);

  const pollers = [];
  for (let n = 0; n < POLLERS; n++) pollers.push(await tablet(100 + n));
  const head = (await call("GET", "/api/sync/pull?cursor=0&limit=1000", { token: pollers[0].token })).cursor;
  let cursor = head;
  for (;;) {
    const page = await call("GET", `/api/sync/pull?cursor=${cursor}&limit=1000`, { token: pollers[0].token });
    cursor = page.cursor;
    if (!page.more) break;
  }
  // A busy lane meanwhile: one tablet saves five walk-around edits every 200 ms.
  const writer = tablets[0];
  let writing = true;
  const writes = (async () => {
    for (let i = 0; writing; i++) {
      await push(writer, Array.from({ length: 5 }, (_, k) => mutation(writer, { type: "edit_visit", visit: "bench-visit-0", base: 0, edit: { field: "walkaround", value: walkaround(i * 5 + k) } })));
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const poll = async (p, latencies, until, interval) => {
    await new Promise((r) => setTimeout(r, Math.random() * interval));
    while (performance.now() < until) {
      const t0 = performance.now();
      const page = await call("GET", `/api/sync/pull?cursor=${p.cursor ?? cursor}`, { token: p.token });
      p.cursor = page.cursor;
      latencies.push(performance.now() - t0);
      if (interval) await new Promise((r) => setTimeout(r, Math.max(0, interval - (performance.now() - t0))));
    }
  };
  const latencies = [];
  const until = performance.now() + POLL_SECONDS * 1000;
  await Promise.all(pollers.map((p) => poll(p, latencies, until, POLL_INTERVAL_MS)));
  latencies.sort((a, b) => a - b);
  const p50 = percentile(latencies, 50), p99 = percentile(latencies, 99);
  const saturated = [];
  const saturatedUntil = performance.now() + 5000;
  await Promise.all(pollers.map((p) => poll(p, saturated, saturatedUntil, 0)));
  writing = false;
  await writes;
  saturated.sort((a, b) => a - b);

  const rows = [
    `| push throughput, ${DEVICES} tablets x ${PER_DEVICE} walk-around edits (${(mutationBytes / 1024).toFixed(1)} KiB each), batches of ${BATCH} | ${perSecond} mutations/s (${seconds.toFixed(2)} s) | >= ${TARGET_PUSH_PER_S} mutations/s |`,
    `| pull latency, ${POLLERS} tablets polling once a second for ${POLL_SECONDS} s while a tablet saves 25 changes/s (${latencies.length} polls) | p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms | p99 < ${TARGET_PULL_P99_MS} ms |`,
    `| pull saturation, the same ${POLLERS} tablets polling back to back for 5 s | ${Math.round(saturated.length / 5)} polls/s, p50 ${percentile(saturated, 50).toFixed(2)} ms, p99 ${percentile(saturated, 99).toFixed(2)} ms | none |`,
  ];
  const table = ["| measure | result | target |", "| --- | --- | --- |", ...rows].join("\n");
  console.log(table);
  if (process.argv.includes("--write")) {
    const file = join(root, "BENCHMARKS.md");
    const text = readFileSync(file, "utf8");
    const replaced = text.replace(/(<!-- sync:begin -->)[\s\S]*?(<!-- sync:end -->)/, `$1\n${table}\n$2`);
    if (replaced === text && !text.includes(table)) throw new Error("BENCHMARKS.md lacks the <!-- sync:begin --> / <!-- sync:end --> markers");
    writeFileSync(file, replaced);
  }
  const failures = [];
  if (perSecond < TARGET_PUSH_PER_S) failures.push(`push ${perSecond}/s is below ${TARGET_PUSH_PER_S}/s`);
  if (p99 >= TARGET_PULL_P99_MS) failures.push(`pull p99 ${p99.toFixed(2)} ms is not below ${TARGET_PULL_P99_MS} ms`);
  if (failures.length) {
    console.log(`sync: OVER BUDGET: ${failures.join("; ")}`);
    process.exitCode = 1;
  } else {
    console.log("sync: within budget");
  }
} catch (error) {
  console.error(server.logs());
  throw error;
} finally {
  await server.stop();
  rmSync(dist, { recursive: true, force: true });
}
