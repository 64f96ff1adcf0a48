// Devices as the staff set them up: a tablet enrolled with a one-time code and an advisor signing
// in with their PIN; the signed-in tablet starting again with the network cut; a kiosk set up and
// then revoked by an admin. The server runs with an admin token, which the tests use as an admin.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  adminApi,
  axeViolations,
  createEnrolmentCode,
  launchBrowser,
  newPage,
  setUpDevice,
  smallTargets,
  setUpTablet,
  startServer,
  typePin,
  waitForOfflineReady,
} from "./support.mjs";

let server;
let browser;

before(async () => {
  server = await startServer({ admin: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const status = (page) => page.getByRole("status", { name: "Connection" });

describe("devices", () => {
  test("a tablet is set up with a code and an advisor signs in with their PIN", async () => {
    // axe is injected as an inline script, which the app's CSP rightly forbids.
    const { context, page } = await newPage(browser, { bypassCSP: true });
    await page.goto(server.url + "/advisor");
    await page.getByRole("heading", { level: 1, name: "Set up this device" }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(await smallTargets(page), []);

    // A code someone mistyped.
    await page.getByLabel("Set-up code").fill("AAAA-AAAA");
    await page.getByRole("button", { name: "Set up" }).click();
    await page.getByRole("alert").filter({ hasText: "That set-up code is unknown, already used or expired." }).waitFor();

    await setUpTablet(server, page, "Tablet 1");
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(await smallTargets(page), []);
    const names = await page.locator(".choices button").allTextContents();
    assert.deepEqual(names.sort(), ["Kim Min-jun", "Li Na", "Sarah Miller", "Zhang Wei"]);

    await page.getByRole("button", { name: "Li Na" }).click();
    await page.getByRole("heading", { level: 1, name: "Li Na, enter your PIN" }).waitFor();
    await typePin(page, "9999");
    await page.getByRole("status").filter({ hasText: "4 digits entered" }).waitFor();
    await page.getByRole("button", { name: "Delete the last digit" }).click();
    await page.getByRole("status").filter({ hasText: "3 digits entered" }).waitFor();
    await typePin(page, "9");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Wrong PIN. 4 attempts left before the PIN is locked." }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(await smallTargets(page), []);

    // Without the network, the tablet says so instead of trying.
    await context.setOffline(true);
    await typePin(page, "1111");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Sign-in needs the network." }).waitFor();
    await context.setOffline(false);
    await status(page).filter({ hasText: "Online" }).waitFor();

    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Service advisor" }).waitFor();
    await page.getByText("Signed in as Li Na").waitFor();
    await status(page).filter({ hasText: "All changes saved to the server" }).filter({ hasText: "Last sync" }).waitFor();
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test("a signed-in tablet starts again from its own storage with the network cut", async () => {
    const { context, page } = await newPage(browser);
    await setUpTablet(server, page, "Tablet 2");
    await page.getByRole("button", { name: "Zhang Wei" }).click();
    await typePin(page, "3333");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as Zhang Wei").waitFor();
    await status(page).filter({ hasText: "Last sync" }).waitFor();
    await waitForOfflineReady(page);

    await context.setOffline(true);
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Service advisor" }).waitFor();
    await page.getByText("Signed in as Zhang Wei").waitFor();
    await status(page).filter({ hasText: "Offline" }).filter({ hasText: "Last sync" }).waitFor();
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test("a kiosk code does not set up an advisor tablet, and still sets up the kiosk", async () => {
    const { context, page } = await newPage(browser);
    const code = await createEnrolmentCode(server, "kiosk", "Lobby kiosk 2");
    await page.goto(server.url + "/advisor");
    await setUpDevice(page, code);
    await page.getByRole("alert").filter({ hasText: "That code is for a kiosk, not an advisor tablet." }).waitFor();
    await page.getByRole("heading", { level: 1, name: "Set up this device" }).waitFor();
    await page.goto(server.url + "/kiosk");
    await setUpDevice(page, code);
    await page.getByRole("heading", { level: 1, name: "Welcome" }).waitFor();
    await context.close();
  });

  test("a kiosk is set up, and shows that it was revoked", async () => {
    const { context, page } = await newPage(browser, { bypassCSP: true });
    await page.goto(server.url + "/kiosk");
    await setUpDevice(page, await createEnrolmentCode(server, "kiosk", "Lobby kiosk"));
    await page.getByRole("heading", { level: 1, name: "Welcome" }).waitFor();
    await status(page).filter({ hasText: "Last sync" }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(await smallTargets(page), []);

    const devices = await adminApi(server, "GET", "/admin/devices");
    const kiosk = devices.find((d) => d.name === "Lobby kiosk");
    await adminApi(server, "POST", `/admin/devices/${kiosk.id}/revoke`);
    await page.reload();
    await page.getByText("This device was revoked by the service manager.").waitFor();
    await page.getByRole("heading", { level: 1, name: "Set up this device" }).waitFor();
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
