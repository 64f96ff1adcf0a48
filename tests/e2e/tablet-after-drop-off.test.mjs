// The advisor's tablet after drop-off, with the browser's clock under the test's control: the
// hand-over, the deadlines the rules derive (progress check at 75% of the estimate, pickup notice
// an hour before the promised time, highlighted 15 minutes ahead) and the late-job prompt answered
// by a delay notice; added work, one line approved by the customer's signature and one declined by
// phone; the three quality checks, the wash and ready; then pickup with readings, the drop-off
// walk-around compared, a new mark, belongings and keys ticked and the customer's signature. Bad
// input is refused, and a whole pickup done offline with a reload midway arrives once. The
// delivered visit's first follow-up call then comes due on the follow-up list.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { api, axeViolations, enrolDevice, launchBrowser, newPage, pushChanges, smallTargets, startServer, waitForOfflineReady } from "./support.mjs";
import { CARTER, WANG, dropOff, kioskCheckIn, serverSignature, sign, signIn, tapper } from "./tablet-support.mjs";

let server;
let browser;
let reader;

before(async () => {
  server = await startServer({ admin: true });
  browser = await launchBrowser();
  reader = await enrolDevice(server, "tablet", "Reader");
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const SHANGHAI = { timezoneId: "Asia/Shanghai", bypassCSP: true };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const sql = (query) => execFileSync("sqlite3", [server.dbPath, query], { encoding: "utf8" }).trim();
const stored = (visit) => JSON.parse(sql(`SELECT body FROM visits WHERE id = '${visit}'`));

/** Waits until the server's copy of `visit` satisfies `ok`. */
async function serverVisit(visit, ok, what) {
  for (const deadline = Date.now() + 30_000; ; ) {
    const body = stored(visit);
    if (ok(body)) return body;
    assert.ok(Date.now() < deadline, `the server never got ${what}: ${JSON.stringify(body).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A tablet page that does not lock while the test moves its clock ahead. */
async function tablet(viewport) {
  const { context, page } = await newPage(browser, { ...SHANGHAI, viewport });
  await page.addInitScript(() => localStorage.setItem("lane.tablet.lock_seconds", "1000000"));
  await signIn(server, page);
  return { context, page };
}

/** "Friday, December 4, 3:30 PM", as the app writes an instant (format::moment), in the page. */
const moment = (page, millis) =>
  page.evaluate((at) => {
    const d = new Date(at);
    const day = new Intl.DateTimeFormat("en", { weekday: "long", month: "long", day: "numeric" }).format(d);
    return `${day}, ${new Intl.DateTimeFormat("en", { hour: "numeric", minute: "2-digit" }).format(d)}`;
  }, millis);

/** The deadlines of a visit in the workshop, by the client's rules, from the server's copy. */
function deadlines(body) {
  const started = Date.parse(body.handover.at);
  const longest = Math.ceil((body.estimate.minutes * (100 + body.estimate.margin_percent)) / 100);
  const promised = Date.parse(body.promised_at);
  const notice = promised - (promised - started <= 48 * HOUR ? HOUR : 4 * HOUR);
  return { started, progress: started + (longest * MINUTE * 3) / 4, notice, promised };
}

/** Drop-off done and signed on the tablet, then taken into the workshop. */
async function signedAndHandedOver(page, customer, visit) {
  await page.getByRole("link", { name: new RegExp(customer.name) }).click();
  await page.getByRole("heading", { level: 1, name: customer.heading }).waitFor();
  await dropOff(page, tapper(page), customer);
  await sign(page);
  await page.getByRole("button", { name: customer.sign }).click();
  await page.getByRole("status").filter({ hasText: "The customer signed this order." }).waitFor();
  await serverVisit(visit, (v) => v.state === "written_up_and_signed", "the signed order");
  await page.getByRole("tab", { name: "Workshop" }).click();
  await page.getByRole("button", { name: "Hand over to the workshop" }).click();
  await page.getByRole("alert").filter({ hasText: "Write the person's name." }).waitFor();
  await page.getByLabel("Taken by (technician)").fill("李工");
  await page.getByRole("button", { name: "Hand over to the workshop" }).click();
  await page.getByText(/Taken into the workshop by 李工 at/).waitFor();
  return serverVisit(visit, (v) => v.state === "in_workshop", "the hand-over");
}

/** Work finished, the three checks passed, the wash, and ready with the pickup notice. */
async function checkedAndReady(page, visit) {
  await page.getByRole("tab", { name: "Workshop" }).click();
  await page.getByRole("button", { name: "Work finished: start the quality checks" }).click();
  await page.getByLabel("Checked by").fill("Park");
  for (const stage of ["Technician's check", "Team lead's check", "Final inspection"]) {
    await page.getByRole("group", { name: `Next: ${stage}` }).waitFor();
    await page.getByRole("button", { name: "Passed" }).click();
  }
  await page.getByText(/Final inspection · passed · Park/).waitFor();
  await page.getByRole("button", { name: "Car washed" }).click();
  await page.getByRole("button", { name: "Car ready, customer told" }).click();
  await page.getByRole("alert").filter({ hasText: "Write what was said." }).waitFor();
  await page.getByLabel("What you told the customer").fill("Your car is ready; see you at five.");
  await page.getByRole("button", { name: "Car ready, customer told" }).click();
  await serverVisit(visit, (v) => v.state === "ready", "the car made ready");
}

/** The pickup readings typed on the keypad, with a note if given. */
async function pickupReadings(page, odometer, note) {
  const keypad = page.getByRole("group", { name: "Keypad for Odometer" });
  const field = page.getByRole("textbox", { name: "Odometer" });
  while ((await field.inputValue()).length > 0) await keypad.getByRole("button", { name: "Delete the last character" }).click();
  for (const digit of odometer) await keypad.getByRole("button", { name: digit, exact: true }).click();
  await page.getByRole("radio", { name: "3/8" }).click();
  await page.getByLabel("Why it went further (such as a road test)").fill(note ?? "");
  await page.getByRole("button", { name: "Save the pickup readings" }).click();
}

/** The walk-around compared: one new scratch; then everything handed back. */
async function comparedAndHandedBack(page) {
  await page.getByRole("heading", { name: "Walk-around: drop-off and now" }).waitFor();
  await page.getByRole("group", { name: "Views of the car" }).getByRole("button", { name: /Right side/ }).click();
  await page.getByRole("button", { name: "Right rear door", exact: true }).click();
  await page.getByRole("button", { name: "Scratch", exact: true }).click();
  await page.getByRole("button", { name: "Minor", exact: true }).click();
  await page.getByRole("button", { name: "Done", exact: true }).click();
  await page.getByRole("button", { name: "Child seat" }).click();
  await page.getByRole("button", { name: "Keys handed back" }).click();
}

describe("tablet after drop-off", () => {
  test("from hand-over to delivery: deadlines by the rules, a late job's delay notice, added work, checks, pickup", async () => {
    const visit = await kioskCheckIn(server, WANG.code, "刹车有异响");
    const { page } = await tablet({ width: 1024, height: 768 });
    const body = await signedAndHandedOver(page, WANG, visit);
    // From here the test moves the page's clock; it starts at the real time, so the server takes
    // what the tablet records.
    await page.clock.install({ time: new Date() });
    await page.reload();
    await page.getByRole("tab", { name: "Workshop" }).click();
    const due = deadlines(body);
    assert.equal(new Date(due.started).getUTCMinutes() % 10, 0, "the hand-over is to the nearest 10 minutes");
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(await smallTargets(page), []);

    // The next deadline is the earliest the rules give, highlighted from 15 minutes before it.
    const [kind, at] = due.progress <= due.notice ? ["Progress check with the workshop due", due.progress] : ["Tell the customer the car will be ready by", due.notice];
    const deadline = page.locator(".deadline");
    await deadline.filter({ hasText: `${kind} ${await moment(page, at)}` }).waitFor();
    if (at - Date.now() > 20 * MINUTE) assert.equal(await deadline.filter({ hasText: "Due soon:" }).count(), 0);
    const now = await page.evaluate(() => Date.now());
    if (at - 14 * MINUTE > now) {
      await page.clock.fastForward(at - 14 * MINUTE - now);
      await deadline.filter({ hasText: "Due soon:" }).waitFor();
    }

    // Past the pickup-notice time and not ready: the advisor is told to warn the customer.
    const late = page.getByRole("alert").filter({ hasText: "This job is late." });
    assert.equal(await late.count(), 0);
    await page.clock.fastForward(due.notice + MINUTE - (await page.evaluate(() => Date.now())));
    await late.waitFor();
    assert.equal(await page.getByRole("group", { name: "Why" }).getByRole("button", { name: "Delay notice" }).getAttribute("aria-pressed"), "true");
    await page.getByRole("group", { name: "How" }).first().getByRole("button", { name: "Phone" }).click();
    await page.getByLabel("What was said").fill("The brake discs take longer; we are sorry. New time given.");
    for (let i = 0; i < 4; i++) await page.getByRole("group", { name: "New promised time:" }).getByRole("button", { name: "15 min later" }).click();
    await page.getByRole("button", { name: "Record", exact: true }).click();
    await late.waitFor({ state: "hidden" });
    await page.getByText(/Delay notice · Phone — The brake discs take longer/).waitFor();
    const told = await serverVisit(visit, (v) => v.contacts.length === 1, "the delay notice");
    assert.equal(told.contacts[0].purpose, "delay");
    assert.equal(Date.parse(told.promised_at), due.promised + HOUR);

    // Added work: two findings; the wiper blades declined by phone, the discs signed for.
    await page.getByRole("tab", { name: "Added work" }).click();
    const added = page.getByRole("list", { name: "Added work" }).getByRole("listitem");
    const addLine = async (reason, description, price) => {
      await page.getByLabel("Why it is needed, as you will explain it to the customer").fill(reason);
      await page.getByLabel("Description").fill(description);
      await page.getByLabel("Unit price").fill(price);
      await page.getByRole("button", { name: "Add line" }).click();
      await added.filter({ hasText: description }).waitFor();
    };
    await page.getByRole("button", { name: "Safety item" }).click();
    await addLine("Front discs scored below the limit", "Front brake discs", "450");
    await addLine("Blades smear the screen", "Wiper blades", "120");
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(await smallTargets(page), []);
    const wipers = added.filter({ hasText: "Wiper blades" });
    await wipers.getByRole("button", { name: "Declined by phone" }).click();
    await page.getByRole("alert").filter({ hasText: "Note what the customer said on the phone" }).waitFor();
    await wipers.getByLabel("Your note of the call (required for an answer by phone)").fill("Not this time, maybe at the next service");
    await wipers.getByRole("button", { name: "Declined by phone" }).click();
    await wipers.getByRole("status").filter({ hasText: /Declined by 王芳, by phone/ }).waitFor();
    await page.getByRole("heading", { name: "追加项目确认" }).waitFor();
    await page.getByRole("button", { name: "我同意以上项目" }).click();
    await page.getByRole("alert").filter({ hasText: "签名为空或太小" }).waitFor();
    await sign(page);
    await page.getByRole("button", { name: "我同意以上项目" }).click();
    await added.filter({ hasText: "Front brake discs" }).getByRole("status").filter({ hasText: /Approved by 王芳, in person/ }).waitFor();
    const approval = await serverSignature(server, reader, visit, "added_work_approval");
    assert.equal((await api(server, "GET", `/api/signatures/${approval.id}/verification`, { token: reader.token })).holds, true);
    const answered = await serverVisit(visit, (v) => v.approvals_signed === 1, "the approval");
    const decisions = Object.fromEntries(answered.job_lines.filter((l) => l.added).map((l) => [l.description, [l.added.decision.status, l.added.decision.channel]]));
    assert.deepEqual(decisions, { "Front brake discs": ["approved", "in_person"], "Wiper blades": ["declined", "phone"] });

    // Approving a line twice is refused by the server, and changes nothing.
    const discs = answered.job_lines.find((l) => l.description === "Front brake discs").id;
    const again = { type: "record_visit", visit, event: { event: "answered", line: discs, decision: { status: "approved", at: new Date().toISOString(), by: "王芳", channel: "phone", note: "yes" } } };
    const session = (await api(server, "POST", "/api/advisors/sign-in", { token: reader.token, body: { advisor: "adv-1", pin: "1111" } })).token;
    const [refused] = await pushChanges(server, reader, [again], session);
    assert.equal(refused.outcome, "rejected");
    assert.match(refused.reason.message, /already answered/);
    assert.deepEqual(stored(visit).job_lines, answered.job_lines);

    // Before the car is ready, pickup cannot be signed.
    await page.getByRole("tab", { name: "Pickup" }).click();
    await page.getByRole("status").filter({ hasText: "The car is not ready yet" }).waitFor();
    assert.equal(await page.getByRole("button", { name: "我确认提车" }).count(), 0);

    await checkedAndReady(page, visit);
    assert.equal(await page.locator(".deadline").count(), 0);

    // Pickup: the charges against the estimate, the readings (never below drop-off; a long way
    // needs a note), the walk-around compared, everything handed back, and the signature.
    await page.getByRole("tab", { name: "Pickup" }).click();
    await page.getByRole("cell", { name: "Front brake discs" }).first().waitFor();
    await page.getByText(/Recommended for next time: Wiper blades/).waitFor();
    await page.getByText(/above the estimate, from the approved added work/).waitFor();
    await pickupReadings(page, "38000");
    await page.getByRole("alert").filter({ hasText: "lower than the drop-off reading" }).waitFor();
    await pickupReadings(page, "38560");
    await page.getByRole("alert").filter({ hasText: "more than 10 km" }).waitFor();
    assert.equal(stored(visit).pickup, null);
    await pickupReadings(page, "38560", "Road test after the disc change");
    await page.getByText("Readings saved.").waitFor();
    await page.getByRole("status").filter({ hasText: "Hand back every item on the belongings list" }).waitFor();
    await comparedAndHandedBack(page);
    await page.getByRole("heading", { name: "您的车辆已完工" }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(await smallTargets(page), []);
    await sign(page);
    await page.getByRole("button", { name: "我确认提车" }).click();
    await page.getByRole("status").filter({ hasText: /^Delivered / }).waitFor();

    const pickup = await serverSignature(server, reader, visit, "pickup_acceptance");
    assert.deepEqual(await api(server, "GET", `/api/signatures/${pickup.id}/verification`, { token: reader.token }), { signature: pickup.id, holds: true, problem: null, message: null, superseded: false });
    const delivered = await serverVisit(visit, (v) => v.state === "delivered", "the delivery");
    assert.equal(delivered.pickup.odometer.value, 38560);
    assert.equal(delivered.pickup.note, "Road test after the disc change");
    assert.equal(delivered.handback.new_marks.length, 1);
    assert.deepEqual(delivered.handback.returned, ["Child seat"]);
    assert.equal(delivered.quality.length, 3);
    const document = JSON.parse(sql(`SELECT document FROM signatures WHERE id = '${pickup.id}'`));
    assert.deepEqual(document.content.declined.map((l) => l.description), ["Wiper blades"]);
    assert.equal(document.content.new_marks.length, 1);

    // The printed order gains the pickup section and its signature.
    await page.getByRole("link", { name: "Print the order" }).click();
    await page.getByRole("heading", { name: "交车确认" }).first().waitFor();
    assert.equal(await page.locator(".printed-order svg").count(), 4);

    // The delivered visit's first follow-up call: 3 days to a week after delivery, due once the
    // three days are over.
    const deliveredAt = Date.parse(delivered.delivered_at);
    await page.goto(server.url + "/advisor/follow-ups");
    const call = page.getByRole("region", { name: "Calls to make" }).getByRole("article", { name: WANG.heading });
    await call.getByText(`First call: From ${await moment(page, deliveredAt + 3 * DAY)}, due by ${await moment(page, deliveredAt + 7 * DAY)}`).waitFor();
    await call.getByText("Coming", { exact: true }).waitFor();
    await page.clock.fastForward(3 * DAY + HOUR);
    await call.getByText("Due now", { exact: true }).waitFor();
    assert.deepEqual(page.errors, []);
  });

  test("a whole pickup done offline, with a reload midway, arrives once", async () => {
    const visit = await kioskCheckIn(server, CARTER.code, "Steering wheel shakes above 100 km/h");
    const { context, page } = await tablet({ width: 768, height: 1024 });
    await waitForOfflineReady(page);
    await signedAndHandedOver(page, CARTER, visit);
    await checkedAndReady(page, visit);
    const applied = Number(sql("SELECT COUNT(*) FROM applied_mutations"));

    await context.setOffline(true);
    await page.getByRole("tab", { name: "Pickup" }).click();
    await pickupReadings(page, "54425");
    await page.getByText("Readings saved.").waitFor();
    // Stored on the tablet (the outbox shows it waiting) before the page goes.
    await page.getByRole("status", { name: "Connection" }).filter({ hasText: /waiting/i }).waitFor();
    await page.reload();
    await page.getByRole("heading", { level: 1, name: CARTER.heading }).waitFor();
    await page.getByRole("tab", { name: "Pickup" }).click();
    await page.getByText("Readings saved.").waitFor();
    assert.equal(await page.getByRole("textbox", { name: "Odometer" }).inputValue(), "54425");
    await comparedAndHandedBack(page);
    await page.getByRole("heading", { name: "Your car is ready" }).waitFor();
    await sign(page);
    await page.getByRole("button", { name: "I accept my car" }).click();
    await page.getByRole("status").filter({ hasText: /^Delivered / }).waitFor();
    assert.equal(stored(visit).state, "ready");
    await page.getByRole("status", { name: "Connection" }).filter({ hasText: /waiting/i }).waitFor();

    await context.setOffline(false);
    const delivered = await serverVisit(visit, (v) => v.state === "delivered", "the offline pickup");
    await page.getByRole("status", { name: "Connection" }).filter({ hasText: "All changes saved to the server" }).waitFor();
    assert.equal(delivered.handback.new_marks.length, 1);
    assert.equal(delivered.handback.keys_returned, true);
    assert.equal(Number(sql(`SELECT COUNT(*) FROM signatures WHERE visit_id = '${visit}' AND document_kind = 'pickup_acceptance'`)), 1);
    const changes = Number(sql("SELECT COUNT(*) FROM applied_mutations")) - applied;
    assert.ok(changes >= 4, `${changes} changes arrived`);
    assert.equal(Number(sql("SELECT COUNT(DISTINCT mutation_id) FROM applied_mutations")), Number(sql("SELECT COUNT(*) FROM applied_mutations")));
    assert.deepEqual(page.errors, []);
  });
});
