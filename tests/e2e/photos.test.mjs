// Photos reach the server whatever the wifi does: a tablet's kept photo (written into the device's
// store as the camera button keeps it) waits while the tablet is offline, is counted by the
// connection indicator, is retried while the server does not know its visit yet, and arrives
// once, byte for byte, with the device's capture time; the tablet then marks it uploaded and
// keeps its bytes. (Taking the photo through the walk-around is in tablet-drop-off.test.mjs.)
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, enrolDevice, launchBrowser, newPage, pushChanges, setUpTablet, startServer, typePin, walkIn } from "./support.mjs";

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Keeps a generated JPEG for `visit` in the page's store, as `Store::keep_photo` does; returns its SHA-256 and base64. */
function keepPhoto(page, photo) {
  return page.evaluate(async ({ id, visit, takenAt }) => {
    const canvas = new OffscreenCanvas(320, 240);
    const g = canvas.getContext("2d");
    g.fillStyle = "#7a8b99";
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = "#d33";
    g.fillRect(100, 80, 120, 30);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: "image/jpeg", quality: 0.8 })).arrayBuffer());
    const sha256 = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open("lane");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction(["blobs", "photos"], "readwrite");
    tx.objectStore("blobs").put(bytes.buffer, `photo/${id}`);
    tx.objectStore("photos").put({ id, visit, taken_at: takenAt, byte_length: bytes.length, sha256, media_type: "image/jpeg" }, id);
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onabort = () => reject(tx.error);
    });
    db.close();
    return { sha256, base64: btoa(String.fromCharCode(...bytes)) };
  }, photo);
}

/** The page's store entry of photo `id` and whether its bytes are still there. */
function storedOnTablet(page, id) {
  return page.evaluate(async (id) => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open("lane");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const get = (store, key) =>
      new Promise((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).get(key);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const entry = await get("photos", id);
    const bytes = await get("blobs", `photo/${id}`);
    db.close();
    return { entry, hasBytes: bytes instanceof ArrayBuffer && bytes.byteLength > 0 };
  }, id);
}

test("a photo kept offline is counted, retried until its visit exists, and arrives once", async () => {
  const { context, page } = await newPage(browser);
  await setUpTablet(server, page, "Photo tablet");
  await page.getByRole("button", { name: "Li Na" }).click();
  await typePin(page, "1111");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Service advisor" }).waitFor();

  // Another tablet, through the API: it checks the customer in later, and reads photos back.
  const other = await enrolDevice(server, "tablet", "Front desk");
  const { token: session } = await api(server, "POST", "/api/advisors/sign-in", { token: other.token, body: { advisor: "adv-2", pin: "2222" } });
  const visit = crypto.randomUUID();
  const id = crypto.randomUUID();
  const takenAt = "2026-11-24T09:30:00.250Z";
  const indicator = page.getByRole("status", { name: "Connection" });

  // The wifi drops; a photo is taken meanwhile.
  await context.setOffline(true);
  const photo = await keepPhoto(page, { id, visit, takenAt });
  // What the camera button does after keeping one: prompt the uploader (here by an `online` event
  // the browser did not send: the upload fails, and the photo is counted).
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await indicator.getByText("1 photo waits to upload").waitFor();

  // The wifi is back, but the visit's check-in has not reached the server yet: refused with 404
  // and retried, the photo kept.
  await context.setOffline(false);
  await sleep(1500);
  await assert.rejects(api(server, "GET", `/api/photos/${id}`, { token: other.token }), /404/);
  assert.equal((await storedOnTablet(page, id)).entry.uploaded_at, undefined);

  const [checkIn] = await pushChanges(server, other, [{ type: "check_in", visit, arrival: { walk_in: walkIn(1) }, transport: "wait", concerns: "", key_tag: null }], session);
  assert.equal(checkIn.outcome, "applied", JSON.stringify(checkIn));

  let bytes;
  for (const deadline = Date.now() + 90_000; !bytes; ) {
    const response = await fetch(`${server.url}/api/photos/${id}`, { headers: { authorization: `Bearer ${other.token}` } });
    if (response.ok) {
      assert.equal(response.headers.get("content-type"), "image/jpeg");
      bytes = Buffer.from(await response.arrayBuffer());
    } else {
      assert.equal(response.status, 404);
      assert.ok(Date.now() < deadline, "the photo never reached the server");
      await sleep(500);
    }
  }
  assert.equal(bytes.toString("base64"), photo.base64);
  await indicator.getByText("1 photo waits to upload").waitFor({ state: "detached" });

  // Marked uploaded on the tablet, its bytes kept; sent again, the server answers the same.
  const tablet = await storedOnTablet(page, id);
  assert.equal(typeof tablet.entry.uploaded_at, "number");
  assert.ok(tablet.hasBytes);
  const again = await fetch(`${server.url}/api/photos/${id}?visit=${visit}&taken_at=${takenAt}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${other.token}`, "lane-advisor-session": session, "content-type": "image/jpeg" },
    body: bytes,
  });
  assert.equal(again.status, 200);
  const stored = await again.json();
  assert.equal(stored.sha256, photo.sha256);
  assert.equal(Date.parse(stored.taken_at), Date.parse(takenAt));
  assert.deepEqual(page.errors, []);
  await context.close();
});
