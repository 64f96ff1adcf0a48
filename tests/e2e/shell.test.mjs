// The app shell as a person meets it: the two front doors, the three languages and their memory,
// the offline start, deep links, the not-found page, accessibility and touch-target size. Devices
// here are never set up, so their screens ask for a set-up code (devices.test.mjs sets them up).
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { axeViolations, launchBrowser, newPage, smallTargets, startServer, waitForOfflineReady } from "./support.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the app shell", () => {
  test("offers the two doors and speaks three languages, remembered per device", async () => {
    const { context, page } = await newPage(browser);
    await page.goto(server.url + "/");
    await page.getByRole("heading", { level: 1, name: "Service lane" }).waitFor();

    // A device nobody has set up yet asks for its set-up code (devices.test.mjs sets them up).
    await page.getByRole("link", { name: /Customer kiosk/ }).click();
    await page.waitForURL(server.url + "/kiosk");
    await page.getByRole("heading", { level: 1, name: "Set up this device" }).waitFor();

    await page.getByRole("button", { name: "中文" }).click();
    await page.getByRole("heading", { level: 1, name: "设置本设备" }).waitFor();
    assert.equal(await page.getAttribute("html", "lang"), "zh-CN");

    await page.getByRole("button", { name: "한국어" }).click();
    await page.getByRole("heading", { level: 1, name: "이 기기 설정" }).waitFor();
    assert.equal(await page.getByRole("button", { name: "한국어" }).getAttribute("aria-pressed"), "true");

    await page.reload();
    await page.getByRole("heading", { level: 1, name: "이 기기 설정" }).waitFor();

    await page.goto(server.url + "/advisor");
    await page.getByRole("heading", { level: 1, name: "이 기기 설정" }).waitFor();
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { level: 1, name: "Set up this device" }).waitFor();
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test("loads and routes with the network cut after one online visit", async () => {
    const { context, page } = await newPage(browser);
    await page.goto(server.url + "/kiosk");
    await page.getByRole("heading", { level: 1, name: "Set up this device" }).waitFor();
    await waitForOfflineReady(page);

    await context.setOffline(true);
    await page.getByRole("status", { name: "Connection" }).filter({ hasText: "Offline" }).waitFor();

    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Set up this device" }).waitFor();
    await page.getByRole("status", { name: "Connection" }).filter({ hasText: "Offline" }).waitFor();

    // A deep link typed or bookmarked while offline.
    await page.goto(server.url + "/advisor");
    await page.getByRole("heading", { level: 1, name: "Set up this device" }).waitFor();
    await page.getByLabel("Set-up code").fill("ABCD-EFGH");
    await page.getByRole("button", { name: "Set up" }).click();
    await page.getByRole("alert").filter({ hasText: "Setting up needs the network." }).waitFor();

    await page.goto(server.url + "/advisor/no-such-screen");
    await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();

    // The network returns: the indicator says so without a reload.
    await context.setOffline(false);
    await page.getByRole("status", { name: "Connection" }).filter({ hasText: "Online" }).waitFor();
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test("shows a not-found page for an unknown path, with a way back", async () => {
    const { context, page } = await newPage(browser);
    await page.goto(server.url + "/kiosk/nowhere");
    await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
    await page.getByText("There is no page at /kiosk/nowhere.").waitFor();
    await page.getByRole("link", { name: "Back to the start" }).click();
    await page.waitForURL(server.url + "/kiosk");
    await page.getByRole("heading", { level: 1, name: "Set up this device" }).waitFor();
    await context.close();
  });

  test("a new build replaces the old cache", async () => {
    // A deployment of our own, so that a new build can be put in place under a running app.
    const dist = mkdtempSync(join(tmpdir(), "lane-dist-"));
    cpSync(process.env.LANE_DIST, dist, { recursive: true });
    const deployment = await startServer({ dist });
    const { context, page } = await newPage(browser);
    try {
      await page.goto(deployment.url + "/kiosk");
      await waitForOfflineReady(page);
      const before = await page.evaluate(() => caches.keys());
      assert.equal(before.length, 1, `one cache for one build: ${before}`);

      // The next build: same files, a different build id in its worker (as post-build writes it).
      const worker = join(dist, "sw.js");
      writeFileSync(worker, readFileSync(worker, "utf8").replace(/const BUILD = "[0-9a-f]+";/, 'const BUILD = "feedfacefeedface";'));
      rmSync(worker + ".br");
      rmSync(worker + ".gz");
      // The browser revalidates the worker with If-Modified-Since, to the second; a deployment
      // lands at a later second than the one it replaces, so the test's must too.
      const later = Date.now() / 1000 + 2;
      utimesSync(worker, later, later);
      const after = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        await registration.update();
        // The new worker installs its cache and, on activation, deletes the old build's.
        for (let waited = 0; waited < 10_000; waited += 100) {
          const keys = await caches.keys();
          if (!keys.some((k) => k !== "lane-shell-feedfacefeedface")) return keys;
          await new Promise((r) => setTimeout(r, 100));
        }
        return caches.keys();
      });
      assert.deepEqual(after, ["lane-shell-feedfacefeedface"]);

      // The new cache works on its own: offline start still succeeds.
      await context.setOffline(true);
      await page.reload();
      await page.getByRole("heading", { level: 1, name: "Set up this device" }).waitFor();
    } finally {
      await context.close();
      await deployment.stop();
      rmSync(dist, { recursive: true, force: true });
    }
  });

  for (const [path, heading] of [
    ["/", "Service lane"],
    ["/kiosk", "Set up this device"],
    ["/advisor", "Set up this device"],
    ["/kiosk/nowhere", "Page not found"],
  ]) {
    test(`${path} passes axe-core and has 48 px targets`, async () => {
      // axe is injected as an inline script, which the app's CSP rightly forbids.
      const { context, page } = await newPage(browser, { bypassCSP: true });
      await page.goto(server.url + path);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
      assert.deepEqual(await smallTargets(page), []);
      await context.close();
    });
  }
});
