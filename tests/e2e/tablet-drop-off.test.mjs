// The advisor's tablet at drop-off, at tablet sizes: a kiosk check-in appears on the board, the
// advisor writes the inquiry, walks around the car (two damage marks, one with a photo), takes
// the readings and the belongings, builds the order, and the customer signs with pointer strokes.
// The server then holds a signature that verifies against the order, and stops verifying when one
// byte of the stored order changes. The same flow done with the network cut and the page reloaded
// midway arrives once when the network is back. Bad input is refused on screen.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { PLATE_TABS, typeOnKeypad } from "./kiosk-support.mjs";
import { api, axeViolations, enrolDevice, launchBrowser, newPage, pushChanges, smallTargets, startServer, waitForOfflineReady } from "./support.mjs";
import { CARTER, WANG, dropOff, kioskCheckIn as checkIn, serverSignature as signatureOf, sign, signIn as signInOn, tapper } from "./tablet-support.mjs";

let server;
let browser;
let reader;

before(async () => {
  server = await startServer({ admin: true });
  browser = await launchBrowser();
  // A second tablet's token, to read what the server holds as tablets see it.
  reader = await enrolDevice(server, "tablet", "Reader");
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const SHANGHAI = { timezoneId: "Asia/Shanghai", bypassCSP: true };
const sql = (query) => execFileSync("sqlite3", [server.dbPath, query], { encoding: "utf8" }).trim();
const kioskCheckIn = (code, concerns) => checkIn(server, code, concerns);
const signIn = (page) => signInOn(server, page);
const serverSignature = (visit) => signatureOf(server, reader, visit);

describe("tablet drop-off", () => {
  test("a kiosk check-in is received, walked around, written up and signed; the server verifies the signature", async () => {
    const visit = await kioskCheckIn(WANG.code, "刹车有异响");
    const { page } = await newPage(browser, { ...SHANGHAI, viewport: { width: 1024, height: 768 } });
    await signIn(page);
    const taps = tapper(page);

    // The board: the kiosk's check-in waits, with the one-minute rule.
    const row = page.getByRole("link", { name: /王芳/ });
    await row.waitFor();
    await page.getByText(/Waiting \d+ min — attend within 1 minute/).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(await smallTargets(page), []);
    await page.getByLabel("Search by plate, name or code").fill("沪A1");
    await row.waitFor();
    await page.getByLabel("Search by plate, name or code").fill("nobody");
    await row.waitFor({ state: "hidden" });
    await page.getByLabel("Search by plate, name or code").fill("");
    await taps.tap("open", row);
    await page.getByRole("heading", { level: 1, name: WANG.heading }).waitFor();
    assert.deepEqual(await axeViolations(page), []);

    await dropOff(page, taps, WANG);
    assert.deepEqual(await axeViolations(page), []);

    // An empty pad is refused.
    await page.getByRole("button", { name: WANG.sign }).click();
    await page.getByRole("alert").filter({ hasText: WANG.empty }).waitFor();
    await sign(page);
    await taps.tap("sign", page.getByRole("button", { name: WANG.sign }));
    await page.getByRole("status").filter({ hasText: "The customer signed this order." }).waitFor();

    // On the server: the signature verifies against the order it covers.
    const signature = await serverSignature(visit);
    const verification = () => api(server, "GET", `/api/signatures/${signature.id}/verification`, { token: reader.token });
    assert.deepEqual(await verification(), { signature: signature.id, holds: true, problem: null, message: null, superseded: false });
    assert.equal(sql(`SELECT state FROM visits WHERE id = '${visit}'`), "written_up_and_signed");
    const stored = JSON.parse(sql(`SELECT body FROM visits WHERE id = '${visit}'`));
    assert.equal(stored.walkaround.marks.length, 2);
    assert.equal(stored.walkaround.marks[0].photos.length, 1);
    assert.equal(stored.drop_off.odometer.value, 38520);
    assert.deepEqual(stored.belongings, { items: ["Child seat"], valuables_reminder_confirmed: true });
    assert.match(stored.concerns, /刹车有异响\n.*when braking/s);
    assert.equal(stored.diagnosis, "Front pads worn, check discs");
    assert.equal(stored.pricing_basis, WANG.pricing);
    // The warranty terms shown are bound to the signature with the consent text.
    assert.match(signature.consent_text, WANG.warranty);
    assert.deepEqual(page.errors, []);

    // One changed byte of the stored order, and it no longer verifies.
    const document = sql(`SELECT document FROM signatures WHERE id = '${signature.id}'`);
    const tampered = document.replace('"value":38520', '"value":38521');
    assert.notEqual(tampered, document);
    sql(`UPDATE signatures SET document = '${tampered.replaceAll("'", "''")}' WHERE id = '${signature.id}'`);
    assert.equal((await verification()).holds, false);
    assert.equal((await verification()).problem, "document_changed");

    // Frozen: the visit shows the signed order only, and prints it.
    assert.equal(await page.getByRole("tab", { name: "Walk-around" }).count(), 0);
    await page.getByRole("link", { name: "Print the order" }).click();
    await page.getByText("客户联").waitFor();
    await page.getByText("存档联").waitFor();
    assert.equal(await page.locator(".printed-order svg").count(), 2);
    assert.deepEqual(await axeViolations(page), []);
    console.log(`drop-off taps: ${JSON.stringify(taps.counts)}`);

    // The customer wants one more job before the car goes in: the order is amended, and they
    // sign its second version; the first stays on file.
    await page.getByRole("link", { name: "Back to the visit" }).click();
    await page.getByRole("button", { name: "Amend the order" }).click();
    await page.getByRole("button", { name: "Yes, amend it" }).click();
    await page.getByRole("tab", { name: "Repair order" }).click();
    await page.getByRole("button", { name: /Tyre rotation and balance/ }).click();
    await page.getByRole("tab", { name: "Customer signs" }).click();
    await page.getByRole("heading", { name: WANG.review }).waitFor();
    await page.getByRole("cell", { name: "Tyre rotation and balance" }).waitFor();
    await sign(page);
    await page.getByRole("button", { name: WANG.sign }).click();
    await page.getByRole("status").filter({ hasText: "The customer signed this order." }).waitFor();
    await page.getByText(/Version 2 of the order/).waitFor();
    for (const deadline = Date.now() + 30_000; Number(sql(`SELECT COUNT(*) FROM signatures WHERE visit_id = '${visit}'`)) < 2; ) {
      assert.ok(Date.now() < deadline, "the second signature never reached the server");
      await new Promise((r) => setTimeout(r, 250));
    }
    const second = sql(`SELECT id FROM signatures WHERE visit_id = '${visit}' AND document_version = 2`);
    const secondVerification = await api(server, "GET", `/api/signatures/${second}/verification`, { token: reader.token });
    assert.deepEqual(secondVerification, { signature: second, holds: true, problem: null, message: null, superseded: false });
    assert.equal((await verification()).superseded, true);
    assert.equal(sql(`SELECT state FROM visits WHERE id = '${visit}'`), "written_up_and_signed");
    assert.equal(JSON.parse(sql(`SELECT body FROM visits WHERE id = '${visit}'`)).job_lines.length, 2);
    assert.deepEqual(page.errors, []);
  });

  test("done with the network cut and the page reloaded midway, everything arrives once when it is back", async () => {
    const visit = await kioskCheckIn(CARTER.code, "Steering wheel shakes above 100 km/h");
    const { context, page } = await newPage(browser, { ...SHANGHAI, viewport: { width: 768, height: 1024 } });
    await signIn(page);
    await waitForOfflineReady(page);
    const row = page.getByRole("link", { name: /James Carter/ });
    await row.waitFor();
    const applied = Number(sql("SELECT COUNT(*) FROM applied_mutations"));

    await context.setOffline(true);
    await row.click();
    await page.getByRole("heading", { level: 1, name: CARTER.heading }).waitFor();
    await dropOff(page, tapper(page), CARTER, { reloadMidway: true });
    assert.deepEqual(await smallTargets(page), []);
    await sign(page);
    await page.getByRole("button", { name: CARTER.sign }).click();
    await page.getByRole("status").filter({ hasText: "The customer signed this order." }).waitFor();
    // Nothing has reached the server, and the tablet says what waits.
    assert.equal(sql(`SELECT state FROM visits WHERE id = '${visit}'`), "checked_in");
    await page.getByRole("status", { name: "Connection" }).filter({ hasText: /waiting/i }).waitFor();

    await context.setOffline(false);
    const signature = await serverSignature(visit);
    assert.equal((await api(server, "GET", `/api/signatures/${signature.id}/verification`, { token: reader.token })).holds, true);
    for (const deadline = Date.now() + 30_000; Number(sql(`SELECT COUNT(*) FROM photos WHERE visit_id = '${visit}'`)) < 1; ) {
      assert.ok(Date.now() < deadline, "the photo never reached the server");
      await new Promise((r) => setTimeout(r, 250));
    }
    await page.getByRole("status", { name: "Connection" }).filter({ hasText: "All changes saved to the server" }).waitFor();
    // Each change arrived once: the outbox's changes, each applied a single time.
    const stored = JSON.parse(sql(`SELECT body FROM visits WHERE id = '${visit}'`));
    assert.equal(stored.walkaround.marks.length, 2);
    assert.equal(stored.state, "written_up_and_signed");
    assert.equal(stored.pricing_basis, CARTER.pricing);
    assert.equal(Number(sql(`SELECT COUNT(*) FROM signatures WHERE visit_id = '${visit}'`)), 1);
    assert.equal(Number(sql(`SELECT COUNT(*) FROM photos WHERE visit_id = '${visit}'`)), 1);
    const changes = Number(sql("SELECT COUNT(*) FROM applied_mutations")) - applied;
    assert.equal(Number(sql(`SELECT COUNT(DISTINCT mutation_id) FROM applied_mutations`)), Number(sql("SELECT COUNT(*) FROM applied_mutations")));
    assert.ok(changes >= 8, `${changes} changes arrived`);
  });

  test("bad input is refused with a clear message and saves nothing", async () => {
    const visit = await kioskCheckIn("T9HC3V", "刹车时有尖锐的响声");
    const { page } = await newPage(browser, { ...SHANGHAI, viewport: { width: 1024, height: 768 } });
    await signIn(page);
    await page.getByRole("link", { name: /陈杰/ }).click();
    await page.getByRole("heading", { level: 1, name: /陈杰/ }).waitFor();

    // An odometer below the car's last reading (87,950) needs a reason before it saves.
    await page.getByRole("tab", { name: "Odometer and fuel" }).click();
    const keypad = page.getByRole("group", { name: "Keypad for Odometer" });
    for (const digit of "80000") await keypad.getByRole("button", { name: digit, exact: true }).click();
    await page.getByRole("radio", { name: "2/8" }).click();
    await page.getByRole("button", { name: "Save readings" }).click();
    await page.getByRole("alert").filter({ hasText: "this car last showed" }).first().waitFor();
    assert.equal(await page.getByText("Readings saved.").count(), 0);

    // Without readings, and then without a job line, the customer is not offered the order to sign.
    await page.getByRole("tab", { name: "Customer signs" }).click();
    await page.getByRole("button", { name: "Walk-around done: show the customer" }).click();
    await page.getByRole("alert").filter({ hasText: "Record the odometer and fuel before the customer signs." }).waitFor();
    assert.equal(await page.getByRole("button", { name: "签署委托书" }).count(), 0);
    await page.getByRole("tab", { name: "Odometer and fuel" }).click();
    // The refused reading was not saved, but what was typed is still there to correct.
    assert.equal(await page.getByRole("textbox", { name: "Odometer" }).inputValue(), "80000");
    for (let i = 0; i < 5; i++) await keypad.getByRole("button", { name: "Delete the last character" }).click();
    for (const digit of "88000") await keypad.getByRole("button", { name: digit, exact: true }).click();
    await page.getByRole("button", { name: "Save readings" }).click();
    await page.getByText("Readings saved.").waitFor();
    await page.getByRole("tab", { name: "Customer signs" }).click();
    await page.getByRole("alert").filter({ hasText: "Add at least one job line to the order before the customer signs." }).waitFor();
    assert.equal(await page.getByRole("button", { name: "签署委托书" }).count(), 0);
    assert.equal(Number(sql(`SELECT COUNT(*) FROM signatures WHERE visit_id = '${visit}'`)), 0);

    // A fuel reading off the gauge, sent by a device, is a JSON problem and changes nothing.
    const device = await enrolDevice(server, "tablet", "Bad device");
    const session = (await api(server, "POST", "/api/advisors/sign-in", { token: device.token, body: { advisor: "adv-1", pin: "1111" } })).token;
    const before = sql(`SELECT body FROM visits WHERE id = '${visit}'`);
    const bad = { type: "edit_visit", visit, base: 0, edit: { field: "drop_off_readings", value: { odometer: { value: 90000, unit: "km" }, fuel: 9, correction_reason: null } } };
    await assert.rejects(pushChanges(server, device, [bad], session), /400 .*"The request is malformed: .*The fuel gauge reads from 0 to 8 eighths; 9 is not on it/);
    assert.equal(sql(`SELECT body FROM visits WHERE id = '${visit}'`), before);
    assert.deepEqual(page.errors, []);
  });

  test("a walk-in registered on the tablet offline opens at once, reaches the server once, and is recognised next time", async () => {
    const { context, page } = await newPage(browser, { ...SHANGHAI, viewport: { width: 768, height: 1024 } });
    await signIn(page);
    await waitForOfflineReady(page);
    await context.setOffline(true);
    await page.getByRole("link", { name: "Walk-in customer" }).click();
    await page.getByRole("heading", { level: 1, name: "A customer without a booking" }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(await smallTargets(page), []);

    // Nothing typed: each missing detail says so, and nothing is saved.
    await page.getByRole("button", { name: "Start the visit" }).click();
    await page.getByRole("alert").filter({ hasText: "Some details need fixing" }).waitFor();
    await page.getByText("Enter your name.").waitFor();
    assert.equal(new URL(page.url()).pathname, "/advisor/walk-in");

    await typeOnKeypad(page, "Number plate", "沪D54321", PLATE_TABS.en);
    await page.locator("#phone").fill("139 1234 5678");
    await page.locator("#name").fill("Liu Yang");
    await page.getByRole("group", { name: "Customer's language" }).getByRole("button", { name: "中文" }).click();
    await page.locator("#make").fill("Honda");
    await page.locator("#model").fill("Accord");
    await page.getByRole("button", { name: /Diagnosis of a concern/ }).click();
    await page.getByLabel("In your own words (optional)").fill("Clunk over bumps at the front");
    await page.getByRole("button", { name: "Start the visit" }).click();
    // The visit file opens offline, and survives a reload.
    const heading = page.getByRole("heading", { level: 1, name: "Liu Yang · 沪D54321" });
    await heading.waitFor();
    const visit = new URL(page.url()).pathname.split("/").pop();
    await page.reload();
    await heading.waitFor();
    assert.equal(sql(`SELECT COUNT(*) FROM visits WHERE id = '${visit}'`), "0");

    await context.setOffline(false);
    for (const deadline = Date.now() + 30_000; sql(`SELECT COUNT(*) FROM visits WHERE id = '${visit}'`) !== "1"; ) {
      assert.ok(Date.now() < deadline, "the walk-in never reached the server");
      await new Promise((r) => setTimeout(r, 250));
    }
    await page.getByRole("status", { name: "Connection" }).filter({ hasText: "All changes saved to the server" }).waitFor();
    // Received by the advisor who registered them, under the tablet's ids: one customer, one car.
    assert.equal(sql(`SELECT advisor_id FROM visits WHERE id = '${visit}'`), "adv-1");
    assert.equal(sql(`SELECT state FROM visits WHERE id = '${visit}'`), "checked_in");
    assert.equal(sql("SELECT COUNT(*) FROM customers WHERE phone = '13912345678'"), "1");
    assert.equal(sql(`SELECT c.name || ' ' || c.language || ' ' || v.plate || ' ' || v.make FROM visits t JOIN customers c ON c.id = t.customer_id JOIN vehicles v ON v.id = t.vehicle_id WHERE t.id = '${visit}'`), "Liu Yang zh-CN 沪D54321 Honda");
    const tabletIds = await page.evaluate(async (visit) => {
      const db = await new Promise((resolve) => { const open = indexedDB.open("lane"); open.onsuccess = () => resolve(open.result); });
      const entry = await new Promise((resolve) => { const r = db.transaction("records").objectStore("records").get(["visit", visit]); r.onsuccess = () => resolve(r.result); });
      db.close();
      const record = JSON.parse(entry.json);
      return `${record.customer} ${record.vehicle}`;
    }, visit);
    assert.equal(sql(`SELECT customer_id || ' ' || vehicle_id FROM visits WHERE id = '${visit}'`), tabletIds);

    // The next time, plate and phone find them on file and fill in the rest.
    await page.goto(`${server.url}/advisor/walk-in`);
    await typeOnKeypad(page, "Number plate", "沪D54321", PLATE_TABS.en);
    await page.locator("#phone").fill("13912345678");
    await page.getByRole("status").filter({ hasText: "On file: Liu Yang." }).waitFor();
    assert.equal(await page.locator("#name").inputValue(), "Liu Yang");
    assert.equal(await page.locator("#model").inputValue(), "Accord");
    assert.equal(await page.getByRole("group", { name: "Customer's language" }).getByRole("button", { name: "中文" }).getAttribute("aria-pressed"), "true");
    assert.deepEqual(page.errors, []);
  });
});
