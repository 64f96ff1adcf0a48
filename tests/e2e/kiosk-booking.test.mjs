// Booking a visit at the lobby kiosk, in headless Chromium against the real server and release
// build: the whole booking with the mistakes a customer makes, a slot that fills meanwhile, and a
// full browser storage. Every screen passes axe-core and has 48 px targets, and is timed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PLATE_TABS, accessible, startupTime, watchScreens, recordScreenTimes, fillCustomer, fillSlot, firstFreeSlot, heading, kiosk, serverHas, serverView, storage, tapper, typeOnKeypad, useKioskWorld, world } from "./kiosk-support.mjs";
import { axeViolations, newPage, setUpTablet, typePin, waitForOfflineReady } from "./support.mjs";

useKioskWorld();

describe("kiosk", () => {
  test("a customer books a visit in English and the server has it, with their advisor", async () => {
    const { context, page } = await kiosk();
    const counter = tapper();
    await heading(page, "Welcome").waitFor();
    await page.reload();
    await heading(page, "Welcome").waitFor();
    console.log(`# kiosk start-up online: first heading after ${(await startupTime(page)).toFixed(0)} ms`);
    await watchScreens(page);
    await accessible(page);

    await counter.tap(page.getByRole("link", { name: /Book a visit/ }));
    await heading(page, "What should we do?").waitFor();
    await page.getByRole("button", { name: /Oil and filter change/ }).waitFor();
    assert.match(await page.getByRole("button", { name: /Oil and filter change/ }).textContent(), /about 45 min · from ¥480/);
    await accessible(page);
    // Nothing chosen: the step says what is missing and stays.
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "Choose at least one service." }).waitFor();
    await counter.tap(page.getByRole("button", { name: /Oil and filter change/ }));
    assert.equal(await page.getByRole("button", { name: /Oil and filter change/ }).getAttribute("aria-pressed"), "true");
    await counter.tap(page.getByRole("button", { name: "Next", exact: true }));

    await heading(page, "When would you like to come?").waitFor();
    const times = page.getByRole("group", { name: "Free times" }).getByRole("button");
    await times.first().waitFor();
    await accessible(page);
    await counter.tap(times.first());

    await heading(page, "Your car and phone").waitFor();
    await accessible(page);
    // A plate with a letter the keypad does not have, typed on a hardware keyboard, and no phone.
    await page.locator("#plate").fill("沪A-12#");
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByText("A number plate has letters and digits only; '#' is not one.").waitFor();
    await page.getByText("A phone number has 5 to 20 digits; this one has 0.").waitFor();
    assert.equal(await page.locator("#phone").getAttribute("aria-invalid"), "true");
    await page.locator("#plate").fill("");
    await typeOnKeypad(page, "Number plate", "沪A9876", PLATE_TABS.en);
    await page.getByRole("button", { name: "Delete the last character" }).click();
    await typeOnKeypad(page, "Number plate", "5");
    assert.equal(await page.locator("#plate").inputValue(), "沪A9875");
    await page.locator("#phone").fill("139 0000 1234");
    await counter.tap(page.getByRole("button", { name: "Next", exact: true }));

    await heading(page, "Your car").waitFor();
    await accessible(page);
    await page.locator("#make").fill("Volkswagen");
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByText("Enter the model of the car.").waitFor();
    await page.locator("#model").fill("Lavida");
    await page.locator("#year").fill("20x21");
    assert.equal(await page.locator("#year").inputValue(), "2021", "a year field takes digits only");
    await page.locator("#vin").fill("LSVAA4180E2I23456");
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByText("A VIN never contains I, O or Q: character 12 is I. Check whether it is 1 or 0.").waitFor();
    await page.locator("#vin").fill("");
    await page.locator("#mileage").fill("45210");
    await counter.tap(page.getByRole("button", { name: "Next", exact: true }));

    await heading(page, "How we reach you").waitFor();
    await accessible(page);
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByText("Enter your name.").waitFor();
    assert.equal(await page.getByLabel("Your name").getAttribute("aria-invalid"), "true");
    await page.getByLabel("Your name").fill("Olivia Chen");
    await page.getByLabel("Email (optional)").fill("olivia@");
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByText("An email address looks like name@example.com.").waitFor();
    await page.getByLabel("Email (optional)").fill("olivia@example.com");
    await counter.tap(page.getByRole("button", { name: "Next", exact: true }));

    await heading(page, "What is wrong with the car?").waitFor();
    await accessible(page);
    await counter.tap(page.getByRole("button", { name: "Shuttle", exact: true }));
    await page.getByRole("button", { name: "When does it happen?" }).click();
    await page.getByLabel("In your own words (optional)").press("End");
    await page.keyboard.type("on cold mornings, a squeal from the front");
    await counter.tap(page.getByRole("button", { name: "Next", exact: true }));

    await heading(page, "Check your booking").waitFor();
    await accessible(page);
    const summary = await page.locator(".summary").textContent();
    for (const part of ["Oil and filter change", "沪A9875", "Volkswagen Lavida", "Olivia Chen", "139 0000 1234"]) assert.ok(summary.includes(part), `${part} in ${summary}`);
    await counter.tap(page.getByRole("button", { name: "Book this visit" }));

    await heading(page, "You're booked").waitFor();
    await page.getByText(/will receive you\./).waitFor();
    await page.getByText("Please bring your service booklet and the vehicle registration.").waitFor();
    await accessible(page);
    const code = (await page.locator(".code").textContent()).trim();
    assert.match(code, /^[ACDEFGHJKLMNPQRTUVWXY34679]{6}$/);
    assert.ok(counter.taps <= 12, `booking took ${counter.taps} taps`);
    console.log(`# kiosk booking: ${counter.taps} taps besides typing`);

    const { appointments } = await serverHas("Olivia Chen", (v) => v.appointments.length === 1);
    const [appointment] = appointments;
    assert.equal(appointment.code, code);
    assert.equal(appointment.status, "booked");
    assert.equal(appointment.transport, "shuttle");
    assert.deepEqual(appointment.services, ["svc-oil"]);
    assert.match(appointment.concerns, /^When does it happen\? on cold mornings, a squeal from the front$/);
    assert.ok(appointment.advisor, "an advisor was assigned");
    await recordScreenTimes(page);

    await page.getByRole("button", { name: "Done" }).click();
    await heading(page, "Welcome").waitFor();
    assert.ok(!(await page.content()).includes(code), "the next customer does not see the code");
    assert.deepEqual(page.errors, []);
    await context.close();
  });
  test("a slot taken meanwhile sends the customer back to choose another time, keeping the rest", async () => {
    const { context, page } = await kiosk();
    const slot = await firstFreeSlot();
    await page.getByRole("link", { name: /Book a visit/ }).click();
    await page.getByRole("button", { name: /Tyre rotation/ }).click();
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByRole("group", { name: "Free times" }).getByRole("button").first().click();
    await fillCustomer(page, tapper(), { plate: "沪C55555", phone: "13955556666", make: "Kia", model: "K5", name: "Noah Park" });
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await heading(page, "Check your booking").waitFor();

    await fillSlot(slot);
    await page.getByRole("button", { name: "Book this visit" }).click();
    await heading(page, "When would you like to come?").waitFor();
    await page.getByRole("alert").filter({ hasText: "That time was just taken by someone else." }).waitFor();
    await accessible(page);
    const { appointments, followUps } = await serverView("Noah Park");
    assert.equal(appointments.length, 0, "nothing was booked");
    assert.equal(followUps.length, 1, "the staff can call the customer");
    // An advisor's tablet lists it, with how to reach the customer.
    const tablet = await newPage(world.browser, { timezoneId: "Asia/Shanghai", bypassCSP: true });
    await setUpTablet(world.server, tablet.page, "Front desk tablet");
    await tablet.page.getByRole("button", { name: "Li Na" }).click();
    await typePin(tablet.page, "1111");
    await tablet.page.getByRole("button", { name: "Sign in" }).click();
    const callBack = tablet.page.getByRole("region", { name: "Kiosk requests to call back" });
    await callBack.getByText("Noah Park").waitFor();
    await callBack.getByRole("link", { name: "13955556666" }).waitFor();
    assert.match(await callBack.textContent(), /The time they chose was full by then\./);
    assert.deepEqual(await axeViolations(tablet.page), []);
    // Called back: marked handled with what was agreed (not without), then off the list.
    const item = callBack.getByRole("listitem").filter({ hasText: "Noah Park" });
    await item.getByRole("button", { name: "Mark as handled" }).click();
    await item.getByRole("alert").filter({ hasText: "Say what was agreed with the customer first." }).waitFor();
    await item.getByLabel("What was agreed with Noah Park").fill("Booked the next free time at the kiosk with him");
    await item.getByRole("button", { name: "Mark as handled" }).click();
    await item.waitFor({ state: "detached" });
    const handled = await serverHas("Noah Park", (v) => v.followUps[0]?.handled);
    assert.equal(handled.followUps[0].handled.note, "Booked the next free time at the kiosk with him");
    assert.equal(handled.followUps[0].handled.by, "adv-1");
    await tablet.context.close();

    // The next free time goes straight back to the review: everything else is kept.
    await page.getByRole("group", { name: "Free times" }).getByRole("button").first().click();
    await heading(page, "Check your booking").waitFor();
    assert.ok((await page.locator(".summary").textContent()).includes("Noah Park"));
    await page.getByRole("button", { name: "Book this visit" }).click();
    await heading(page, "You're booked").waitFor();
    const booked = await serverHas("Noah Park", (v) => v.appointments.length === 1);
    assert.notEqual(booked.appointments[0].slot_start, slot);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
  test("a full storage says so and loses no earlier booking", async () => {
    const { context, page } = await kiosk();
    // Each at its own time: both are only requested, and must not take each other's room.
    const book = async (name, plate, time) => {
      await page.getByRole("link", { name: /Book a visit/ }).click();
      await page.getByRole("button", { name: /Oil and filter change/ }).click();
      await page.getByRole("button", { name: "Next", exact: true }).click();
      await page.getByRole("group", { name: "Free times" }).getByRole("button").nth(time).click();
      await fillCustomer(page, tapper(), { plate, phone: `1371234${plate.slice(-4)}`, make: "MG", model: "4", name });
      await page.getByRole("button", { name: "Next", exact: true }).click();
      await page.getByRole("button", { name: "Book this visit" }).click();
    };
    // Offline, the free times come from the service worker's memory of them.
    await waitForOfflineReady(page);
    await page.getByRole("link", { name: /Book a visit/ }).click();
    await page.getByRole("button", { name: /Oil and filter change/ }).click();
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByRole("group", { name: "Free times" }).getByRole("button").first().waitFor();
    await page.getByRole("link", { name: "Start over" }).click();
    await context.setOffline(true);

    await book("Mia First", "沪F10001", 2);
    await heading(page, "Time requested").waitFor();
    await page.getByRole("button", { name: "Done" }).click();

    // The browser's refusal as a full disk gives it: the transaction aborts with a
    // QuotaExceededError. (Chromium's DevTools quota override, Storage.overrideQuotaForOrigin,
    // changes nothing for a headless context here, so the refusal is made by hand.)
    await page.evaluate(() => {
      const add = IDBObjectStore.prototype.add;
      IDBObjectStore.prototype.add = function (...args) {
        const request = add.apply(this, args);
        if (window.__storageFull) {
          const tx = this.transaction;
          Object.defineProperty(tx, "error", { value: new DOMException("The quota has been exceeded.", "QuotaExceededError") });
          // After the change's other writes, before it commits: where a full disk refuses it.
          queueMicrotask(() => tx.abort());
        }
        return request;
      };
      window.__storageFull = true;
    });
    await book("Mia Second", "沪F10002", 3);
    await page.getByRole("alert").filter({ hasText: "This device's storage is full. Earlier changes are kept" }).first().waitFor();
    await heading(page, "Check your booking").waitFor();
    assert.equal((await storage(page)).outbox, 1, "the first booking is still waiting");

    assert.equal((await serverView("Mia Second")).appointments.length, 0);

    // With room again, the same tap saves it; both arrive once the network is back.
    await page.evaluate(() => (window.__storageFull = false));
    await page.getByRole("button", { name: "Book this visit" }).click();
    await heading(page, "Time requested").waitFor();
    await context.setOffline(false);
    await serverHas("Mia First", (v) => v.appointments.length === 1);
    await serverHas("Mia Second", (v) => v.appointments.length === 1);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
