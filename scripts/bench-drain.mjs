// Drain benchmark: in the browser, the time from the `online` event until 1,000 and 10,000 changes
// queued offline are acknowledged by the server, with the requests made and the bytes sent.
//   The real release app, built with the `bench` cargo feature into target/bench-dist (src/bench.rs:
//   hooks that queue realistic walk-around edits through the app's own save path and note when a
//   push's answers were stored; the normal build has none of it), served by the real server
//   (release build of the `server` profile, SQLite in a temporary folder) on loopback, in headless
//   Chromium driven by playwright-core. For each size, with a fresh server:
//   1. a helper tablet checks in VISITS walk-ins over the HTTP API;
//   2. the browser is set up as a tablet through its UI and Li Na signs in; it pulls the visits;
//   3. the network is cut (`context.setOffline(true)`) and N walk-around edits (every checklist
//      item, three damage marks with notes, two warning lights: about 1.5 KB) are saved, spread
//      over the visits;
//   4. the network comes back (`context.setOffline(false)`); the app's own `online` listener
//      starts the sync. Measured: from `performance.now()` in an `online` listener the script
//      added before, to `performance.now()` when the engine stored the last push's answers (the
//      engine notes it; the outbox is then empty). Requests to /api/sync/push and /api/sync/pull
//      and their bytes (request line, headers and body, as Chromium reports them) are counted
//      until the cycle is over.
// Targets (the issue's): 1,000 drained in under 300 ms with at most 5 requests, 10,000 in under
// 2 s, each with fewer bytes than PouchDB sends (1.7 MiB for 1,000; 10,000 taken as 10 x that).
// Usage: node scripts/bench-drain.mjs [--write] [--no-build] [--sizes=1000,10000] [--steps]
//   --write updates BENCHMARKS.md between the drain markers; --steps prints when the engine
//   reached each step of its cycle; exits non-zero over the targets.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { api, walkIn, createEnrolmentCode, launchBrowser, newPage, setUpDevice, startServer } from "../tests/e2e/support.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const VISITS = 50;
const MIB = 1024 * 1024;
// The peer to beat, PouchDB replicating to a CouchDB-compatible server on this machine.
const POUCH = { 1000: { seconds: 0.9, requests: 43, bytes: 1.7 * MIB }, 10000: { seconds: 6.5, requests: null, bytes: 17 * MIB } };
const TARGETS = { 1000: { ms: 300, requests: 5 }, 10000: { ms: 2000, requests: null } };
const args = process.argv.slice(2);
const sizes = (args.find((a) => a.startsWith("--sizes="))?.slice(8) ?? "1000,10000").split(",").map(Number);
const dist = join(root, "target/bench-dist");

if (!args.includes("--no-build")) {
  const env = { ...process.env, PATH: `${join(root, "tools/build/node_modules/.bin")}:${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
  execFileSync("cargo", ["build", "--quiet", "--locked", "--profile", "server", "-p", "lane-server"], { cwd: root, env, stdio: "inherit" });
  execFileSync("trunk", ["build", "--release", "--offline=true", "--quiet", "--features", "bench", "--dist", dist], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
}
process.env.LANE_SERVER_BIN ??= join(root, "target/server/lane-server");


/** A helper tablet checks in `VISITS` walk-ins, which the benchmarked tablet then edits. */
async function openVisits(server) {
  const code = await createEnrolmentCode(server, "tablet", "Helper tablet");
  const device = await api(server, "POST", "/api/devices/enrol", { body: { code } });
  const session = await api(server, "POST", "/api/advisors/sign-in", { token: device.token, body: { advisor: "adv-1", pin: "1111" } });
  const mutations = Array.from({ length: VISITS }, (_, n) => ({
    id: `${device.device.slice(0, 8)}-${n + 1}-${Math.random().toString(36).slice(2, 10)}`, device: device.device, seq: n + 1, at: new Date().toISOString(),
    change: { type: "check_in", visit: `bench-visit-${n}`, arrival: { walk_in: walkIn(n) }, transport: "wait", concerns: "", key_tag: null },
  }));
  const answer = await api(server, "POST", "/api/sync/push", { token: device.token, session: session.token, body: { mutations } });
  const refused = answer.results.filter((r) => r.outcome !== "applied");
  if (answer.results.length !== VISITS || refused.length) throw new Error(`check-ins not applied: ${JSON.stringify(refused[0] ?? answer).slice(0, 400)}`);
}

async function typePin(page, pin) {
  const pad = page.getByRole("group", { name: "PIN pad" });
  for (const digit of pin) await pad.getByRole("button", { name: digit, exact: true }).click();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function drain(browser, n) {
  const server = await startServer({ dist, admin: true });
  const { context, page } = await newPage(browser);
  try {
    await openVisits(server);
    await page.goto(server.url + "/advisor");
    await setUpDevice(page, await createEnrolmentCode(server, "tablet", "Bench tablet"));
    await page.getByRole("button", { name: "Li Na" }).click();
    await typePin(page, "1111");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as Li Na").waitFor();
    await page.waitForFunction((visits) => window.wasmBindings.bench_visits().then((n) => n === visits), VISITS, { polling: 100, timeout: 30_000 });

    await page.evaluate(() => addEventListener("online", () => (window.benchOnline = performance.now())));
    await context.setOffline(true);
    await page.waitForFunction(() => !navigator.onLine);
    const queueStart = performance.now();
    await page.evaluate((n) => window.wasmBindings.bench_queue(n), n);
    const queueSeconds = (performance.now() - queueStart) / 1000;
    const pending = await page.evaluate(() => window.wasmBindings.bench_pending());
    if (pending !== n) throw new Error(`${pending} changes wait, not ${n}`);

    const requests = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (!url.pathname.startsWith("/api/sync/")) return;
      const headers = Object.entries(request.headers()).reduce((sum, [k, v]) => sum + k.length + v.length + 4, 0);
      const line = `${request.method()} ${url.pathname}${url.search} HTTP/1.1\r\n`.length + 2;
      requests.push({ path: url.pathname, body: request.postDataBuffer()?.length ?? 0, headers: headers + line, encoding: request.headers()["content-encoding"] ?? "" });
    });
    if (args.includes("--steps")) {
      // What reading the outbox costs by itself, in the page.
      const read = await page.evaluate(async () => {
        const db = await new Promise((ok, fail) => { const r = indexedDB.open("lane"); r.onsuccess = () => ok(r.result); r.onerror = fail; });
        const time = async (f) => { const t = performance.now(); await f(); return (performance.now() - t).toFixed(1); };
        const get = (what) => new Promise((ok) => { const r = db.transaction("outbox").objectStore("outbox")[what](null, 1000); r.onsuccess = () => ok(r.result); });
        const out = { keys: await time(() => get("getAllKeys")), values: await time(() => get("getAll")), values2: await time(() => get("getAll")) };
        db.close();
        return out;
      });
      console.log(`  reading 1,000 outbox entries in the page: keys ${read.keys} ms, values ${read.values} ms, again ${read.values2} ms`);
    }
    await page.evaluate(() => window.wasmBindings.bench_marks());
    await context.setOffline(false);
    // The engine notes when it stored a push's answers; wait (polling every 20 ms) until the
    // outbox is empty, then for the rest of the cycle (its pull).
    const [online, acknowledged] = await page.evaluate(async () => {
      while ((await window.wasmBindings.bench_pending()) > 0) await new Promise((r) => setTimeout(r, 20));
      return [window.benchOnline, window.wasmBindings.bench_acknowledged_at()];
    });
    // Where the time went: each push as resource timing saw it (from the fetch call to the answer's
    // last byte), relative to the `online` event.
    const timeline = await page.evaluate((online) => performance.getEntriesByType("resource")
      .filter((e) => e.name.includes("/api/sync/push") && e.startTime >= online)
      .map((e) => `${(e.startTime - online).toFixed(0)}-${(e.responseEnd - online).toFixed(0)} (server ${(e.responseStart - e.requestStart).toFixed(0)})`), online);
    const marks = await page.evaluate((online) => window.wasmBindings.bench_marks().map((m) => { const [step, at] = m.split("@"); return `${step} ${(at - online).toFixed(0)}`; }), online);
    await sleep(1000);
    if (!online) throw new Error("no online event in the page");
    const rejected = await page.evaluate(() => window.wasmBindings.bench_rejected());
    if (rejected) throw new Error(`the server rejected ${rejected} of the changes`);
    if (page.errors.length) throw new Error(`errors in the page: ${page.errors.join("; ")}`);
    const pushes = requests.filter((r) => r.path === "/api/sync/push");
    const pulls = requests.filter((r) => r.path === "/api/sync/pull");
    const sum = (list, f) => list.reduce((s, r) => s + f(r), 0);
    return {
      n,
      ms: acknowledged - online,
      pushes: pushes.length,
      pulls: pulls.length,
      bodies: sum(requests, (r) => r.body),
      bytes: sum(requests, (r) => r.body + r.headers),
      encoding: [...new Set(pushes.map((r) => r.encoding || "identity"))].join(", "),
      queueSeconds,
      timeline,
      marks,
    };
  } catch (error) {
    console.error(server.logs());
    throw error;
  } finally {
    await context.close();
    await server.stop();
  }
}

const browser = await launchBrowser();
const results = [];
try {
  for (const n of sizes) {
    const result = await drain(browser, n);
    results.push(result);
    console.log(`drain ${n}: ${result.ms.toFixed(0)} ms, ${result.pushes} pushes + ${result.pulls} pulls, ${(result.bytes / 1024).toFixed(1)} KiB sent (${result.encoding}); queued offline in ${result.queueSeconds.toFixed(1)} s`);
    console.log(`  pushes, ms after online: ${result.timeline.join(", ")}`);
    if (args.includes("--steps")) console.log(`  engine steps, ms after online: ${result.marks.join(", ")}`);
  }
} finally {
  await browser.close();
}

const kib = (bytes) => (bytes >= MIB ? `${(bytes / MIB).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);
const failures = [];
const rows = results.map((r) => {
  const target = TARGETS[r.n] ?? {};
  const pouch = POUCH[r.n] ?? {};
  if (target.ms && r.ms >= target.ms) failures.push(`${r.n}: ${r.ms.toFixed(0)} ms is not under ${target.ms} ms`);
  if (target.requests && r.pushes + r.pulls > target.requests) failures.push(`${r.n}: ${r.pushes + r.pulls} requests, more than ${target.requests}`);
  if (pouch.bytes && r.bytes >= pouch.bytes) failures.push(`${r.n}: ${kib(r.bytes)} sent, not fewer than PouchDB's ${kib(pouch.bytes)}`);
  const goal = [target.ms && `< ${target.ms} ms`, target.requests && `<= ${target.requests} requests`, pouch.bytes && `< ${kib(pouch.bytes)}`].filter(Boolean).join(", ");
  const peer = [pouch.seconds && `${pouch.seconds} s`, pouch.requests && `${pouch.requests} requests`, pouch.bytes && (r.n === 1000 ? kib(pouch.bytes) : `~${kib(pouch.bytes)} (10 x)`)].filter(Boolean).join(", ");
  return `| ${r.n.toLocaleString("en")} walk-around edits | ${r.ms.toFixed(0)} ms | ${r.pushes} push + ${r.pulls} pull | ${kib(r.bytes)} (bodies ${kib(r.bodies)}, ${r.encoding}) | ${goal} | ${peer} |`;
});
const table = [
  "| queued offline | online → last push acknowledged | requests | bytes sent | target | PouchDB → CouchDB |",
  "| --- | ---: | --- | --- | --- | --- |",
  ...rows,
].join("\n");
console.log(table);
if (args.includes("--write")) {
  const file = join(root, "BENCHMARKS.md");
  const text = readFileSync(file, "utf8");
  const replaced = text.replace(/(<!-- drain:begin -->)[\s\S]*?(<!-- drain:end -->)/, `$1\n${table}\n$2`);
  if (replaced === text && !text.includes(table)) throw new Error("BENCHMARKS.md lacks the <!-- drain:begin --> / <!-- drain:end --> markers");
  writeFileSync(file, replaced);
}
if (failures.length) {
  console.log(`drain: OVER BUDGET: ${failures.join("; ")}`);
  process.exitCode = 1;
} else {
  console.log("drain: within budget");
}
