// What the tablet tests share: a kiosk check-in, the advisor's sign-in, the drop-off steps up to
// the customer's review, pointer strokes on a signature pad, and reading back what the server got.
import assert from "node:assert/strict";
import { api, enrolDevice, pullRecords, pushChanges, setUpTablet, typePin } from "./support.mjs";

/** Checks the customer with booking `code` in at a kiosk, as the lobby does; returns the visit's id. */
export async function kioskCheckIn(server, code, concerns) {
  const kiosk = await enrolDevice(server, "kiosk", `Lobby ${code}`);
  const { booking } = await api(server, "POST", "/api/kiosk/lookup", { token: kiosk.token, body: { by: "code", code } });
  const visit = crypto.randomUUID();
  const [result] = await pushChanges(server, kiosk, [{ type: "check_in", visit, arrival: { booked: booking.appointment }, transport: "wait", concerns, key_tag: code }]);
  assert.equal(result.outcome, "applied", JSON.stringify(result));
  return visit;
}

export async function signIn(server, page) {
  await setUpTablet(server, page, `Tablet ${crypto.randomUUID().slice(0, 4)}`);
  await page.getByRole("button", { name: "Li Na" }).click();
  await typePin(page, "1111");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Service advisor" }).waitFor();
}

/** Every tap the advisor makes, counted by purpose. */
export function tapper(page) {
  const counts = {};
  const tap = async (what, locator) => {
    counts[what] = (counts[what] ?? 0) + 1;
    await locator.click();
  };
  return { counts, tap, page };
}

/** A signature: three strokes of pointer moves across the pad; the ink shows on the pad. */
export async function sign(page, name = "Customer's signature") {
  const pad = page.getByRole("group", { name }).getByRole("img", { name: "Sign here with a finger or a pen" });
  await pad.scrollIntoViewIfNeeded();
  const blank = await pad.screenshot();
  const box = await pad.boundingBox();
  for (const [from, to] of [[0.1, 0.4], [0.45, 0.7], [0.75, 0.9]]) {
    await page.mouse.move(box.x + box.width * from, box.y + box.height * 0.6);
    await page.mouse.down();
    for (let i = 0; i <= 20; i++) {
      const x = from + ((to - from) * i) / 20;
      await page.mouse.move(box.x + box.width * x, box.y + box.height * (0.6 - 0.3 * Math.sin(i / 3)), { steps: 2 });
    }
    await page.mouse.up();
  }
  // Drawn by the pad's worker, a frame or two later.
  for (let tries = 0; Buffer.compare(blank, await pad.screenshot()) === 0; tries++) {
    assert.ok(tries < 20, "the strokes left no ink on the pad");
    await page.waitForTimeout(50);
  }
}

/** A small JPEG made by the browser, as the camera would give. */
export async function photoFile(page) {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(640, 480);
    const g = canvas.getContext("2d");
    g.fillStyle = "#7a8b99";
    g.fillRect(0, 0, 640, 480);
    g.fillStyle = "#d33";
    g.fillRect(200, 150, 240, 60);
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.9 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    return btoa(String.fromCharCode(...bytes));
  });
  return { name: "scratch.jpg", mimeType: "image/jpeg", buffer: Buffer.from(base64, "base64") };
}

/** The customers of the tests: their booking, what the kiosk shows, and a reading above their car's last. */
export const WANG = { code: "K7M4QX", name: "王芳", heading: "王芳 · 沪A12345", odometer: "38520", review: "您的维修委托书", sign: "签署委托书", empty: "签名为空或太小", basis: null, priced: "按项目：每项分别计价", pricing: "by_item", warranty: /^质量保证：.*3个月或5,000公里/ };
export const CARTER = { code: "W3JF6L", name: "James Carter", heading: "James Carter · 沪C24680", odometer: "54420", review: "Your repair order", sign: "Sign the order", empty: "The signature is empty or too small", basis: /By symptom/, priced: "by symptom: one price for curing what you reported", pricing: "by_symptom", warranty: /^Warranty: .*3 months or 5,000 km/ };

/** The drop-off steps from the opened visit to the customer's review, for both tests. */
export async function dropOff(page, { tap }, customer, { reloadMidway = false } = {}) {
  await tap("step", page.getByRole("tab", { name: "Inquiry" }));
  await tap("inquiry", page.getByRole("group", { name: "When" }).getByRole("button", { name: "when braking" }));
  await page.getByLabel("Advisor's first diagnosis").fill("Front pads worn, check discs");
  await page.getByLabel("Advisor's first diagnosis").blur();

  await tap("step", page.getByRole("tab", { name: "Walk-around" }));
  const views = page.getByRole("group", { name: "Views of the car" });
  await tap("view", views.getByRole("button", { name: /Left side/ }));
  await tap("mark", page.getByRole("button", { name: "Left front door", exact: true }));
  await tap("mark", page.getByRole("button", { name: "Scratch", exact: true }));
  await tap("mark", page.getByRole("button", { name: "Minor", exact: true }));
  await page.locator('input[type="file"]').setInputFiles(await photoFile(page));
  await page.getByText("Photo saved on this tablet.").waitFor();
  await tap("close", page.getByRole("button", { name: "Done", exact: true }));
  await tap("view", views.getByRole("button", { name: /Front/ }));
  await tap("mark", page.getByRole("button", { name: "Front bumper", exact: true }));
  await tap("mark", page.getByRole("button", { name: "Dent", exact: true }));
  await tap("mark", page.getByRole("button", { name: "Moderate", exact: true }));
  await tap("close", page.getByRole("button", { name: "Done", exact: true }));
  await tap("walkaround", page.getByRole("button", { name: "All OK" }));

  if (reloadMidway) {
    await page.reload();
    await page.getByRole("heading", { level: 1, name: customer.heading }).waitFor();
    await page.getByRole("tab", { name: "Walk-around" }).click();
    await page.getByRole("button", { name: "2. Front bumper: Dent, Moderate" }).waitFor();
  }

  await tap("step", page.getByRole("tab", { name: "Odometer and fuel" }));
  const keypad = page.getByRole("group", { name: "Keypad for Odometer" });
  for (const digit of customer.odometer) await tap("typing", keypad.getByRole("button", { name: digit, exact: true }));
  await tap("readings", page.getByRole("radio", { name: "4/8" }));
  await tap("readings", page.getByRole("button", { name: "Save readings" }));
  await page.getByText("Readings saved.").waitFor();

  await tap("step", page.getByRole("tab", { name: "Belongings and key" }));
  await tap("belongings", page.getByRole("group", { name: "Common items" }).getByRole("button", { name: "Child seat" }));
  await tap("belongings", page.getByLabel("Customer reminded to take valuables"));

  await tap("step", page.getByRole("tab", { name: "Repair order" }));
  await tap("order", page.getByRole("button", { name: /Add the booked services/ }));
  await page.getByText(/Total:/).waitFor();
  if (customer.basis) {
    const basis = page.getByRole("list", { name: "Pricing basis" }).getByRole("button", { name: customer.basis });
    await tap("order", basis);
    await page.waitForFunction((el) => el.getAttribute("aria-pressed") === "true", await basis.elementHandle());
  }

  await tap("step", page.getByRole("tab", { name: "Customer signs" }));
  await tap("review", page.getByRole("button", { name: "Walk-around done: show the customer" }));
  // The customer reads the order in their own language: its pricing basis and the warranty terms too.
  await page.getByRole("heading", { name: customer.review }).waitFor();
  await page.getByText(customer.priced).waitFor();
  await page.getByText(customer.warranty).waitFor();
}

/** The signature of `visit` once it reached the server, as a tablet pulls it. */
export async function serverSignature(server, reader, visit, kind = "drop_off_order") {
  for (const deadline = Date.now() + 30_000; ; ) {
    const records = await pullRecords(server, reader.token);
    const signature = records.find((r) => r.type === "signature" && r.document.visit === visit && r.document.kind === kind);
    if (signature) return signature;
    assert.ok(Date.now() < deadline, "the signature never reached the server");
    await new Promise((r) => setTimeout(r, 250));
  }
}
