// After drop-off on the tablet, under a controlled clock: the board shows each car's next deadline
// as the rules derive it (the progress check at 75% of the estimate from the hand-over, the pickup
// notice an hour before the promised time for a short job), highlighted within 15 minutes of it,
// and a late job's prompt to tell the customer. On /advisor/follow-ups a delivered visit's first
// call shows its window (3 days to a week after delivery); a satisfied call moves it to the second
// call, due 7 days after; a complaint call opens a case with its 2-day escalation and 72-hour
// proposal deadlines, and is escalated, answered with a proposal and resolved; class A sets the
// next contact a week on.
//
// The visits are seeded through the real API (check-in, edits, the walk-around done, then
// `record_visit` events), except for the two signatures: the drop-off order's and the pickup
// acceptance's need the SHA-256 of the canonical document the server builds, which this test does
// not rebuild in JavaScript. So the test writes those two steps into the database as a signature
// would (sqlite3: the visit's `state` and body set to `written_up_and_signed`, and later to
// `delivered` with its `delivered_at`), before the tablet's first pull. Every later step, and
// everything the tablet does, goes through the server's rules.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { api, axeViolations, enrolDevice, launchBrowser, newPage, pushChanges, setUpTablet, smallTargets, startServer, typePin } from "./support.mjs";

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

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SHANGHAI = { timezoneId: "Asia/Shanghai", bypassCSP: true };
const sql = (query) => execFileSync("sqlite3", [server.dbPath, query], { encoding: "utf8" }).trim();
const iso = (ms) => new Date(ms).toISOString();

/** The hand-over, on a 10-minute mark (as the domain rounds it), a little before now. */
const HANDOVER = Math.floor(Date.now() / (10 * MINUTE)) * 10 * MINUTE - 10 * MINUTE;
const CARTER = { appointment: "demo-appt-3", name: "James Carter", plate: "沪C24680", estimate: 80, promised: HANDOVER + 3 * HOUR };
const BROWN = { appointment: "demo-appt-7", name: "Emma Brown", plate: "沪F86420", estimate: null, promised: HANDOVER + 150 * MINUTE };
/** Delivered three days and two hours before the hand-over: the first call is due. */
const WANG = { appointment: "demo-appt-0", name: "王芳", plate: "沪A12345", estimate: 60, promised: null, delivered: HANDOVER - 3 * DAY - 2 * HOUR };

const signed = (visit) =>
  sql(`UPDATE visits SET state = 'written_up_and_signed', body = json_set(body, '$.state', 'written_up_and_signed') WHERE id = '${visit}'`);

/** Checks `customer` in and takes the visit into the workshop; returns the visit's id. */
async function intoWorkshop(seeder, session, customer, handover = HANDOVER) {
  const visit = crypto.randomUUID();
  const edit = (field, value) => ({ type: "edit_visit", visit, base: 0, edit: { field, value } });
  const changes = [{ type: "check_in", visit, arrival: { booked: customer.appointment }, transport: "wait", concerns: "Service due", key_tag: null }];
  if (customer.estimate) changes.push(edit("estimate", { cost: { minor: 58000, currency: "CNY" }, minutes: customer.estimate, margin_percent: 0 }));
  if (customer.promised) changes.push(edit("promised_at", iso(customer.promised)));
  changes.push({ type: "advance_visit", visit, to: "walk_around_done" });
  for (const result of await pushChanges(server, seeder, changes, session)) assert.equal(result.outcome, "applied", JSON.stringify(result));
  // The drop-off order signed (see the top of the file).
  signed(visit);
  const [handed] = await pushChanges(server, seeder, [{ type: "record_visit", visit, event: { event: "handed_over", handover: { by: "Tech Li", at: iso(handover) } } }], session);
  assert.equal(handed.outcome, "applied", JSON.stringify(handed));
  return visit;
}

/** Runs the visit through the workshop by its events, then delivers it as the pickup signature would. */
async function deliver(seeder, session, visit, at) {
  const event = (event) => ({ type: "record_visit", visit, event });
  const check = (stage) => event({ event: "checked", check: { stage, by: "Lead Park", at: iso(at - 2 * HOUR), passed: true, note: "" } });
  const results = await pushChanges(server, seeder, [
    event({ event: "work_finished", at: iso(at - 3 * HOUR) }),
    check("technician"),
    check("team_lead"),
    check("final_inspection"),
    event({ event: "washed", at: iso(at - HOUR) }),
    event({ event: "ready", notice: { purpose: "pickup_notice", at: iso(at - HOUR), channel: "phone", said: "Ready at five" } }),
  ], session);
  for (const result of results) assert.equal(result.outcome, "applied", JSON.stringify(result));
  assert.equal(sql(`SELECT state FROM visits WHERE id = '${visit}'`), "ready");
  sql(`UPDATE visits SET state = 'delivered', body = json_set(body, '$.state', 'delivered', '$.delivered_at', '${iso(at)}') WHERE id = '${visit}'`);
}

/** What the app shows for an instant, by the browser's Intl as src/format.rs asks it. */
async function shown(page, ms) {
  return page.evaluate((ms) => {
    const time = new Intl.DateTimeFormat("en", { hour: "numeric", minute: "2-digit" }).format(new Date(ms));
    const day = new Intl.DateTimeFormat("en", { weekday: "long", month: "long", day: "numeric" }).format(new Date(ms));
    return { time, moment: `${day}, ${time}` };
  }, ms);
}

const visitBody = (visit) => JSON.parse(sql(`SELECT body FROM visits WHERE id = '${visit}'`));

async function until(what, check, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("the board's deadlines and the follow-up calls, complaint and class, by the rules", async () => {
  const seeder = await enrolDevice(server, "tablet", "Seeder");
  const { token: session } = await api(server, "POST", "/api/advisors/sign-in", { token: seeder.token, body: { advisor: "adv-1", pin: "1111" } });
  const carter = await intoWorkshop(seeder, session, CARTER);
  const brown = await intoWorkshop(seeder, session, BROWN);
  const wang = await intoWorkshop(seeder, session, WANG, WANG.delivered - 5 * HOUR);
  await deliver(seeder, session, wang, WANG.delivered);

  const { context, page } = await newPage(browser, SHANGHAI);
  // Long clock jumps must not lock the tablet.
  await context.addInitScript(() => localStorage.setItem("lane.tablet.lock_seconds", "10000000"));
  // The panic page catches a panic, so it is not a page error: its log line is looked for.
  const panics = [];
  page.on("console", (m) => m.text().includes("panicked") && panics.push(m.text().slice(0, 500)));
  await page.clock.install({ time: HANDOVER + 30 * MINUTE });
  await setUpTablet(server, page, "Lane tablet");
  await page.getByRole("button", { name: "Li Na" }).click();
  await typePin(page, "1111");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Service advisor" }).waitFor();

  // (a) The board, 30 minutes after the hand-over: Carter's progress check at 75% of 80 minutes,
  // Brown's pickup notice an hour before her promised time; neither at risk yet.
  const row = (customer) => page.getByRole("link", { name: new RegExp(`^${customer.name} · ${customer.plate}`) });
  const progress = (await shown(page, HANDOVER + 60 * MINUTE)).time;
  const notice = (await shown(page, BROWN.promised - HOUR)).time;
  await row(CARTER).getByText(`Progress check by ${progress}`, { exact: true }).waitFor();
  await row(BROWN).getByText(`Pickup notice by ${notice}`, { exact: true }).waitFor();
  assert.equal(await page.locator('.board-deadline[data-risk="true"]').count(), 0);

  // 50 minutes in: Carter's check is within 15 minutes, said in words and marked.
  await page.clock.fastForward(20 * MINUTE);
  const risky = row(CARTER).getByText(`At risk: Progress check by ${progress}`, { exact: true });
  await risky.waitFor();
  assert.equal(await risky.getAttribute("data-risk"), "true", "marked, not only said");
  assert.equal(await row(BROWN).getByText(`Pickup notice by ${notice}`, { exact: true }).count(), 1);
  assert.equal(await page.getByRole("link", { name: /^Late:/ }).count(), 0);

  // 95 minutes in: Brown's pickup notice time has passed with no delay notice: the prompt.
  await page.clock.fastForward(45 * MINUTE);
  const promised = (await shown(page, BROWN.promised)).time;
  const prompt = page.getByRole("link", { name: `Late: tell Emma Brown before ${promised}, with the reason and an apology` });
  await prompt.waitFor();
  assert.equal(await prompt.getAttribute("href"), `/advisor/visits/${brown}`);
  await row(BROWN).getByText(`At risk: Pickup notice by ${notice}`, { exact: true }).waitFor();
  assert.equal(await page.getByRole("link", { name: /^Late: tell James Carter/ }).count(), 0, "Carter's notice is not due yet");
  assert.deepEqual(await smallTargets(page), []);

  // (b) The follow-ups: Wang was delivered 3 days and 2 hours before the hand-over, so the first
  // call is due, its window 3 days to a week after delivery.
  await page.getByRole("link", { name: "Follow-up calls" }).click();
  await page.getByRole("heading", { level: 1, name: "Follow-up calls and customer file" }).waitFor();
  const calls = page.getByRole("region", { name: "Calls to make" });
  const call = calls.getByRole("article", { name: `${WANG.name} · ${WANG.plate}` });
  const from = (await shown(page, WANG.delivered + 3 * DAY)).moment;
  const latest = (await shown(page, WANG.delivered + 7 * DAY)).moment;
  await call.getByText(`First call: From ${from}, due by ${latest}`).waitFor();
  await call.getByText("Due now", { exact: true }).waitFor();
  assert.equal(await calls.getByRole("article").count(), 1, "only delivered visits have calls");

  // A satisfied call: the second call comes due 7 days after it.
  await call.getByRole("radio", { name: "Satisfied" }).check();
  await call.getByRole("button", { name: "Log the call" }).click();
  await page.getByRole("status").filter({ hasText: "Saved on this tablet; it goes to the server when the tablet is online." }).waitFor();
  await until("the first call on the server", () => visitBody(wang).follow_up?.length === 1);
  const first = visitBody(wang).follow_up[0];
  assert.equal(first.outcome, "satisfied");
  assert.equal(first.by, "Li Na");
  const firstAt = Date.parse(first.at);
  const second = calls.getByRole("article", { name: `${WANG.name} · ${WANG.plate}` });
  await second.getByText(`Second call: From ${(await shown(page, firstAt)).moment}, due by ${(await shown(page, firstAt + 7 * DAY)).moment}`).waitFor();

  // A complaint needs what the customer said: refused on the tablet by the domain's rule.
  await second.getByRole("radio", { name: "Complaint" }).check();
  await second.getByRole("button", { name: "Log the call" }).click();
  await second.getByRole("alert").getByText("Write what the customer said: it is required here.").waitFor();
  await second.getByLabel("Note (required for a complaint: what the customer said)").fill("The rattle at the back is back");
  await second.getByRole("button", { name: "Log the call" }).click();
  await until("the complaint on the server", () => visitBody(wang).complaint != null);
  const complaint = visitBody(wang).complaint;
  assert.equal(complaint.summary, "The rattle at the back is back");
  const opened = Date.parse(complaint.opened_at);
  await page.getByText("No follow-up call is due or coming.").waitFor();

  const cases = page.getByRole("region", { name: "Open complaints" });
  const item = cases.getByRole("article", { name: `${WANG.name} · ${WANG.plate}` });
  await item.getByText(`Escalate to the supervisor by ${(await shown(page, opened + 2 * DAY)).moment}`).waitFor();
  await item.getByText(`Proposal to the customer by ${(await shown(page, opened + 72 * HOUR)).moment}`).waitFor();
  await item.getByLabel("Escalated to (the supervisor's name)").fill("Supervisor Kim");
  await item.getByRole("button", { name: "Record the escalation" }).click();
  await item.getByText(/^Escalated to Supervisor Kim, /).waitFor();
  await until("the escalation on the server", () => visitBody(wang).complaint.steps?.[0]?.to === "Supervisor Kim");
  // The proposal, then the resolution: the case leaves the open complaints.
  await item.getByLabel("The proposal made to the customer").fill("A free second check of the brakes this week");
  await item.getByRole("button", { name: "Record the proposal" }).click();
  await item.getByText(/^Proposal made /).waitFor();
  // Once on the server, the tablet's save is long done and the case drawn again from the store.
  await until("the proposal on the server", () => visitBody(wang).complaint.steps?.length === 2);
  await item.getByLabel("How it was resolved (tell the customer the same day)").fill("Pads bedded in again; the customer was told the same day");
  await item.getByRole("button", { name: "Mark resolved" }).click();
  await item.waitFor({ state: "detached" });
  await until("the resolution on the server", () => visitBody(wang).complaint.steps?.map((s) => s.step).join() === "escalated,proposed,resolved");

  // Class A, chosen with the network cut: the next contact a week after the last call that
  // reached the customer shows at once, and the class waits on the tablet until it is back.
  await context.setOffline(true);
  const customers = page.getByRole("region", { name: "Customer classes and next contact" });
  const file = customers.getByRole("article", { name: `${WANG.name} · ${WANG.plate}` });
  await file.getByText("Not classed yet: choose a class.").waitFor();
  await file.getByRole("group", { name: `Class of ${WANG.name}` }).getByRole("button", { name: "A: weekly" }).click();
  await file.getByText(`Next contact by ${(await shown(page, opened + 7 * DAY)).moment}`).waitFor();
  assert.equal(await file.getByRole("button", { name: "A: weekly" }).getAttribute("aria-pressed"), "true");
  await page.getByRole("status", { name: "Connection" }).filter({ hasText: /waiting/i }).waitFor();
  assert.equal(sql(`SELECT class FROM customers WHERE id = (SELECT customer_id FROM visits WHERE id = '${wang}')`), "");
  await context.setOffline(false);
  await until("the class on the server", () => sql(`SELECT class FROM customers WHERE id = (SELECT customer_id FROM visits WHERE id = '${wang}')`) === "A");

  assert.deepEqual(await smallTargets(page), []);
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(panics, []);
  assert.equal(sql(`SELECT state FROM visits WHERE id = '${carter}'`), "in_workshop");
  await context.close();
});
