// `npm run adversarial`'s case generators and judges, in this process on a few cases, so that the
// script cannot rot unseen (the run itself, with the bundles in child processes, is not part of the suite).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FAKE_KEY, FAKE_USER, FakeAligo } from "../../fakes/aligo";
import { badEvents } from "./adversarial-events";
import { duplicatePlan, faultCases, warmerCases, type FaultCase } from "./adversarial-faults";
import { judgeBadEvent, judgeDuplicateCall, judgeFault } from "./adversarial-judge";
import { LeakSearch } from "./adversarial-leaks";

const aligo = new FakeAligo();
beforeAll(async () => {
    await aligo.start();
});
afterAll(async () => {
    await aligo.stop();
});

describe("the generators", () => {
    it("make at least 180 distinct bad events (the huge ones left out here), 55 upstream faults and 30 warmer runs", () => {
        const events = badEvents(new Date(), { huge: false });
        expect(new Set(events.map((e) => e.payload)).size).toBe(events.length);
        expect(events.length).toBeGreaterThanOrEqual(180);
        expect(faultCases().length).toBeGreaterThanOrEqual(55);
        expect(warmerCases().length).toBeGreaterThanOrEqual(30);
    });

    it("plan the duplicate run as exactly N calls, no text in two of them", () => {
        const calls = duplicatePlan(237).flatMap((b) => b.calls);
        expect(calls).toHaveLength(237);
        const texts = calls.flatMap((c) => c.msgs);
        expect(new Set(texts).size).toBe(texts.length);
    });
});

describe("the judges", () => {
    it("hold three bad events as the SMS function answers them in this process, and fail one that reached Aligo", async () => {
        Object.assign(process.env, { ALIGO_API_KEY: FAKE_KEY, ALIGO_USER_ID: FAKE_USER, ALIGO_SENDER: "0212345678" });
        process.env.ALIGO_BASE_URL = aligo.baseUrl;
        vi.spyOn(process.stdout, "write").mockImplementation(() => true);
        const { handler } = await import("../../functions/sms/index");
        const names = [`blank msg ${JSON.stringify("\u3000")}`, 'ping look-alike {"warmer":true,"extra":1}'];
        const picked = badEvents(new Date(), { huge: false }).filter(
            (e) => names.includes(e.name) || e.name === "send fields only in __proto__",
        );
        expect(picked).toHaveLength(3);
        for (const e of picked) {
            const answer = JSON.stringify(
                await handler(JSON.parse(e.payload), { getRemainingTimeInMillis: () => 3_000 }),
            );
            expect(judgeBadEvent(e, { answer, elapsedMs: 1 }, aligo.requests.length, 3_000)).toEqual([]);
        }
        vi.restoreAllMocks();
        const sent = { answer: '{"ok":true,"msg_id":"1"}', elapsedMs: 1 };
        expect(judgeBadEvent(picked[0], sent, 1, 3_000)).toEqual([
            `not refused as INVALID_INPUT: ${sent.answer}`,
            "1 request(s) reached Aligo",
        ]);
    });

    it("hold an honest timeout of a send and fail a dishonest or late one", () => {
        const hang = faultCases().find((c) => c.name === "send, Aligo hang") as FaultCase;
        const timeout = (maybeSent: boolean) => JSON.stringify({ ok: false, error: { code: "TIMEOUT", maybeSent } });
        expect(judgeFault(hang, { answer: timeout(true), elapsedMs: 1_010 }, 1)).toEqual([]);
        expect(judgeFault(hang, { answer: timeout(false), elapsedMs: 2_000 }, 1)).toEqual([
            "answered after 2000 ms with 2000 ms remaining",
            "maybeSent false, yet 1 request(s) reached the upstream",
        ]);
    });

    it("count a text that reached Aligo twice as a duplicate", () => {
        const answer = JSON.stringify({ ok: false, error: { code: "CONNECTION_ERROR", maybeSent: true } });
        expect(judgeDuplicateCall(["a"], { answer, elapsedMs: 5 }, () => 2, 3_000)).toEqual({
            problems: ["sent 2 times"],
            duplicates: 1,
        });
    });

    it("find the key and the user id in any form and case, and whole phone numbers but not masked ones", () => {
        const search = new LeakSearch({ key: FAKE_KEY, userId: FAKE_USER });
        expect(search.search(`x ${encodeURIComponent(`=${FAKE_KEY}`).toUpperCase()}`)).toBe(1);
        const escaped = [...FAKE_USER].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
        expect(search.search(`{"u":"${escaped}"}`)).toBe(1);
        expect(search.search('{"m":"call ０１０－９８７６－５４３２ or 010\\t9876\\t5433"}')).toBe(2);
        expect(search.search('{"m":"010****5432, such as 010-1234-5678","id":"583009869"}')).toBe(0);
        expect(search.found).toEqual({ key: 1, userId: 1, phone: 2 });
    });
});
