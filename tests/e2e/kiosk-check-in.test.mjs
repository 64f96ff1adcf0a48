// Checking in at the lobby kiosk: by confirmation code (Chinese), by plate and phone (Korean, on
// a portrait screen), as a returning walk-in, and wrong codes until the kiosk sends the customer
// to the desk.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PLATE_TABS, accessible, recordScreenTimes, heading, kiosk, serverHas, tapper, typeOnKeypad, useKioskWorld, world } from "./kiosk-support.mjs";
import { pullRecords } from "./support.mjs";

useKioskWorld();

describe("kiosk", () => {
  test("a customer checks in by confirmation code in Chinese: four taps after the code", async () => {
    const { context, page } = await kiosk();
    const counter = tapper();
    await page.getByRole("button", { name: "中文" }).click();
    await heading(page, "欢迎光临").waitFor();
    const started = Date.now();
    await page.getByRole("link", { name: /到店签到/ }).click();
    await heading(page, "查找您的预约").waitFor();
    await accessible(page);

    await typeOnKeypad(page, "预约码", "K7M4QX");
    await counter.tap(page.getByRole("button", { name: "查找预约" }));
    await heading(page, "这是您的预约吗？").waitFor();
    await accessible(page);
    const shown = await page.locator(".summary").textContent();
    assert.ok(shown.includes("王*"), shown);
    assert.ok(shown.includes("•••345"), shown);
    assert.ok(shown.includes("Li Na"), shown);
    assert.ok(shown.includes("10000公里常规保养"), shown);
    assert.ok(!shown.includes("13800138001") && !shown.includes("王芳"), "only masked details");
    await counter.tap(page.getByRole("button", { name: "是的，是我的" }));

    await heading(page, "车辆有什么问题？").waitFor();
    assert.equal(await page.getByLabel("请用您自己的话描述（选填）").inputValue(), "保养到期");
    assert.equal(await page.getByRole("button", { name: "在店等候" }).getAttribute("aria-pressed"), "true");
    await accessible(page);
    await counter.tap(page.getByRole("button", { name: "下一步", exact: true }));

    await heading(page, "交钥匙之前").waitFor();
    await page.getByText("请取走车内贵重物品").waitFor();
    await accessible(page);
    await counter.tap(page.getByRole("button", { name: "已取走，确认签到" }));

    await heading(page, "签到成功").waitFor();
    await page.getByText("Li Na 将在几分钟内来接待您。").waitFor();
    assert.equal((await page.locator(".code").textContent()).trim(), "K7M4QX");
    await accessible(page);
    const seconds = (Date.now() - started) / 1000;
    assert.ok(counter.taps <= 5, `check-in took ${counter.taps} taps after the code`);
    assert.ok(seconds < 30, `check-in took ${seconds} s`);
    console.log(`# kiosk check-in by code: ${counter.taps} taps after the code, ${seconds.toFixed(1)} s scripted`);

    const { appointments, visits } = await serverHas("王芳", (v) => v.visits.length === 1);
    assert.equal(appointments[0].status, "arrived");
    assert.equal(visits[0].key_tag, "K7M4QX");
    assert.equal(visits[0].concerns, "保养到期");
    assert.equal(visits[0].appointment, appointments[0].id);
    await recordScreenTimes(page);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
  test("a customer checks in by plate and phone in Korean, on a portrait screen", async () => {
    const { context, page } = await kiosk({ viewport: { width: 768, height: 1024 } });
    await page.getByRole("button", { name: "한국어" }).click();
    await page.getByRole("link", { name: /도착 접수/ }).click();
    await heading(page, "예약 찾기").waitFor();
    await page.getByRole("button", { name: "차량 번호와 휴대폰" }).click();
    await typeOnKeypad(page, "차량 번호", "12가3456", PLATE_TABS.ko);
    // A wrong phone: the same answer as an unknown plate.
    await typeOnKeypad(page, "휴대폰 번호 끝 4자리", "2346");
    await page.getByRole("button", { name: "예약 찾기", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "일치하는 예약이 없습니다." }).waitFor();
    await accessible(page);
    await page.getByRole("button", { name: "마지막 글자 지우기" }).last().click();
    await typeOnKeypad(page, "휴대폰 번호 끝 4자리", "5");
    await page.getByRole("button", { name: "예약 찾기", exact: true }).click();
    await heading(page, "이 예약이 맞나요?").waitFor();
    assert.ok((await page.locator(".summary").textContent()).includes("박**"));
    await accessible(page);
    await page.getByRole("button", { name: "네, 맞아요" }).click();
    await heading(page, "차에 어떤 문제가 있나요?").waitFor();
    assert.equal(await page.getByRole("button", { name: "셔틀" }).getAttribute("aria-pressed"), "true");
    await page.getByRole("button", { name: "얼마나 자주 그런가요?" }).click();
    await page.keyboard.type("매일 아침");
    await accessible(page);
    await page.getByRole("button", { name: "다음", exact: true }).click();
    await page.getByRole("button", { name: "챙겼어요, 접수하기" }).click();
    await heading(page, "접수되었습니다").waitFor();
    await page.getByText("Kim Min-jun 어드바이저가 몇 분 안에 찾아갑니다.").waitFor();
    await accessible(page);

    const { visits } = await serverHas("박서연", (v) => v.visits.length === 1);
    assert.equal(visits[0].concerns, "엔진오일 경고등\n얼마나 자주 그런가요? 매일 아침");
    assert.equal(visits[0].transport, "shuttle");
    await recordScreenTimes(page);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
  test("a returning customer walks in without a booking and is recognised by plate and phone", async () => {
    const { context, page } = await kiosk();
    await page.getByRole("button", { name: "中文" }).click();
    await page.getByRole("link", { name: /未预约/ }).click();
    await heading(page, "需要做哪些项目？").waitFor();
    await page.getByRole("button", { name: /故障诊断/ }).click();
    await page.getByRole("button", { name: "下一步", exact: true }).click();
    await heading(page, "车牌和手机号").waitFor();
    await typeOnKeypad(page, "车牌号", "沪B67890", PLATE_TABS.zh);
    await page.locator("#phone").fill("13911112222");
    await page.getByRole("button", { name: "下一步", exact: true }).click();
    await heading(page, "您的车辆").waitFor();
    await page.getByText("陈杰，欢迎回来。已为您填好信息，请核对。").waitFor();
    assert.equal(await page.locator("#make").inputValue(), "Toyota");
    assert.equal(await page.locator("#model").inputValue(), "Camry");
    await page.getByRole("button", { name: "下一步", exact: true }).click();
    assert.equal(await page.getByLabel("您的姓名").inputValue(), "陈杰");
    await accessible(page);
    await page.getByRole("button", { name: "下一步", exact: true }).click();
    await page.getByRole("button", { name: "先离开，稍后取车" }).click();
    await page.getByRole("button", { name: "下一步", exact: true }).click();
    await heading(page, "交钥匙之前").waitFor();
    await page.getByRole("button", { name: "已取走，确认签到" }).click();
    await heading(page, "签到成功").waitFor();
    const tag = (await page.locator(".code").textContent()).trim();
    await page.getByRole("status").filter({ hasText: "将在几分钟内来接待您" }).waitFor();

    const { visits, appointments } = await serverHas("陈杰", (v) => v.visits.length === 1);
    assert.equal(visits[0].appointment, null, "a walk-in");
    assert.equal(visits[0].key_tag, tag);
    assert.equal(visits[0].transport, "drop_off");
    assert.equal(appointments.length, 1, "the walk-in did not make a second customer file");
    assert.deepEqual(page.errors, []);
    await context.close();
  });
  test("wrong codes are refused alike, and after five the kiosk sends the customer to the desk", async () => {
    const { context, page } = await kiosk();
    const before = (await pullRecords(world.server, world.reader.token)).filter((r) => r.type === "visit").length;
    await page.getByRole("link", { name: /Check in/ }).click();
    for (let n = 0; n < 5; n++) {
      await page.locator("#code").fill("");
      await typeOnKeypad(page, "Confirmation code", ["AAAAAA", "CCCCCC", "K7M4Q", "DDDDDD", "EEEEEE"][n]);
      await page.getByRole("button", { name: "Find my booking" }).click();
      await page.getByRole("alert").filter({ hasText: n < 4 ? "No booking matches that." : "Please see an advisor at the desk" }).waitFor();
    }
    await page.getByRole("button", { name: "Find my booking" }).waitFor({ state: "hidden" });
    await page.getByRole("link", { name: "Check in without a booking" }).waitFor();
    await accessible(page);
    const after = (await pullRecords(world.server, world.reader.token)).filter((r) => r.type === "visit").length;
    assert.equal(after, before, "no lookup changed anything");
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
