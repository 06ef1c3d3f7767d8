// callAligo's own contract, on real sockets against the raw fake upstream: every failure of a send
// says whether the message may have gone out (the handler's fallback for an error without
// `maybeSent` is true, so a path that forgot it would not show through the handler), a read's
// failures carry no maybeSent, and Aligo's data never carries our own result keys.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_KEY, FAKE_USER } from "../../fakes/aligo";
import { RawUpstream, type Fault, type FaultOptions } from "../../fakes/raw-upstream";
import { ResultError } from "../shared/result";
import { callAligo, resultCodeOf, type AligoSettings } from "./aligo";
import { planRequest } from "./validate";

const upstream = new RawUpstream();
let settings: AligoSettings;
const sendPlan = planRequest("send", { action: "send", receiver: "010-1234-5678", msg: "x" }, new Date());
const remainPlan = planRequest("remain", { action: "remain" }, new Date());

beforeAll(async () => {
    settings = { baseUrl: new URL(await upstream.start()), userId: FAKE_USER, sender: "0212345678" };
});
afterAll(async () => {
    await upstream.stop();
});
beforeEach(() => upstream.reset());

/** callAligo's failure (its ResultError's body), or its answer. */
async function call(
    plan: typeof sendPlan,
    fault: Fault,
    options: FaultOptions = {},
    ms = 3_000,
    s: AligoSettings = settings,
) {
    upstream.fault = fault;
    upstream.options = options;
    try {
        return { answer: await callAligo(s, FAKE_KEY, plan, Date.now() + ms) };
    } catch (e) {
        if (!(e instanceof ResultError)) throw e;
        return { error: e.body };
    }
}

describe("every failure of a send carries maybeSent", () => {
    it.each<[string, Fault, FaultOptions, Record<string, unknown>]>([
        [
            "an answer over the cap (declared)",
            "huge-declared",
            { hugeBytes: 2 * 1024 * 1024 },
            { code: "BAD_RESPONSE", status: 200, maybeSent: true },
        ],
        [
            "an answer over the cap (chunked)",
            "huge-chunked",
            { hugeBytes: 2 * 1024 * 1024 },
            { code: "BAD_RESPONSE", status: 200, maybeSent: true },
        ],
        [
            "HTML with 200",
            "html",
            {},
            { code: "BAD_RESPONSE", message: expect.stringMatching(/not JSON/), maybeSent: true },
        ],
        [
            "JSON that is not an object",
            "body",
            { body: "[1]" },
            { code: "BAD_RESPONSE", message: "Aligo's answer is not an object: [1]", maybeSent: true },
        ],
        [
            "no result_code",
            "code",
            { code: "absent" },
            { code: "BAD_RESPONSE", message: expect.stringMatching(/no result_code/), maybeSent: true },
        ],
        [
            "result_code 0",
            "code",
            { code: 0 },
            { code: "BAD_RESPONSE", message: expect.stringMatching(/result_code 0;/), maybeSent: true },
        ],
        ['result_code "01"', "code", { code: "01" }, { code: "BAD_RESPONSE", maybeSent: true }],
        ["a 302", "redirect", {}, { code: "HTTP_ERROR", status: 302, maybeSent: true }],
        [
            "a reset after the request was read",
            "reset-after-read",
            {},
            { code: "CONNECTION_ERROR", attempts: 1, maybeSent: true },
        ],
        ["no answer by the deadline", "stall-headers", {}, { code: "TIMEOUT", attempts: 1, maybeSent: true }],
        // Aligo's refusal: it reached Aligo, but Aligo says it sent nothing.
        [
            "Aligo's refusal",
            "code",
            { code: "-101", message: "인증오류입니다." },
            { code: -101, message: "인증오류입니다.", source: "aligo", maybeSent: true },
        ],
    ])("%s: %j", async (_label, fault, options, error) => {
        // A second to answer; the one that never answers is cut sooner (its deadline is not the point).
        const { error: body } = await call(sendPlan, fault, options, fault === "stall-headers" ? 400 : 1_000);
        expect(body).toMatchObject(error);
        expect(upstream.count("/send/")).toBe(1);
    });

    it("nothing listening: maybeSent false", async () => {
        const closed: AligoSettings = { ...settings, baseUrl: new URL("http://127.0.0.1:1") };
        const { error } = await call(sendPlan, "ok", {}, 2_000, closed);
        expect(error).toMatchObject({ code: "CONNECTION_ERROR", maybeSent: false });
    });
});

describe("a read's failures have no maybeSent", () => {
    it.each<[Fault, FaultOptions]>([
        ["huge-declared", { hugeBytes: 2 * 1024 * 1024 }],
        ["html", {}],
        ["code", { code: null }],
        ["throttle", {}],
        ["code", { code: -101 }],
    ])("%s %j", async (fault, options) => {
        const { error } = await call(remainPlan, fault, options);
        expect(error).toBeDefined();
        expect(error).not.toHaveProperty("maybeSent");
    });
});

it("a success is Aligo's data without result_code and message, and without our own keys ok and error", async () => {
    const { answer } = await call(sendPlan, "code", {
        code: "1",
        extra: { ok: false, error: { code: "E" }, msg_type: "SMS" },
    });
    expect(answer).toEqual({ msg_id: "583009869", success_cnt: 1, error_cnt: 0, msg_type: "SMS" });
});

describe("resultCodeOf: a code exactly as Aligo writes one", () => {
    it.each<[unknown, number | undefined]>([
        ["1", 1],
        [1, 1],
        ["-101", -101],
        [-101, -101],
        ["0", 0],
        ["999999999", 999_999_999],
        [" 1", undefined],
        ["1 ", undefined],
        ["\t1\n", undefined],
        ["01", undefined],
        ["-01", undefined],
        ["+1", undefined],
        ["1e3", undefined],
        ["1.0", undefined],
        ["1234567890", undefined],
        ["", undefined],
        [null, undefined],
        [true, undefined],
        [1.5, undefined],
        [1e300, undefined],
        [2 ** 53, undefined],
        [Number.NaN, undefined],
        [Infinity, undefined],
    ])("%j → %j", (v, code) => expect(resultCodeOf(v)).toBe(code));
});
