// Shared by the end-to-end tests: the real server binary on a free port with a fresh SQLite file,
// serving the real release build, and Debian's Chromium driven by playwright-core.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);

const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

/** The admin token the tests start the server with (`startServer({ admin: true })`). */
export const ADMIN_TOKEN = "e2e-admin-token";

/**
 * Starts lane-server (serving `dist`, by default the release build); returns { url, dbPath, logs(), stop() }.
 * `admin: true` sets LANE_ADMIN_TOKEN (to ADMIN_TOKEN), which the admin API needs; `env` adds more.
 */
export async function startServer({ dist = process.env.LANE_DIST, admin = false, env = {} } = {}) {
  const bin = process.env.LANE_SERVER_BIN;
  if (!bin || !dist) throw new Error("LANE_SERVER_BIN and LANE_DIST must be set (scripts/test sets them)");
  const dir = mkdtempSync(join(tmpdir(), "lane-e2e-"));
  const port = await freePort();
  const dbPath = join(dir, "lane.db");
  const child = spawn(bin, ["--listen", `127.0.0.1:${port}`, "--database-url", dbPath, "--static-dir", dist], {
    env: { ...process.env, NO_COLOR: "1", LANE_LOG: "warn", ...(admin ? { LANE_ADMIN_TOKEN: ADMIN_TOKEN } : {}), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const health = await (await fetch(`${url}/api/health`)).json();
      if (health.database) break;
    } catch {}
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dbPath,
    logs: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** A page that fails the test on any uncaught error in the app. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.errors = errors;
  return { context, page };
}

/** Waits until the service worker controls the page, so the shell is cached for offline use. */
export async function waitForOfflineReady(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
  });
}

/** axe-core's WCAG 2.2 A/AA checks on the current page; returns the violations. */
export async function axeViolations(page) {
  await page.addScriptTag({ content: readFileSync(require.resolve("axe-core/axe.min.js"), "utf8") });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

/** Every button and link smaller than 48x48 CSS pixels. */
export async function smallTargets(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("button, a[href], input, select, textarea, [role=button]")]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => ({ name: el.textContent.trim() || el.getAttribute("aria-label"), box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width < 48 || box.height < 48)
      .map(({ name, box }) => `${name} ${Math.round(box.width)}x${Math.round(box.height)}`),
  );
}

/** Calls the server's API as a device (`token`, and a tablet's advisor `session`); returns the parsed JSON answer. */
export async function api(server, method, path, { token, session, body } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (session) headers["lane-advisor-session"] = session;
  const response = await fetch(server.url + path, { method, headers, body: body && JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The booking fields of walk-in `n` (a distinct customer and plate), for a `check_in` change. */
export function walkIn(n) {
  const slot = new Date(Date.now() + 86_400_000).toISOString();
  return {
    appointment: `bench-appt-${n}`, code: "ACDEFG", name: `Bench Customer ${n}`, phone: `1380000${String(n).padStart(4, "0")}`,
    email: null, language: "en", plate: `BENCH${n}`, vin: null, make: "Volkswagen", model: "Passat", year: 2021,
    services: ["svc-oil"], slot_start: slot, transport: "wait", concerns: "",
  };
}

/** Calls the admin API of a server started with `admin: true`; returns the parsed JSON answer. */
export async function adminApi(server, method, path, body) {
  return api(server, method, `/api${path}`, { token: ADMIN_TOKEN, body });
}

/** A one-time enrolment code for a `kind` ("kiosk" or "tablet") device named `name`. */
export async function createEnrolmentCode(server, kind, name) {
  const { code } = await adminApi(server, "POST", "/admin/enrolment-codes", { kind, name });
  return code;
}

/** Types `code` into a device's set-up screen and waits until the screen after it shows. */
export async function setUpDevice(page, code) {
  await page.getByRole("heading", { level: 1, name: "Set up this device" }).waitFor();
  await page.getByLabel("Set-up code").fill(code);
  await page.getByRole("button", { name: "Set up" }).click();
}

/** Enrols a `kind` device through the API (as a device does with a code); returns { device, token }. */
export async function enrolDevice(server, kind, name) {
  const code = await createEnrolmentCode(server, kind, name);
  return api(server, "POST", "/api/devices/enrol", { body: { code } });
}

/** Every record a device may see, by pulling from the start: [{ type, id, ... }]. */
export async function pullRecords(server, token) {
  const records = [];
  for (let cursor = 0; ; ) {
    const page = await api(server, "GET", `/api/sync/pull?cursor=${cursor}&limit=1000`, { token });
    records.push(...page.records.map((r) => r.record));
    if (!page.more) return records;
    cursor = page.cursor;
  }
}

/** Pushes `changes` as the next mutations of `device` (from enrolDevice; keeps its seq); returns the results. */
export async function pushChanges(server, device, changes, session) {
  device.seq ??= 0;
  const mutations = changes.map((change) => ({ id: crypto.randomUUID(), device: device.device, seq: ++device.seq, at: new Date().toISOString(), change }));
  const answer = await api(server, "POST", "/api/sync/push", { token: device.token, session, body: { mutations } });
  return answer.results;
}

/** Sets up `page` as a tablet through its screen, and waits for the advisors its first pull brought. */
export async function setUpTablet(server, page, name) {
  await page.goto(server.url + "/advisor");
  await setUpDevice(page, await createEnrolmentCode(server, "tablet", name));
  await page.getByRole("heading", { level: 1, name: "Who is signing in?" }).waitFor();
  await page.getByRole("button", { name: "Li Na" }).waitFor();
}

/** Types a PIN on the sign-in screen's pad. */
export async function typePin(page, pin) {
  const pad = page.getByRole("group", { name: "PIN pad" });
  for (const digit of pin) await pad.getByRole("button", { name: digit, exact: true }).click();
}
