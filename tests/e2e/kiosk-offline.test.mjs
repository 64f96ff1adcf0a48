// The kiosk as a shared screen that loses its network: left idle it starts over and keeps nothing
// of the customer where the next can reach it; bookings and check-ins made with the network cut
// and the page reloaded arrive once each when it is back.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PLATE_TABS, accessible, recordScreenTimes, startupTime, fillCustomer, heading, kiosk, serverHas, storage, tapper, typeOnKeypad, useKioskWorld } from "./kiosk-support.mjs";
import { waitForOfflineReady } from "./support.mjs";

useKioskWorld();

describe("kiosk", () => {
  test("left idle, the kiosk counts down, starts over, and keeps nothing of the customer where the next can reach it", async () => {
    const { context, page } = await kiosk();
    await page.evaluate(() => localStorage.setItem("lane.kiosk.idle_seconds", "4"));
    await waitForOfflineReady(page);
    await page.getByRole("link", { name: /Book a visit/ }).click();
    await page.getByRole("button", { name: /Air conditioning/ }).click();
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByRole("group", { name: "Free times" }).getByRole("button").first().click();
    await typeOnKeypad(page, "Number plate", "沪D24242", PLATE_TABS.en);
    await page.locator("#phone").fill("13924242424");

    // The countdown, and one tap keeps the customer's work.
    const dialog = page.getByRole("alertdialog", { name: "Are you still there?" });
    await dialog.waitFor();
    await dialog.getByText(/starts over in \d seconds/).waitFor();
    await accessible(page);
    await dialog.getByRole("button", { name: "I'm still here" }).click();
    await dialog.waitFor({ state: "hidden" });
    assert.equal(await page.locator("#plate").inputValue(), "沪D24242");

    // A booking saved offline, then left on its confirmation screen.
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.locator("#make").fill("Nio");
    await page.locator("#model").fill("ES6");
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByLabel("Your name").fill("Ava Idle");
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await context.setOffline(true);
    await page.getByRole("button", { name: "Book this visit" }).click();
    await heading(page, "Time requested").waitFor();
    const code = (await page.locator(".code").textContent()).trim();

    await heading(page, "Welcome").waitFor({ timeout: 10_000 });
    const html = await page.content();
    for (const trace of ["Ava Idle", "13924242424", "D24242", code, "Nio"]) assert.ok(!html.includes(trace), `${trace} left on screen`);
    const kept = await storage(page);
    for (const trace of ["Ava Idle", "13924242424", "D24242", code]) {
      for (const where of ["local", "session", "records", "rejected"]) assert.ok(!kept[where].includes(trace), `${trace} left in ${where} storage`);
    }
    assert.equal(kept.outbox, 1, "the booking waits in the outbox, never shown");
    // Back: the browser's history shows a fresh flow, not the customer's.
    await page.goBack();
    assert.ok(!(await page.content()).includes("Ava Idle"));

    await context.setOffline(false);
    await serverHas("Ava Idle", (v) => v.appointments.length === 1);
    await page.waitForFunction(async () => {
      const db = await new Promise((r) => (indexedDB.open("lane").onsuccess = (e) => r(e.target.result)));
      const count = await new Promise((r) => (db.transaction("outbox").objectStore("outbox").count().onsuccess = (e) => r(e.target.result)));
      db.close();
      return count === 0;
    });
    assert.deepEqual(page.errors, []);
    await context.close();
  });
  test("booking and checking in with the network cut and the page reloaded arrive once each when it is back", async () => {
    const { context, page } = await kiosk();
    await waitForOfflineReady(page);
    const status = page.getByRole("status", { name: "Connection" });
    // The service worker remembers the free times the kiosk sees while online.
    await page.getByRole("link", { name: /Book a visit/ }).click();
    await page.getByRole("button", { name: /Brake inspection/ }).click();
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByRole("group", { name: "Free times" }).getByRole("button").first().waitFor();
    await page.getByRole("link", { name: "Start over" }).click();

    // Check-in: found online, the network drops before the customer finishes.
    await page.getByRole("link", { name: /Check in/ }).click();
    await typeOnKeypad(page, "Confirmation code", "W3JF6L");
    await page.getByRole("button", { name: "Find my booking" }).click();
    await heading(page, "Is this your booking?").waitFor();
    await context.setOffline(true);
    await page.getByRole("button", { name: "Yes, that's me" }).click();
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByRole("button", { name: "Done: check me in" }).click();
    await heading(page, "You're checked in").waitFor();
    await page.getByText("The kiosk is offline: your check-in is kept here").waitFor();
    await page.getByText("Sarah Miller will come to you in a few minutes.").waitFor();
    await status.filter({ hasText: "1 change waiting" }).waitFor();
    await accessible(page);
    await page.getByRole("button", { name: "Done" }).click();

    // Booking, all of it offline: the free times are the ones the kiosk saw last (at its start).
    await page.getByRole("link", { name: /Book a visit/ }).click();
    await page.getByRole("button", { name: /Brake inspection/ }).click();
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByText("The kiosk is offline: these are the free times it saw last.").waitFor();
    await page.getByRole("group", { name: "Free times" }).getByRole("button").first().click();
    await fillCustomer(page, tapper(), { plate: "沪E11111", phone: "13811112222", make: "Buick", model: "GL8", name: "Liam Offline" });
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByRole("button", { name: "Book this visit" }).click();
    await heading(page, "Time requested").waitFor();
    await page.getByText("The kiosk is offline: your time is requested, not yet confirmed.").waitFor();
    await status.filter({ hasText: "2 changes waiting" }).waitFor();
    await accessible(page);
    await page.getByRole("button", { name: "Done" }).click();

    // Offline, a lookup says it needs the network instead of failing.
    await page.getByRole("link", { name: /Check in/ }).click();
    await page.getByRole("alert").filter({ hasText: "Finding a booking needs the network" }).waitFor();

    await recordScreenTimes(page);
    await page.reload();
    await heading(page, "Find your booking").waitFor();
    console.log(`# kiosk start-up offline (service worker): first heading after ${(await startupTime(page)).toFixed(0)} ms`);
    await status.filter({ hasText: "2 changes waiting" }).waitFor();
    await context.setOffline(false);
    await status.filter({ hasText: "All changes saved to the server" }).waitFor();

    const booking = await serverHas("Liam Offline", (v) => v.appointments.length >= 1);
    assert.equal(booking.appointments.length, 1, "the booking arrived once");
    const checkIn = await serverHas("James Carter", (v) => v.visits.length >= 1);
    assert.equal(checkIn.visits.length, 1, "the check-in arrived once");
    assert.equal(checkIn.appointments[0].status, "arrived");
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
