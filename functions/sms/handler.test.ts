// The SMS handler over real sockets against a fake Aligo on 127.0.0.1.
import { createServer as createHttpServer } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FAKE_EGRESS_IP, FAKE_KEY, FAKE_USER, FakeAligo, type Mode } from "../../fakes/aligo";
import {
    FakeSsm,
    TEST_CREDENTIALS as SSM_CREDENTIALS,
    TEST_REGION as SSM_REGION,
    TEST_SESSION_TOKEN,
} from "../../fakes/ssm";
import { costRatioAsync } from "../../fakes/timing";
import { filterMatches } from "../../testing/log-filter";
import { LOG_METRICS } from "../../program/log-metrics";

const aligo = new FakeAligo();
let handler: typeof import("./index").handler;
let logs: Record<string, unknown>[] = [];
let rawLog = "";

const ctx = (remainingMs = 10_000) => ({ awsRequestId: "req-1", getRemainingTimeInMillis: () => remainingMs });

beforeAll(async () => {
    await aligo.start();
});
afterAll(async () => {
    await aligo.stop();
});

beforeEach(async () => {
    aligo.reset();
    Object.assign(process.env, {
        ALIGO_API_KEY: FAKE_KEY,
        ALIGO_USER_ID: FAKE_USER,
        ALIGO_SENDER: "0212345678",
        ALIGO_BASE_URL: aligo.baseUrl,
        EGRESS_IP_URL: `${aligo.baseUrl}/ip`,
        EGRESS_IPS: "203.0.113.10,203.0.113.11",
    });
    // A fresh module per test: a fresh container (cold start, its own connection pool).
    vi.resetModules();
    ({ handler } = await import("./index"));
    logs = [];
    rawLog = "";
    const write = process.stdout.write.bind(process.stdout);
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
        const text = chunk.toString();
        rawLog += text;
        for (const line of text.split("\n").filter(Boolean)) {
            try {
                logs.push(JSON.parse(line));
            } catch {
                return write(chunk, ...(rest as []));
            }
        }
        return true;
    });
});
afterEach(() => {
    vi.restoreAllMocks();
});

const sent = () => aligo.requests.filter((r) => r.path === "/send/");

describe("send", () => {
    it("posts a form Aligo reads, with Korean, &, +, %, = and # intact, and answers with msg_id as a string", async () => {
        const msg = "안녕하세요 & a+b=c 100% #1 ?x=y";
        const r = await handler({ action: "send", receiver: "010-1234-5678", msg }, ctx());
        expect(r).toEqual({ ok: true, msg_id: "583009869", success_cnt: 1, error_cnt: 0, msg_type: "SMS" });
        expect(sent()).toHaveLength(1);
        const req = sent()[0];
        expect(req.method).toBe("POST");
        expect(req.contentType).toMatch(/^application\/x-www-form-urlencoded/);
        expect(req.params).toEqual({
            key: FAKE_KEY,
            user_id: FAKE_USER,
            sender: "0212345678",
            receiver: "01012345678",
            msg,
            msg_type: "SMS",
        });
    });

    it("accepts a list of receivers, normalising hyphens, spaces and +82", async () => {
        const r = await handler(
            { action: "send", receiver: ["010 1111 2222", "+82 10-3333-4444", "011-555-6666"], msg: "hi" },
            ctx(),
        );
        expect(r).toMatchObject({ ok: true, success_cnt: 3 });
        expect(sent()[0].params.receiver).toBe("01011112222,01033334444,0115556666");
    });

    it.each([
        ["45 Hangul = 90 bytes", "가".repeat(45), "SMS"],
        ["46 Hangul = 92 bytes", "가".repeat(46), "LMS"],
        ["90 ASCII", "a".repeat(90), "SMS"],
        ["89 ASCII + 1 Hangul = 91 bytes", `${"a".repeat(89)}가`, "LMS"],
        ["emoji count 1 (they arrive as ?)", `${"a".repeat(89)}😀`, "SMS"],
    ])("chooses the type by EUC-KR bytes: %s → %s", async (_l, msg, type) => {
        const r = await handler({ action: "send", receiver: "01012345678", msg }, ctx());
        expect(r).toMatchObject({ ok: true, msg_type: type });
        expect(sent()[0].params.msg_type).toBe(type);
    });

    it("sends a title only with an LMS, and an explicit type as given", async () => {
        await handler({ action: "send", receiver: "01012345678", msg: "가".repeat(50), title: "공지" }, ctx());
        await handler({ action: "send", receiver: "01012345678", msg: "짧은 글", title: "공지" }, ctx());
        await handler(
            { action: "send", receiver: "01012345678", msg: "짧은 글", msgType: "LMS", title: "공지" },
            ctx(),
        );
        expect(sent().map((r) => [r.params.msg_type, r.params.title])).toEqual([
            ["LMS", "공지"],
            ["SMS", undefined],
            ["LMS", "공지"],
        ]);
    });

    it("turns reserveAt into Korea-time rdate/rtime and testMode into testmode_yn", async () => {
        const at = new Date(Date.now() + 3 * 3_600_000);
        at.setUTCSeconds(0, 0);
        const r = await handler(
            { action: "send", receiver: "01012345678", msg: "예약", reserveAt: at.toISOString(), testMode: true },
            ctx(),
        );
        expect(r.ok).toBe(true);
        const kst = new Date(at.getTime() + 9 * 3_600_000).toISOString();
        expect(sent()[0].params).toMatchObject({
            rdate: kst.slice(0, 10).replace(/-/g, ""),
            rtime: kst.slice(11, 16).replace(":", ""),
            testmode_yn: "Y",
        });
    });
});

describe("sendMass", () => {
    it("posts rec_N/msg_N pairs with cnt and one msg_type for all", async () => {
        const r = await handler(
            {
                action: "sendMass",
                messages: [
                    { receiver: "010-1111-2222", msg: "김철수님 안녕하세요" },
                    { receiver: "01033334444", msg: "가".repeat(46) },
                ],
            },
            ctx(),
        );
        expect(r).toMatchObject({ ok: true, msg_id: "583009870", success_cnt: 2, msg_type: "LMS" });
        const p = aligo.requests[0].params;
        expect(aligo.requests[0].path).toBe("/send_mass/");
        expect(p).toMatchObject({
            rec_1: "01011112222",
            msg_1: "김철수님 안녕하세요",
            rec_2: "01033334444",
            cnt: "2",
            msg_type: "LMS",
            sender: "0212345678",
        });
    });
});

describe("reads", () => {
    it("remain answers Aligo's balances", async () => {
        expect(await handler({ action: "remain" }, ctx())).toEqual({
            ok: true,
            SMS_CNT: 5936,
            LMS_CNT: 2045,
            MMS_CNT: 908,
        });
        expect(aligo.requests[0].params).toEqual({ key: FAKE_KEY, user_id: FAKE_USER });
    });

    it("list, detail and cancel post Aligo's parameter names and answer Aligo's data", async () => {
        const list = await handler(
            { action: "list", page: 2, pageSize: 50, startDate: "20261101", limitDay: 7 },
            ctx(),
        );
        expect(list).toMatchObject({
            ok: true,
            next_yn: "N",
            list: [expect.objectContaining({ mid: "583009869", msg: "안녕하세요" })],
        });
        const detail = await handler({ action: "detail", mid: "583009869" }, ctx());
        expect(detail).toMatchObject({ ok: true, list: [expect.objectContaining({ sms_state: "발송완료" })] });
        const cancel = await handler({ action: "cancel", mid: 583009869 }, ctx());
        expect(cancel).toEqual({ ok: true, cancel_date: "2026-11-24 10:05:00" });
        expect(aligo.requests.map((r) => [r.path, r.params])).toEqual([
            [
                "/list/",
                {
                    key: FAKE_KEY,
                    user_id: FAKE_USER,
                    page: "2",
                    page_size: "50",
                    start_date: "20261101",
                    limit_day: "7",
                },
            ],
            ["/sms_list/", { key: FAKE_KEY, user_id: FAKE_USER, mid: "583009869" }],
            ["/cancel/", { key: FAKE_KEY, user_id: FAKE_USER, mid: "583009869" }],
        ]);
    });

    it("egress-ip answers the address the echo service sees", async () => {
        expect(await handler({ action: "egress-ip" }, ctx())).toEqual({ ok: true, ip: FAKE_EGRESS_IP });
        expect(aligo.requests).toEqual([]);
    });

    it("a read is retried once its connection broke; it answers as if nothing happened", async () => {
        aligo.modes["/remain/"] = "drop-once";
        expect(await handler({ action: "remain" }, ctx())).toMatchObject({ ok: true, SMS_CNT: 5936 });
        expect(aligo.requests.filter((r) => r.path === "/remain/")).toHaveLength(2);
    });
});

describe("bad input is refused before any request", () => {
    it.each<[string, unknown, string, RegExp]>([
        ["no event", null, "event", /must be a JSON object/],
        [
            "unknown action",
            { action: "sned" },
            "action",
            /"sned" is not one of send, sendMass, remain, list, detail, cancel, egress-ip/,
        ],
        [
            "a typo in a field",
            { action: "send", reciever: "01012345678", msg: "x" },
            "reciever",
            /is not a field of action send/,
        ],
        [
            "a landline receiver",
            { action: "send", receiver: "02-1234-5678", msg: "x" },
            "receiver[0]",
            /"021\*\*\*\*5678" \(10 characters\) is not a Korean mobile number/,
        ],
        [
            "a duplicated receiver",
            { action: "send", receiver: ["01012345678", "010-1234-5678"], msg: "x" },
            "receiver",
            /lists 010\*\*\*\*5678 more than once/,
        ],
        [
            "1,001 receivers",
            {
                action: "send",
                receiver: Array.from({ length: 1001 }, (_, i) => `010${String(10_000_000 + i)}`),
                msg: "x",
            },
            "receiver",
            /has 1001 numbers; at most 1000/,
        ],
        ["an empty message", { action: "send", receiver: "01012345678", msg: "" }, "msg", /non-empty string/],
        ...(
            [
                ["spaces", "   "],
                ["a newline and a tab", "\n\t"],
                ["ideographic spaces", "\u3000\u3000"],
                ["a zero-width space", "\u200B"],
                ["a word joiner, a BOM and a soft hyphen", "\u2060\uFEFF\u00AD"],
                ["Hangul fillers", "\u3164\uFFA0"],
                ["a blank Braille pattern and no-break spaces", "\u2800\u00A0\u202F"],
            ] as const
        ).map(([label, msg]): [string, unknown, string, RegExp] => [
            `a blank message: ${label}`,
            { action: "send", receiver: "01012345678", msg },
            "msg",
            new RegExp(`^msg: is blank: its ${msg.length} characters are all white space or invisible`),
        ]),
        [
            "a blank LMS title",
            { action: "send", receiver: "01012345678", msg: "가".repeat(50), title: " \u3000\u200B " },
            "title",
            /^title: is blank/,
        ],
        [
            "a blank msg in a sendMass item",
            {
                action: "sendMass",
                messages: [
                    { receiver: "01012345678", msg: "안녕하세요" },
                    { receiver: "01098765432", msg: "\u200B\u3000\n" },
                ],
            },
            "messages[1].msg",
            /^messages\[1\]\.msg: is blank/,
        ],
        [
            "2,001 bytes",
            { action: "send", receiver: "01012345678", msg: `${"가".repeat(1000)}a` },
            "msg",
            /is 2001 bytes .* at most 2000/,
        ],
        [
            "SMS forced on 92 bytes",
            { action: "send", receiver: "01012345678", msg: "가".repeat(46), msgType: "SMS" },
            "msgType",
            /SMS holds 90 bytes but msg is 92/,
        ],
        [
            "a title on an explicit SMS",
            { action: "send", receiver: "01012345678", msg: "x", msgType: "SMS", title: "t" },
            "title",
            /SMS has no title/,
        ],
        [
            "a 45-byte title",
            { action: "send", receiver: "01012345678", msg: "x", msgType: "LMS", title: "가".repeat(22) + "a" },
            "title",
            /is 45 bytes; at most 44/,
        ],
        [
            "reserveAt 9 minutes ahead",
            {
                action: "send",
                receiver: "01012345678",
                msg: "x",
                reserveAt: new Date(Date.now() + 9 * 60_000 + 30_000).toISOString(),
            },
            "reserveAt",
            /minutes from now; Aligo needs at least 10/,
        ],
        [
            "reserveAt without a zone",
            { action: "send", receiver: "01012345678", msg: "x", reserveAt: "2030-01-01T09:00:00" },
            "reserveAt",
            /not an ISO date-time with a zone/,
        ],
        [
            "testMode as a string",
            { action: "send", receiver: "01012345678", msg: "x", testMode: "Y" },
            "testMode",
            /must be true or false/,
        ],
        [
            "501 mass messages",
            {
                action: "sendMass",
                messages: Array.from({ length: 501 }, () => ({ receiver: "01012345678", msg: "x" })),
            },
            "messages",
            /1 to 500/,
        ],
        [
            "the same mass message twice",
            {
                action: "sendMass",
                messages: [
                    { receiver: "01012345678", msg: "x" },
                    { receiver: "010-1234-5678", msg: "x" },
                ],
            },
            "messages[1]",
            /repeats the same message to 010\*\*\*\*5678/,
        ],
        [
            "page size below Aligo's minimum",
            { action: "list", pageSize: 10 },
            "pageSize",
            /not a whole number from 30 to 500/,
        ],
        [
            "an impossible start date",
            { action: "list", startDate: "20260231" },
            "startDate",
            /not a date as a string YYYYMMDD/,
        ],
        [
            "a start date in a list",
            { action: "list", startDate: ["20261101"] },
            "startDate",
            /\["20261101"\] is not a date as a string YYYYMMDD/,
        ],
        [
            "a start date as a number",
            { action: "list", startDate: 20261101 },
            "startDate",
            /20261101 is not a date as a string YYYYMMDD/,
        ],
        [
            "reserveAt on February 30th",
            { action: "send", receiver: "01012345678", msg: "x", reserveAt: "2027-02-30T09:00:00+09:00" },
            "reserveAt",
            /"2027-02-30T09:00:00\+09:00" is not a date and time that exists/,
        ],
        [
            "reserveAt at 24:30",
            { action: "send", receiver: "01012345678", msg: "x", reserveAt: "2027-03-01T24:30:00+09:00" },
            "reserveAt",
            /is not a date and time that exists/,
        ],
        [
            "reserveAt in the year 9999",
            { action: "send", receiver: "01012345678", msg: "x", reserveAt: "9999-01-01T09:00:00+09:00" },
            "reserveAt",
            /is more than a year ahead; reservations are taken up to one year ahead/,
        ],
        [
            "a mid JavaScript cannot hold exactly",
            { action: "cancel", mid: 2 ** 53 + 2 },
            "mid",
            /9007199254740994 is not an Aligo message id \(digits\) \(too large to be exact as a number: pass it as a string\)/,
        ],
        ["a negative mid", { action: "detail", mid: -5 }, "mid", /-5 is not an Aligo message id/],
        ["mid 0", { action: "detail", mid: "0" }, "mid", /"0" is not an Aligo message id/],
        [
            "a mid with a leading zero",
            { action: "cancel", mid: "0583009869" },
            "mid",
            /"0583009869" is not an Aligo message id/,
        ],
        ["detail without mid", { action: "detail" }, "mid", /is not an Aligo message id/],
        [
            "reserveAt at +14:59",
            { action: "send", receiver: "01012345678", msg: "x", reserveAt: "2027-03-01T09:00:00+14:59" },
            "reserveAt",
            /"2027-03-01T09:00:00\+14:59" has an offset no place uses; offsets run from -12:00 to \+14:00/,
        ],
        [
            "reserveAt at +14:30",
            { action: "send", receiver: "01012345678", msg: "x", reserveAt: "2027-03-01T09:00:00+14:30" },
            "reserveAt",
            /has an offset no place uses/,
        ],
        [
            "reserveAt at -12:30",
            { action: "send", receiver: "01012345678", msg: "x", reserveAt: "2027-03-01T09:00:00-12:30" },
            "reserveAt",
            /has an offset no place uses/,
        ],
        [
            "reserveAt at -14:00",
            { action: "send", receiver: "01012345678", msg: "x", reserveAt: "2027-03-01T09:00:00-14:00" },
            "reserveAt",
            /has an offset no place uses/,
        ],
        [
            "reserveAt at +09:15",
            { action: "send", receiver: "01012345678", msg: "x", reserveAt: "2027-03-01T09:00:00+09:15" },
            "reserveAt",
            /in hours or with :30 or :45 minutes/,
        ],
        [
            "startDate in the year 0",
            { action: "list", startDate: "00000101" },
            "startDate",
            /^startDate: "00000101" is before 20000101; dates from 20000101 to \d{4}1231 \(the end of next year\) are taken$/,
        ],
        ["startDate in 1999", { action: "list", startDate: "19991231" }, "startDate", /"19991231" is before 20000101/],
        [
            "startDate in 9999",
            { action: "list", startDate: "99991231" },
            "startDate",
            /"99991231" is after \d{4}1231; dates from 20000101/,
        ],
    ])("%s", async (_label, event, field, message) => {
        const r = await handler(event, ctx());
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.error).toMatchObject({ code: "INVALID_INPUT", field });
        expect(r.error.message).toMatch(message);
        expect(aligo.requests).toEqual([]);
    });

    it("a text with something to read among the invisible characters is sent as it is", async () => {
        const msg = "\u200B\u3000안녕\u200B";
        expect(
            await handler({ action: "send", receiver: "01012345678", msg, title: "\u3000공지" }, ctx()),
        ).toMatchObject({
            ok: true,
        });
        expect(sent()[0].params.msg).toBe(msg);
    });

    it.each([["+14:00"], ["-12:00"], ["+05:45"], ["+12:45"], ["-09:30"], ["+09:00"], ["Z"]])(
        "reserveAt with the offset %s is taken",
        async (zone) => {
            const at = new Date(Date.now() + 30 * 86_400_000);
            const m = /^([+-])(\d{2}):(\d{2})$/.exec(zone);
            const offsetMin = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
            const local = new Date(Math.floor(at.getTime() / 60_000) * 60_000 + offsetMin * 60_000)
                .toISOString()
                .slice(0, 16);
            const r = await handler(
                { action: "send", receiver: "01012345678", msg: "x", reserveAt: `${local}:00${zone}` },
                ctx(),
            );
            expect(r).toMatchObject({ ok: true });
            const kst = new Date(Math.floor(at.getTime() / 60_000) * 60_000 + 9 * 3_600_000).toISOString();
            expect(sent()[0].params).toMatchObject({
                rdate: kst.slice(0, 10).replace(/-/g, ""),
                rtime: kst.slice(11, 16).replace(":", ""),
            });
        },
    );

    it("startDate from 20000101 to the end of next year is taken", async () => {
        const nextYear = new Date(Date.now() + 9 * 3_600_000).getUTCFullYear() + 1;
        for (const d of ["20000101", `${nextYear}1231`])
            expect(await handler({ action: "list", startDate: d }, ctx())).toMatchObject({ ok: true });
        expect(aligo.requests.map((q) => q.params.start_date)).toEqual(["20000101", `${nextYear}1231`]);
        // The first day of the year after next is not.
        const after = await handler({ action: "list", startDate: `${nextYear + 1}0101` }, ctx());
        expect(after).toMatchObject({
            ok: false,
            error: {
                code: "INVALID_INPUT",
                field: "startDate",
                message: expect.stringContaining(`is after ${nextYear}1231`),
            },
        });
    });

    it("a big mid given as a string is taken exactly", async () => {
        await handler({ action: "cancel", mid: "9007199254740993" }, ctx());
        expect(aligo.requests[0].params.mid).toBe("9007199254740993");
    });

    it("reads only the event's own fields: an inherited action or receiver does not count", async () => {
        const proto = { action: "send", receiver: "01012345678", msg: "inherited" };
        const r1 = await handler(Object.create(proto), ctx());
        expect(r1).toMatchObject({ ok: false, error: { code: "INVALID_INPUT", field: "action" } });
        const r2 = await handler(
            Object.assign(Object.create({ receiver: "01012345678" }), { action: "send", msg: "x" }),
            ctx(),
        );
        expect(r2).toMatchObject({ ok: false, error: { code: "INVALID_INPUT", field: "receiver", maybeSent: false } });
        expect(aligo.requests).toEqual([]);
    });

    it("unknown fields are the event's own: an inherited one is neither read nor refused", async () => {
        const r = await handler(
            Object.assign(Object.create({ reciever: "01012345678", page: 3 }), { action: "remain" }),
            ctx(),
        );
        expect(r).toMatchObject({ ok: true, SMS_CNT: 5936 });
        expect(aligo.requests.map((q) => q.params)).toEqual([{ key: FAKE_KEY, user_id: FAKE_USER }]);
    });

    it("a send refused for its input says it was not sent", async () => {
        const r = await handler({ action: "send", receiver: "02-1234-5678", msg: "x" }, ctx());
        expect(r).toMatchObject({ ok: false, error: { code: "INVALID_INPUT", maybeSent: false } });
    });

    it("quotes a caller's value back at most 40 characters long, with its length", async () => {
        const huge = "x".repeat(1_000_000);
        const r = await handler({ action: "list", startDate: huge }, ctx());
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.error.message).toBe(
            `startDate: "${"x".repeat(39)}… (1000002 characters) is not a date as a string YYYYMMDD`,
        );
        const k = await handler({ action: "remain", [huge]: 1 }, ctx());
        if (k.ok) throw new Error("expected a refusal");
        expect(k.error.field).toBe(`${"x".repeat(40)}…`);
        expect(JSON.stringify(k).length).toBeLessThan(400);
        // The log lines are as short.
        expect(rawLog.length).toBeLessThan(1_500);
    });

    it("masks a phone number wherever a caller put it, in the answer and the log", async () => {
        const answers = [
            await handler({ action: "send", receiver: "01012345678", msg: "x", msgType: "010-9876-5432" }, ctx()),
            await handler({ action: "cancel", mid: "mid 01098765432" }, ctx()),
            await handler({ action: "remain", "01098765432": true }, ctx()),
            await handler({ action: "010 9876 5432" }, ctx()),
        ];
        const text = JSON.stringify(answers) + rawLog;
        expect(text).toContain("010****5432");
        for (const clear of ["9876-5432", "98765432", "9876 5432"]) expect(text).not.toContain(clear);
        expect(aligo.requests).toEqual([]);
    });

    it.each<[string, string]>([
        ["tabs", "010\t9876\t5432"],
        ["newlines", "010\n9876\n5432"],
        ["full-width digits and hyphens", "０１０－９８７６－５４３２"],
        ["full-width digits, ASCII hyphens", "０１０-９８７６-５４３２"],
        ["U+2010 hyphens", "010‐9876‐5432"],
        ["en dashes", "010–9876–5432"],
        ["em dashes", "010—9876—5432"],
        ["minus signs", "010−9876−5432"],
        ["tildes", "010~9876~5432"],
        ["a space between every digit", "0 1 0 9 8 7 6 5 4 3 2"],
        ["ideographic spaces", "010　9876　5432"],
    ])(
        "masks a number written with %s, as a value and as an unknown field, in the answer and the log",
        async (_label, number) => {
            const answers = [
                await handler({ action: "send", receiver: "01012345678", msg: "x", msgType: number }, ctx()),
                await handler(
                    { action: "send", receiver: "01012345678", msg: "x", msgType: { note: `call ${number}` } },
                    ctx(),
                ),
                await handler({ action: "remain", [number]: true }, ctx()),
                await handler({ action: "remain", [`see ${number}`]: true }, ctx()),
                await handler({ action: number }, ctx()),
            ];
            for (const a of answers) expect(a).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
            const text = JSON.stringify(answers) + rawLog;
            expect(text.match(/010\*\*\*\*5432/g)?.length).toBeGreaterThanOrEqual(2 * answers.length);
            // No run of the hidden digits, however they were written or escaped.
            const digits = text.normalize("NFKC").replace(/\\[tn]/g, " ");
            expect(digits).not.toMatch(/9\D{0,3}8\D{0,3}7\D{0,3}6/);
            expect(aligo.requests).toEqual([]);
        },
    );

    it("reserveAt: up to the same date and time next year, not a minute more", async () => {
        const now = new Date();
        const nextYear = new Date(now.getTime());
        nextYear.setUTCFullYear(nextYear.getUTCFullYear() + 1);
        const at = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
        expect(
            await handler(
                { action: "send", receiver: "01012345678", msg: "x", reserveAt: at(nextYear.getTime() - 60_000) },
                ctx(),
            ),
        ).toMatchObject({ ok: true });
        expect(
            await handler(
                { action: "send", receiver: "01012345678", msg: "x", reserveAt: at(nextYear.getTime() + 120_000) },
                ctx(),
            ),
        ).toMatchObject({
            ok: false,
            error: { code: "INVALID_INPUT", field: "reserveAt", maybeSent: false },
        });
        expect(sent()).toHaveLength(1);
    });

    it.each([["ftp://apis.aligo.in"], ["not a url"], ["file:///etc/passwd"]])(
        "ALIGO_BASE_URL %s is a CONFIG_ERROR, nothing sent",
        async (value) => {
            process.env.ALIGO_BASE_URL = value;
            const r = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
            expect(r).toMatchObject({ ok: false, error: { code: "CONFIG_ERROR", maybeSent: false } });
            if (r.ok) return;
            expect(r.error.message).toMatch(/^ALIGO_BASE_URL ".*" is not an http\(s\) URL$/);
            expect(aligo.requests).toEqual([]);
        },
    );

    it("a missing setting is a CONFIG_ERROR, not a crash", async () => {
        delete process.env.ALIGO_API_KEY;
        const r = await handler({ action: "remain" }, ctx());
        expect(r).toEqual({
            ok: false,
            error: {
                code: "CONFIG_ERROR",
                message: "environment variables not set: ALIGO_API_KEY_PARAMETER (or ALIGO_API_KEY)",
            },
        });
        const send = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
        expect(send).toMatchObject({ ok: false, error: { code: "CONFIG_ERROR", maybeSent: false } });
        expect(aligo.requests).toEqual([]);
    });

    it.each<[string, Record<string, unknown>]>([
        ["reserveAt", { action: "send", receiver: "01012345678", msg: "x" }],
        ["action", {}],
        ["startDate", { action: "list" }],
    ])(
        "a 6 MB %s (Lambda's largest payload) is refused at once, quoted in 40 characters with its length",
        async (field, rest) => {
            const huge = `010-9876-5432 ${"가".repeat(2_000_000)}`;
            const r = await handler({ ...rest, [field]: huge }, ctx());
            expect(r).toMatchObject({ ok: false, error: { code: "INVALID_INPUT", field } });
            if (r.ok) return;
            expect(r.error.message).toContain('"010****5432 가');
            expect(r.error.message).toContain("… (2000016 characters)");
            expect(r.error.message.length).toBeLessThan(200);
            // At once: no longer than the same refusal of a short value plus writing this one as JSON
            // (natively; the quote takes the value's whole length so), timed side by side
            // (fakes/timing.ts), which a busy machine leaves alone where a limit in ms does not: 1 to
            // 2.3 here. Masking all of it (about 2 s for the 6 MB; a 256 MB Lambda has a seventh of a
            // CPU) gave 46 to 78. On a tenth of the value: the ratio does not depend on the size.
            const tenth = { ...rest, [field]: huge.slice(0, 200_014) };
            const short = { ...rest, [field]: huge.slice(0, 30) };
            const ratio = await costRatioAsync(
                () => handler(tenth, ctx()),
                async () => {
                    await handler(short, ctx());
                    return JSON.stringify(tenth);
                },
                { rounds: 5 },
            );
            expect(ratio).toBeLessThan(25);
            expect(rawLog).not.toContain("9876");
        },
    );
});

describe("Aligo and transport failures", () => {
    it("-101 for the IP: Aligo's code and message verbatim, the address it saw, and which ones to register where", async () => {
        aligo.modes["/send/"] = "ip-refused";
        const r = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
        expect(r).toMatchObject({
            ok: false,
            error: {
                code: -101,
                message: "인증오류입니다.-IP",
                source: "aligo",
                egressIp: FAKE_EGRESS_IP,
                egressIps: ["203.0.113.10", "203.0.113.11"],
            },
        });
        if (r.ok) return;
        // The echo service saw an address that is not one of the stack's: the traffic bypasses the NAT.
        expect(r.error.hint).toMatch(
            /leaves from 203\.0\.113\.77, which is not one of the stack's egressIps \(203\.0\.113\.10, 203\.0\.113\.11\)/,
        );
        expect(sent()).toHaveLength(1);
    });

    it("-101 for the IP from a stack address: register it with Aligo", async () => {
        process.env.EGRESS_IPS = `203.0.113.10,${FAKE_EGRESS_IP}`;
        aligo.modes["/remain/"] = "ip-refused";
        const r = await handler({ action: "remain" }, ctx());
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.error.hint).toMatch(
            /Aligo does not accept calls from 203\.0\.113\.77\. Register every address in the stack output egressIps \(203\.0\.113\.10, 203\.0\.113\.77\) in the Aligo console: 연동형 API → 발송 IP/,
        );
    });

    it("-101 for a wrong key: verbatim, and no IP hint", async () => {
        process.env.ALIGO_API_KEY = "wrong";
        const r = await handler({ action: "remain" }, ctx());
        expect(r).toEqual({ ok: false, error: { code: -101, message: "인증오류입니다.", source: "aligo" } });
    });

    it("an HTML 500 page is an HTTP_ERROR; a send reports that it may have arrived", async () => {
        aligo.modes["/send/"] = "html-500";
        const r = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
        expect(r).toMatchObject({
            ok: false,
            error: { code: "HTTP_ERROR", status: 500, contentType: "text/html", maybeSent: true },
        });
    });

    it("a 200 that is not JSON is a BAD_RESPONSE", async () => {
        aligo.modes["/remain/"] = "not-json";
        const r = await handler({ action: "remain" }, ctx());
        expect(r).toMatchObject({
            ok: false,
            error: { code: "BAD_RESPONSE", message: expect.stringMatching(/^Aligo's answer was not JSON: "<html>/) },
        });
    });

    it("Aligo's text is passed on with phone numbers masked and cut to 300 characters, in the answer and the log", async () => {
        aligo.modes["/send/"] = "refusal-quoting-receiver";
        const refused = await handler({ action: "send", receiver: "01098765432", msg: "x" }, ctx());
        expect(refused).toMatchObject({ ok: false, error: { code: -109, source: "aligo", maybeSent: true } });
        if (refused.ok) return;
        expect(refused.error.message).toMatch(/^수신번호 010\*\*\*\*5432 를 확인하세요/);
        expect(refused.error.message.length).toBe(300);
        aligo.modes["/send/"] = "not-json-quoting-receiver";
        const odd = await handler({ action: "send", receiver: "01098765432", msg: "x" }, ctx());
        expect(odd).toMatchObject({
            ok: false,
            error: {
                code: "BAD_RESPONSE",
                message: 'Aligo\'s answer was not JSON: "rejected 010****5432"',
                maybeSent: true,
            },
        });
        expect(JSON.stringify([refused, odd]) + rawLog).not.toContain("98765432");
        aligo.modes["/send/"] = "refusal-quoting-receiver-fullwidth";
        const wide = await handler({ action: "send", receiver: "01098765432", msg: "x" }, ctx());
        expect(wide).toEqual({
            ok: false,
            error: { code: -109, message: "수신번호 010****5432 를 확인하세요.", source: "aligo", maybeSent: true },
        });
        expect(rawLog).toContain("수신번호 010****5432 를 확인하세요.");
        expect((JSON.stringify(wide) + rawLog).normalize("NFKC")).not.toMatch(/9876/);
    });

    it("a success stays a success whatever Aligo's answer carries: its ok: false and error are not passed on", async () => {
        aligo.modes["*"] = "reserved-keys";
        const sentOk = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
        expect(sentOk).toEqual({ ok: true, msg_id: "583009869", success_cnt: 1, error_cnt: 0, msg_type: "SMS" });
        expect(logs.at(-1)).toMatchObject({ level: "info", msg: "send ok", msgId: "583009869" });
        expect(await handler({ action: "remain" }, ctx())).toEqual({
            ok: true,
            SMS_CNT: 5936,
            LMS_CNT: 2045,
            MMS_CNT: 908,
        });
        expect(sent()).toHaveLength(1);
    });

    it("a connection dropped after /send/ arrived: CONNECTION_ERROR, maybeSent, and never sent again", async () => {
        aligo.modes["/send/"] = "drop";
        const r = await handler({ action: "send", receiver: "01012345678", msg: "한 번만" }, ctx());
        expect(r).toMatchObject({ ok: false, error: { code: "CONNECTION_ERROR", maybeSent: true, attempts: 1 } });
        expect(sent()).toHaveLength(1);
    });

    it("nothing listening: a send is retried (it never left), then fails with maybeSent false", async () => {
        const port = await closedPort();
        process.env.ALIGO_BASE_URL = `http://127.0.0.1:${port}`;
        const r = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
        expect(r).toMatchObject({ ok: false, error: { code: "CONNECTION_ERROR", maybeSent: false, attempts: 3 } });
        if (!r.ok) expect(r.error.message).toMatch(/could not connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED/);
    });

    it("a hung upstream ends in TIMEOUT inside the Lambda's remaining time", async () => {
        aligo.modes["/send/"] = "hang";
        const started = Date.now();
        const r = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx(2_500));
        const took = Date.now() - started;
        expect(r).toMatchObject({ ok: false, error: { code: "TIMEOUT", maybeSent: true } });
        expect(took).toBeGreaterThanOrEqual(500);
        expect(took).toBeLessThan(2_500);
        expect(sent()).toHaveLength(1);
    });
});

describe("an upstream that quotes our own request back: neither the key nor the user id reaches an answer or a log line", () => {
    /** Every way the key or the user id could show: as they are, in any case, form- or percent-encoded. */
    const leaks = (text: string) =>
        [FAKE_KEY, FAKE_USER, FAKE_KEY.slice(0, 12), encodeURIComponent(FAKE_KEY)].filter((secret) =>
            text.toLowerCase().includes(secret.toLowerCase()),
        );
    const send = { action: "send", receiver: "01098765432", msg: "안녕하세요" };

    it.each<[Mode, Record<string, unknown>, Record<string, unknown>]>([
        [
            "reflect-refusal",
            send,
            {
                ok: false,
                error: {
                    code: -900,
                    source: "aligo",
                    maybeSent: true,
                    message: expect.stringMatching(
                        /^invalid request: key=\[key\]&user_id=\[user id\]&sender=021\*\*\*\*5678&receiver=010\*\*\*\*5432&msg=/,
                    ),
                },
            },
        ],
        [
            "reflect-encoded",
            send,
            {
                ok: false,
                error: {
                    code: -900,
                    message: expect.stringMatching(/^invalid request KEY%3D\[key\]%26USER_ID%3D\[user id\]%26/),
                },
            },
        ],
        [
            // Cut at 40 characters: the key, 34 characters in, is replaced whole before the cut.
            "reflect-page",
            send,
            {
                ok: false,
                error: {
                    code: "BAD_RESPONSE",
                    maybeSent: true,
                    message: expect.stringMatching(
                        /^Aligo's answer was not JSON: "proxy: cannot forward request key=\[key\]… \(\d+ characters\)$/,
                    ),
                },
            },
        ],
        [
            "reflect-code",
            { action: "remain" },
            {
                ok: false,
                error: {
                    code: "BAD_RESPONSE",
                    message:
                        'Aligo\'s answer has result_code "key=[key]&user_id=[user id]"; success is a code of 1 or more',
                },
            },
        ],
        [
            "reflect-not-object",
            { action: "remain" },
            {
                ok: false,
                error: {
                    code: "BAD_RESPONSE",
                    message: 'Aligo\'s answer is not an object: ["key=[key]&user_id=[user id]"]',
                },
            },
        ],
        [
            "reflect-header",
            send,
            {
                ok: false,
                error: {
                    code: "HTTP_ERROR",
                    status: 502,
                    maybeSent: true,
                    contentType:
                        "text/plain; request=key=[key]&user_id=[user id]&sender=021****5678&receiver=010****5432&msg=%EC%95%8",
                },
            },
        ],
        [
            "reflect-success",
            { action: "remain" },
            { ok: true, SMS_CNT: 5936, request: expect.stringMatching(/^key=\[key\]&user_id=\[user id\]$/) },
        ],
        [
            "reflect-success-escaped",
            send,
            {
                ok: true,
                msg_id: "583009869",
                success_cnt: 1,
                request: expect.stringMatching(
                    /^key=\[key\]&user_id=\[user id\]&sender=0212345678&receiver=01098765432&msg=/,
                ),
            },
        ],
    ])("%s: %j", async (mode, event, answer) => {
        aligo.modes["*"] = mode;
        const r = await handler(event, ctx());
        expect(r).toMatchObject(answer);
        expect(leaks(JSON.stringify(r))).toEqual([]);
        expect(leaks(rawLog)).toEqual([]);
        // The upstream really had them: what it sent back quoted our request.
        expect(aligo.requests.at(-1)?.params).toMatchObject({ key: FAKE_KEY, user_id: FAKE_USER });
    });
});

describe("reads are tried once more after a server error (5xx), inside the deadline; sends never", () => {
    it.each<[string, Record<string, unknown>, string]>([
        ["remain", { action: "remain" }, "/remain/"],
        ["list", { action: "list" }, "/list/"],
        ["detail", { action: "detail", mid: "583009869" }, "/sms_list/"],
    ])("%s: a 503 the next try passes answers as if nothing happened", async (_label, event, path) => {
        aligo.modes[path] = "http-503-once";
        expect(await handler(event, ctx())).toMatchObject({ ok: true });
        expect(aligo.requests.filter((r) => r.path === path)).toHaveLength(2);
        expect(logs.at(-1)).toMatchObject({ level: "info" });
    });

    it("a 503 that stays: HTTP_ERROR after two tries, not more", async () => {
        aligo.modes["/remain/"] = "http-503";
        expect(await handler({ action: "remain" }, ctx())).toEqual({
            ok: false,
            error: {
                code: "HTTP_ERROR",
                message: "Aligo answered HTTP 503",
                status: 503,
                contentType: "text/html",
                attempts: 2,
            },
        });
        expect(aligo.requests).toHaveLength(2);
    });

    it.each<[string, Record<string, unknown>, string]>([
        ["send", { action: "send", receiver: "01012345678", msg: "x" }, "/send/"],
        ["sendMass", { action: "sendMass", messages: [{ receiver: "01012345678", msg: "x" }] }, "/send_mass/"],
        ["cancel", { action: "cancel", mid: "583009869" }, "/cancel/"],
    ])(
        "%s: a 503 is answered as it came, never tried again (it may have been acted on)",
        async (_label, event, path) => {
            aligo.modes[path] = "http-503-once";
            const r = await handler(event, ctx());
            expect(r).toMatchObject({ ok: false, error: { code: "HTTP_ERROR", status: 503 } });
            if (!r.ok) expect(r.error).not.toHaveProperty("attempts");
            expect(aligo.requests).toHaveLength(1);
        },
    );

    it("no second try when the deadline leaves no time for it: the 503 is answered in time", async () => {
        aligo.modes["/remain/"] = "http-503-slow";
        aligo.slowMs = 600;
        const started = Date.now();
        // 900 ms to the deadline: the 503 comes at 600 ms, and a retry needs 400 ms.
        const r = await handler({ action: "remain" }, ctx(1_900));
        // On a busy machine the 503 may only be read after the deadline: then it is a TIMEOUT, still
        // with one request. Either way no second try, and an answer before Lambda's own deadline.
        expect(r.ok).toBe(false);
        if (!r.ok && r.error.code !== "TIMEOUT") expect(r.error).toMatchObject({ code: "HTTP_ERROR", status: 503 });
        expect(aligo.requests).toHaveLength(1);
        expect(Date.now() - started).toBeLessThan(1_900);
    });
});

describe("a send Aligo took but delivered to nobody, or to some", () => {
    const lines = () => rawLog.split("\n").filter(Boolean);

    it.each<[string, Record<string, unknown>, string]>([
        ["send", { action: "send", receiver: "01012345678", msg: "x" }, "/send/"],
        [
            "sendMass",
            {
                action: "sendMass",
                messages: [
                    { receiver: "01012345678", msg: "x" },
                    { receiver: "01098765432", msg: "y" },
                ],
            },
            "/send_mass/",
        ],
    ])("%s with success_cnt 0: NOT_SENT, an error line the failed-sends metric counts", async (action, event, path) => {
        aligo.modes[path] = "none-sent";
        const r = await handler(event, ctx());
        expect(r).toEqual({
            ok: false,
            error: {
                code: "NOT_SENT",
                message: expect.stringMatching(
                    /^Aligo took the request \(msg_id 5830098(69|70)\) but sent it to none of its receivers \(success_cnt 0, error_cnt [12]\)/,
                ),
                msg_id: expect.stringMatching(/^5830098(69|70)$/),
                success_cnt: 0,
                error_cnt: expect.any(Number),
                msg_type: "SMS",
                maybeSent: true,
            },
        });
        const line = lines().find((l) => l.includes(`"${action} failed"`))!;
        expect(JSON.parse(line)).toMatchObject({
            level: "error",
            code: "NOT_SENT",
            successCount: 0,
            msgId: expect.any(String),
        });
        expect(filterMatches(LOG_METRICS.failedSends.pattern, line)).toBe(true);
        expect(aligo.requests).toHaveLength(1);
    });

    it("some receivers reached: ok, logged as a warning with both counts, counted by the failed-sends metric", async () => {
        aligo.modes["/send/"] = "partly-sent";
        const r = await handler(
            { action: "send", receiver: ["01012345678", "01098765432", "01055556666"], msg: "x" },
            ctx(),
        );
        expect(r).toEqual({ ok: true, msg_id: "583009869", success_cnt: 2, error_cnt: 1, msg_type: "SMS" });
        const line = lines().at(-1)!;
        expect(JSON.parse(line)).toMatchObject({
            level: "warn",
            msg: "send partly sent",
            successCount: 2,
            errorCount: 1,
            outcome: "partial",
        });
        expect(filterMatches(LOG_METRICS.failedSends.pattern, line)).toBe(true);
        expect(filterMatches(LOG_METRICS.ipRefusals.pattern, line)).toBe(false);
    });
});

describe("a call while another is in flight (only outside Lambda) is refused as such: BUSY, nothing sent, no failed send", () => {
    it("on a warm container: BUSY with maybeSent false, logged as a warning; the first call ends as it would have", async () => {
        await handler({ action: "remain" }, ctx());
        aligo.reset();
        aligo.modes["/remain/"] = "hang";
        const first = handler({ action: "remain" }, ctx(1_600));
        await until(() => aligo.requests.length === 1);
        const second = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
        expect(second).toEqual({
            ok: false,
            error: { code: "BUSY", message: expect.stringMatching(/^another call is in flight/), maybeSent: false },
        });
        const line = rawLog.split("\n").find((l) => l.includes('"send failed"'))!;
        expect(JSON.parse(line)).toMatchObject({ level: "warn", code: "BUSY", maybeSent: false });
        expect(filterMatches(LOG_METRICS.failedSends.pattern, line)).toBe(false);
        expect(await first).toMatchObject({ ok: false, error: { code: "TIMEOUT" } });
        expect(sent()).toHaveLength(0);
        // Once the first has answered, the next call goes through.
        expect(await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx())).toMatchObject({ ok: true });
    });
});

describe("an event with more fields than any event has is refused on their count, before any is read", () => {
    /** An event of `n` fields whose values count how often they are read (a copy reads each one). */
    function counted(n: number, own: Record<string, unknown> = {}) {
        const reads = { count: 0 };
        const event: Record<string, unknown> = { ...own };
        for (let i = 0; i < n; i++) {
            Object.defineProperty(event, `k${i}`, {
                enumerable: true,
                get: () => {
                    reads.count++;
                    return 1;
                },
            });
        }
        return { event, reads };
    }

    it.each<[string, Record<string, unknown>, number, Record<string, unknown>]>([
        [
            "a send and 101 more fields",
            { action: "send", receiver: "01012345678", msg: "x" },
            101,
            { maybeSent: false },
        ],
        ["5,000 fields and no action", {}, 5_000, {}],
        ["a ping and 200 more fields", { warmer: true }, 200, {}],
    ])("%s: INVALID_INPUT on field event, no value read, nothing sent", async (_label, own, n, extra) => {
        const { event, reads } = counted(n, own);
        const total = n + Object.keys(own).length;
        const r = await handler(event, ctx());
        expect(r).toEqual({
            ok: false,
            error: {
                code: "INVALID_INPUT",
                field: "event",
                message: `event: has ${total} fields; an event has at most 100 (no event has "k0", "k1", "k2", "k3", "k4", …)`,
                ...extra,
            },
        });
        expect(reads.count).toBe(0);
        expect(aligo.requests).toEqual([]);
    });

    it("100 fields are read as any event: the unknown ones named", async () => {
        const { event } = counted(97, { action: "send", receiver: "01012345678", msg: "x" });
        expect(await handler(event, ctx())).toMatchObject({ ok: false, error: { code: "INVALID_INPUT", field: "k0" } });
    });
});

describe("logs", () => {
    it("one JSON object per line: masked numbers, byte length, never the key or the text", async () => {
        const msg = "비밀 메시지 본문 secret-body";
        await handler({ action: "send", receiver: ["010-1234-5678", "01098765432"], msg }, ctx());
        aligo.modes["/send/"] = "ip-refused";
        await handler({ action: "send", receiver: "01055556666", msg }, ctx());
        await handler({ action: "send", receiver: "0101234", msg }, ctx());
        expect(
            rawLog
                .trim()
                .split("\n")
                .every((l) => JSON.parse(l)),
        ).toBe(true);
        expect(logs[0]).toMatchObject({
            level: "info",
            msg: "send ok",
            requestId: "req-1",
            receivers: ["010****5678", "010****5432"],
            receiverCount: 2,
            msgBytes: 28,
            msgType: "SMS",
            msgId: "583009869",
        });
        expect(logs[1]).toMatchObject({
            level: "error",
            msg: "send failed",
            code: -101,
            message: "인증오류입니다.-IP",
            receivers: ["010****6666"],
        });
        expect(logs[2]).toMatchObject({ level: "warn", code: "INVALID_INPUT" });
        for (const secret of [
            FAKE_KEY,
            "01012345678",
            "01098765432",
            "01055556666",
            "0101234",
            "비밀",
            "secret-body",
        ]) {
            expect(rawLog).not.toContain(secret);
        }
    });
});

describe("warm-up pings", () => {
    it("answer at once without reaching Aligo, saying whether the container was cold", async () => {
        const first = await handler({ warmer: true, correlationId: "c-1" }, ctx());
        const second = await handler({ warmer: true, correlationId: "c-2" }, ctx());
        expect(first).toMatchObject({ ok: true, warmer: true, cold: true, correlationId: "c-1" });
        expect(second).toMatchObject({ ok: true, warmer: true, cold: false, correlationId: "c-2" });
        if (first.ok && second.ok) expect(first.containerId).toBe(second.containerId);
        expect(aligo.requests).toEqual([]);
    });

    it("hold the container briefly when several are being warmed at once", async () => {
        const started = Date.now();
        await handler({ warmer: true, concurrency: 3 }, ctx());
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it("a real request after a ping is not cold", async () => {
        await handler({ warmer: true }, ctx());
        await handler({ action: "remain" }, ctx());
        expect(logs.at(-1)).toMatchObject({ msg: "remain ok", cold: false });
    });

    it("warmer: true beside an action is no ping: the send is refused for its unknown field, with nothing sent and no warm-up answer", async () => {
        const r = await handler({ action: "send", receiver: "010-1234-5678", msg: "hi", warmer: true }, ctx());
        expect(r).toEqual({
            ok: false,
            error: {
                code: "INVALID_INPUT",
                field: "warmer",
                message:
                    "warmer: is not a field of action send (allowed: action, receiver, msg, title, msgType, testMode, reserveAt)",
                maybeSent: false,
            },
        });
        expect(aligo.requests).toEqual([]);
        expect(logs.at(-1)).toMatchObject({ level: "warn", msg: "send failed", code: "INVALID_INPUT" });
    });

    it.each<[string, unknown]>([
        ["warmer inherited through the prototype", Object.create({ warmer: true })],
        [
            "warmer inherited, with an own correlationId",
            Object.assign(Object.create({ warmer: true }), { correlationId: "c" }),
        ],
    ])("%s is no ping: refused as input (it has no action), nothing sent", async (_label, event) => {
        const r = await handler(event, ctx());
        expect(r).toMatchObject({ ok: false, error: { code: "INVALID_INPUT", field: "action" } });
        expect(r).not.toHaveProperty("warmer");
        expect(aligo.requests).toEqual([]);
    });

    // A ping look-alike (its own warmer, no action) is told what does not belong, not that it lacks an action.
    it.each<[string, unknown, string, string]>([
        [
            "a field a ping does not have",
            { warmer: true, extra: 1 },
            "extra",
            "extra: is not a field of a warm-up ping (a ping has only warmer, concurrency, correlationId, balance; any other event needs an action)",
        ],
        [
            "a receiver",
            { warmer: true, receiver: "01012345678" },
            "receiver",
            "receiver: is not a field of a warm-up ping (a ping has only warmer, concurrency, correlationId, balance; any other event needs an action)",
        ],
        [
            "several, one of them a phone number",
            { warmer: true, concurency: 2, "010-9876-5432": 1, msg: "x", correlationId: "c" },
            "concurency",
            'concurency: is not a field of a warm-up ping, nor are "010****5432", "msg" (a ping has only warmer, concurrency, correlationId, balance; any other event needs an action)',
        ],
        [
            "seven",
            { warmer: true, a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1 },
            "a",
            'a: is not a field of a warm-up ping, nor are "b", "c", "d", "e", "f" and 1 more (a ping has only warmer, concurrency, correlationId, balance; any other event needs an action)',
        ],
        [
            'warmer: "true" (a string)',
            { warmer: "true" },
            "warmer",
            'warmer: "true" is not true: a warm-up ping is { warmer: true }, nothing else',
        ],
    ])("a ping look-alike with %s is refused naming it, nothing sent", async (_label, event, field, message) => {
        const r = await handler(event, ctx());
        expect(r).toEqual({ ok: false, error: { code: "INVALID_INPUT", field, message } });
        expect(aligo.requests).toEqual([]);
        expect(logs.at(-1)).toMatchObject({ level: "warn", code: "INVALID_INPUT", message });
        expect(rawLog).not.toContain("9876");
    });

    it("reads the ping's own fields only: an inherited balance request is not one", async () => {
        process.env.METRICS_NAMESPACE = "aligo-sms/dev";
        try {
            const r = await handler(
                Object.assign(Object.create({ balance: true, concurrency: 3 }), { warmer: true }),
                ctx(),
            );
            expect(r).toMatchObject({ ok: true, warmer: true });
            expect(r).not.toHaveProperty("balance");
            expect(aligo.requests).toEqual([]);
        } finally {
            delete process.env.METRICS_NAMESPACE;
        }
    });

    it("its correlationId is quoted back and logged as any caller's value: phone numbers masked, at most 40 characters", async () => {
        const uuid = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
        expect(await handler({ warmer: true, correlationId: uuid }, ctx())).toMatchObject({ correlationId: uuid });
        const r = await handler(
            { warmer: true, correlationId: `call ０１０－９８７６－５４３２ ${"x".repeat(90)}` },
            ctx(),
        );
        expect(r).toMatchObject({ ok: true, correlationId: `call 010****5432 ${"x".repeat(23)}… (109 characters)` }); // the caller's own length
        expect(JSON.stringify(r) + rawLog).not.toMatch(/９８７６|5432 x{30}/);
        expect(logs.at(-1)).toMatchObject({
            msg: "warm-up ping",
            correlationId: `call 010****5432 ${"x".repeat(23)}… (109 characters)`,
        });
    });
});

/** Waits (in real time) until `ready()`: e.g. until the request that will hang has arrived. */
async function until(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise((r) => setTimeout(r, 5));
}

/**
 * A call's answer, and the time on the function's clock (Date, faked in tests that move it by hand)
 * when it answered.
 */
function settling<T>(call: Promise<T>): { answer: Promise<T>; at: () => number } {
    let at: number | undefined;
    const answer = call.then((v) => {
        at = Date.now();
        return v;
    });
    return {
        answer,
        at: () => {
            if (at === undefined) throw new Error("not answered yet");
            return at;
        },
    };
}

/**
 * `answer`, which must come within 2 s of real time: once the clock is moved past a bound, the
 * deadline's watchdog (every 25 ms) cuts the wait at once. Without the bound, the socket would wait
 * for undici's own timeout, seconds of real time; the 2 s leave room for a busy machine.
 */
async function promptly<T>(answer: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
            () => reject(new Error("no answer 2 s (real time) after the clock passed the bound")),
            2_000,
        );
    });
    try {
        return await Promise.race([answer, late]);
    } finally {
        clearTimeout(timer);
    }
}

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    return port;
}

describe("the API key from SSM Parameter Store (ALIGO_API_KEY_PARAMETER)", () => {
    const ssm = new FakeSsm();
    const PARAM = "/aligo-sms/dev/aligo-api-key";
    beforeAll(async () => {
        await ssm.start();
    });
    afterAll(async () => {
        await ssm.stop();
    });
    beforeEach(() => {
        ssm.reset();
        ssm.parameters.set(PARAM, FAKE_KEY);
        delete process.env.ALIGO_API_KEY;
        Object.assign(process.env, {
            ALIGO_API_KEY_PARAMETER: PARAM,
            AWS_ENDPOINT_URL_SSM: ssm.endpoint,
            AWS_REGION: SSM_REGION,
            AWS_ACCESS_KEY_ID: SSM_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: SSM_CREDENTIALS.secretAccessKey,
            // Lambda's role credentials always come with a session token, which SSM requires.
            AWS_SESSION_TOKEN: TEST_SESSION_TOKEN,
        });
    });
    afterEach(() => {
        vi.useRealTimers();
        for (const k of [
            "ALIGO_API_KEY_PARAMETER",
            "AWS_ENDPOINT_URL_SSM",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
        ])
            delete process.env[k];
        // Whatever happened, no key (old, rotated or current) reached a log line.
        for (const key of [FAKE_KEY, "the-old-key"]) expect(rawLog).not.toContain(key);
    });

    it("the first call that needs the key reads it (signed, WithDecryption); later calls do not", async () => {
        expect(await handler({ action: "remain" }, ctx())).toMatchObject({ ok: true, SMS_CNT: 5936 });
        expect(await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx())).toMatchObject({ ok: true });
        expect(ssm.requests).toEqual([
            { target: "AmazonSSM.GetParameter", body: { Name: PARAM, WithDecryption: true }, signatureValid: true },
        ]);
        expect(aligo.requests.map((r) => r.params.key)).toEqual([FAKE_KEY, FAKE_KEY]);
        // A warm-up ping and bad input need no key.
        await handler({ warmer: true }, ctx());
        await handler({ action: "send", receiver: "02-1234-5678", msg: "x" }, ctx());
        expect(ssm.reads).toBe(1);
        expect(rawLog).not.toContain(FAKE_KEY);
    });

    it("a rotated key: after Aligo refuses the old one, the parameter is read again (at most once a minute) and the call made once more", async () => {
        vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
        ssm.parameters.set(PARAM, "the-old-key");
        const first = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
        // Refused, and the key was read less than a minute ago: no second read, nothing sent.
        expect(first).toMatchObject({ ok: false, error: { code: -101, source: "aligo", maybeSent: true } });
        expect(ssm.reads).toBe(1);
        // The operator rotates the key (pulumi config set --secret aligoApiKey; pulumi up); a minute later:
        ssm.parameters.set(PARAM, FAKE_KEY);
        vi.setSystemTime(Date.now() + 61_000);
        const second = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
        expect(second).toMatchObject({ ok: true, msg_id: "583009869" });
        expect(ssm.reads).toBe(2);
        // Two /send/ requests for the second call: one refused with the old key, one accepted.
        expect(aligo.requests.filter((r) => r.path === "/send/").map((r) => r.params.key)).toEqual([
            "the-old-key",
            "the-old-key",
            FAKE_KEY,
        ]);
        expect(logs.some((l) => l.msg === "aligo key re-read after a refusal; calling again with the new key")).toBe(
            true,
        );
    });

    it("a rotated key whose second call cannot reach Aligo: the answer stays Aligo's refusal (it reached Aligo, nothing sent), not 'could not connect'", async () => {
        // An Aligo that refuses every key and stops listening after its second answer.
        const answered: string[] = [];
        const server = createHttpServer((req, res) => {
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => {
                answered.push(new URLSearchParams(body).get("key") ?? "");
                res.writeHead(200, { "content-type": "application/json", connection: "close" }).end(
                    JSON.stringify({ result_code: -101, message: "인증오류입니다." }),
                );
                if (answered.length === 2) server.close();
            });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        process.env.ALIGO_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
        ssm.parameters.set(PARAM, "the-old-key");
        await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
        ssm.parameters.set(PARAM, FAKE_KEY);
        vi.setSystemTime(Date.now() + 61_000);
        const r = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
        expect(answered).toEqual(["the-old-key", "the-old-key"]);
        expect(ssm.reads).toBe(2);
        expect(r).toMatchObject({ ok: false, error: { code: -101, source: "aligo", maybeSent: true } });
        expect(
            logs.some(
                (l) =>
                    l.msg === "aligo call with the re-read key could not reach Aligo; answering with the first refusal",
            ),
        ).toBe(true);
    });

    it("the session token of the function's role goes with the read, signed: without it SSM refuses (UnrecognizedClientException)", async () => {
        expect(await handler({ action: "remain" }, ctx())).toMatchObject({ ok: true });
        vi.resetModules();
        ({ handler } = await import("./index"));
        delete process.env.AWS_SESSION_TOKEN;
        const r = await handler({ action: "remain" }, ctx());
        expect(r).toMatchObject({
            ok: false,
            error: { code: "CONFIG_ERROR", message: expect.stringContaining("UnrecognizedClientException") },
        });
        expect(ssm.reads).toBe(2);
    });

    it("a re-read that fails counts for the once-a-minute limit too: a hung SSM costs one refused call its time, not every one", async () => {
        vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
        ssm.parameters.set(PARAM, "the-old-key");
        // The key read is refused by Aligo (a rotation is under way); read less than a minute ago, it is not read again.
        expect(await handler({ action: "remain" }, ctx())).toMatchObject({ ok: false, error: { code: -101 } });
        vi.setSystemTime(Date.now() + 61_000);
        ssm.mode = "hang";
        const started = Date.now();
        const first = settling(handler({ action: "remain" }, ctx(6_000)));
        // The re-read is cut short (it must leave time for a second call), and the refusal reported:
        // with the re-read hanging (a real socket), the clock moved on to just inside 3 s ends it.
        await until(() => ssm.reads === 2);
        vi.setSystemTime(started + 2_999);
        expect(await promptly(first.answer)).toMatchObject({ ok: false, error: { code: -101 } });
        expect(first.at() - started).toBeLessThan(3_000);
        // The second refused call reads nothing (a read would hang on SSM until undici's own 2 s
        // timeout, in real time): it answers at once, by the real clock.
        const again = performance.now();
        expect(await handler({ action: "remain" }, ctx(6_000))).toMatchObject({ ok: false, error: { code: -101 } });
        expect(performance.now() - again).toBeLessThan(1_000);
        expect(ssm.reads).toBe(2);
    });

    it("an IP refusal is not a key problem: no re-read", async () => {
        vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
        await handler({ action: "remain" }, ctx());
        vi.setSystemTime(Date.now() + 120_000);
        aligo.modes["/remain/"] = "ip-refused";
        expect(await handler({ action: "remain" }, ctx())).toMatchObject({ ok: false, error: { code: -101 } });
        expect(ssm.reads).toBe(1);
    });

    it.each<[string, (s: FakeSsm) => void, number, RegExp]>([
        ["SSM does not answer", (s) => (s.mode = "hang"), 2_500, /SSM did not answer in time/],
        [
            "the role may not read the parameter",
            (s) => (s.mode = "deny"),
            10_000,
            /the function's role may not ssm:GetParameter it \(AccessDeniedException/,
        ],
        [
            "the parameter does not exist",
            (s) => s.parameters.clear(),
            10_000,
            /it does not exist \(was the stack deployed to this account and region\?\) \(ParameterNotFound/,
        ],
    ])(
        "%s: a CONFIG_ERROR naming the parameter, within the time left, and nothing sent to Aligo",
        async (_label, breakIt, remaining, reason) => {
            breakIt(ssm);
            const started = Date.now();
            const r = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx(remaining));
            expect(Date.now() - started).toBeLessThan(remaining);
            expect(r).toMatchObject({ ok: false, error: { code: "CONFIG_ERROR", maybeSent: false } });
            if (r.ok) return;
            expect(r.error.message).toMatch(
                new RegExp(`^the Aligo API key could not be read from SSM parameter ${PARAM}: `),
            );
            expect(r.error.message).toMatch(reason);
            expect(r.error.message).toMatch(/nothing was sent to Aligo$/);
            expect(aligo.requests).toEqual([]);
        },
    );

    it("no SSM without AWS credentials in the environment: said plainly", async () => {
        delete process.env.AWS_ACCESS_KEY_ID;
        const r = await handler({ action: "remain" }, ctx());
        expect(r).toMatchObject({
            ok: false,
            error: {
                code: "CONFIG_ERROR",
                message: expect.stringMatching(/the function has no AWS credentials \(NO_CREDENTIALS/),
            },
        });
    });

    it("a call while the first reads the key (a cold container) is BUSY, not 'SSM could not be reached'", async () => {
        ssm.mode = "hang";
        const first = handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx(1_600));
        await until(() => ssm.reads === 1);
        const second = await handler({ action: "send", receiver: "01012345678", msg: "y" }, ctx());
        expect(second).toMatchObject({ ok: false, error: { code: "BUSY", maybeSent: false } });
        expect(await first).toMatchObject({
            ok: false,
            error: {
                code: "CONFIG_ERROR",
                message: expect.stringMatching(/SSM did not answer in time/),
                maybeSent: false,
            },
        });
        expect(ssm.reads).toBe(1);
        expect(aligo.requests).toEqual([]);
    });

    it("with too little time left to ask SSM, the answer says so (TIMEOUT, nothing asked), not that SSM did not answer", async () => {
        const r = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx(1_150));
        expect(r).toEqual({
            ok: false,
            error: {
                code: "TIMEOUT",
                message: expect.stringMatching(
                    new RegExp(
                        `^no time was left to read the Aligo API key from SSM parameter ${PARAM}: .*SSM was not asked`,
                    ),
                ),
                attempts: 0,
                maybeSent: false,
            },
        });
        expect(ssm.reads).toBe(0);
        expect(aligo.requests).toEqual([]);
    });

    it("ALIGO_API_KEY, when set, wins: SSM is not asked", async () => {
        process.env.ALIGO_API_KEY = FAKE_KEY;
        expect(await handler({ action: "remain" }, ctx())).toMatchObject({ ok: true });
        expect(ssm.reads).toBe(0);
    });

    it("neither the key nor its parameter: a CONFIG_ERROR naming both", async () => {
        delete process.env.ALIGO_API_KEY_PARAMETER;
        expect(await handler({ action: "remain" }, ctx())).toEqual({
            ok: false,
            error: {
                code: "CONFIG_ERROR",
                message: "environment variables not set: ALIGO_API_KEY_PARAMETER (or ALIGO_API_KEY)",
            },
        });
    });
});

/** An Embedded Metric Format line read back as CloudWatch reads it: the directive, and each metric's value. */
function readEmf(line: string): {
    namespace: string;
    dimensions: string[][];
    metrics: Record<string, { value: number; unit?: string }>;
    timestamp: number;
} {
    const doc = JSON.parse(line);
    const meta = doc._aws;
    expect(Number.isInteger(meta?.Timestamp)).toBe(true);
    expect(Array.isArray(meta.CloudWatchMetrics)).toBe(true);
    const [directive] = meta.CloudWatchMetrics;
    expect(typeof directive.Namespace).toBe("string");
    expect(Array.isArray(directive.Dimensions) && directive.Dimensions.every((d: unknown) => Array.isArray(d))).toBe(
        true,
    );
    const metrics: Record<string, { value: number; unit?: string }> = {};
    for (const m of directive.Metrics) {
        // Every metric named in the directive has a number at the top level of the line.
        expect(typeof doc[m.Name]).toBe("number");
        metrics[m.Name] = { value: doc[m.Name], unit: m.Unit };
    }
    for (const dims of directive.Dimensions) for (const d of dims) expect(typeof doc[d]).toBe("string");
    return { namespace: directive.Namespace, dimensions: directive.Dimensions, metrics, timestamp: meta.Timestamp };
}

describe("Aligo's balance, when the warmer asks (the balance alarm's metric)", () => {
    beforeEach(() => {
        process.env.METRICS_NAMESPACE = "aligo-sms/dev";
    });
    afterEach(() => {
        delete process.env.METRICS_NAMESPACE;
        vi.useRealTimers();
    });
    const emfLines = () => rawLog.split("\n").filter((l) => l.includes('"_aws"'));

    it("looks it up (remain, never a send) and logs it as one EMF line; the ping answers with it", async () => {
        const r = await handler({ warmer: true, balance: true, correlationId: "c1" }, ctx());
        expect(r).toMatchObject({ ok: true, warmer: true, balance: 5936 });
        expect(aligo.requests.map((q) => q.path)).toEqual(["/remain/"]);
        const [line] = emfLines();
        expect(readEmf(line)).toMatchObject({
            namespace: "aligo-sms/dev",
            dimensions: [[]],
            metrics: { AligoSmsRemaining: { value: 5936, unit: "Count" } },
        });
    });

    it("at most once an hour per container", async () => {
        vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
        await handler({ warmer: true, balance: true }, ctx());
        vi.setSystemTime(Date.now() + 59 * 60_000);
        expect(await handler({ warmer: true, balance: true }, ctx())).not.toHaveProperty("balance");
        vi.setSystemTime(Date.now() + 2 * 60_000);
        expect(await handler({ warmer: true, balance: true }, ctx())).toMatchObject({ balance: 5936 });
        expect(aligo.requests.filter((q) => q.path === "/remain/")).toHaveLength(2);
        expect(emfLines()).toHaveLength(2);
    });

    it("not when the ping does not ask, nor without a namespace (no balance alarm)", async () => {
        await handler({ warmer: true }, ctx());
        delete process.env.METRICS_NAMESPACE;
        await handler({ warmer: true, balance: true }, ctx());
        expect(aligo.requests).toEqual([]);
        expect(emfLines()).toEqual([]);
    });

    it("an Aligo that does not answer holds the ping at most BALANCE_LOOKUP_MS, well inside the warmer's 10 s wait: the ping answers, the look-up is a logged failure", async () => {
        aligo.modes["/remain/"] = "hang";
        const { BALANCE_LOOKUP_MS } = await import("./index");
        // The bound is arithmetic on the function's clock: the clock stands still while the look-up
        // hangs on a real socket, and is moved on by hand: to just short of the bound (still waiting),
        // then to the bound (cut at once, though the ping's own deadline is 13 s away).
        vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
        const t0 = Date.now();
        const ping = settling(handler({ warmer: true, balance: true }, ctx(14_000)));
        await until(() => aligo.requests.some((q) => q.path === "/remain/"));
        vi.setSystemTime(t0 + BALANCE_LOOKUP_MS - 101);
        await new Promise((r) => setTimeout(r, 150)); // several ticks of the deadline's watchdog (25 ms)
        vi.setSystemTime(t0 + BALANCE_LOOKUP_MS);
        const r = await promptly(ping.answer);
        const took = ping.at() - t0;
        expect(r).toMatchObject({ ok: true, warmer: true, balanceError: "TIMEOUT" });
        expect(took).toBeGreaterThanOrEqual(BALANCE_LOOKUP_MS - 100);
        expect(took).toBeLessThan(8_000);
        expect(rawLog).toContain("aligo balance failed");
    });

    it("a refusal is logged as an error (the IP alarm counts it), the ping still answers", async () => {
        aligo.modes["/remain/"] = "ip-refused";
        const r = await handler({ warmer: true, balance: true }, ctx());
        expect(r).toMatchObject({ ok: true, warmer: true, balanceError: -101 });
        expect(emfLines()).toEqual([]);
        const line = rawLog.split("\n").find((l) => l.includes("aligo balance failed"))!;
        expect(filterMatches(LOG_METRICS.ipRefusals.pattern, line)).toBe(true);
        expect(filterMatches(LOG_METRICS.failedSends.pattern, line)).toBe(false);
    });
});

describe("the stack's log metric filters, on the function's real log lines", () => {
    const lines = () => rawLog.split("\n").filter(Boolean);
    it("a failed send counts as a failed send; Aligo's IP refusal also as an IP refusal", async () => {
        aligo.modes["/send/"] = "ip-refused";
        await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
        const failed = lines().find((l) => l.includes('"send failed"'))!;
        expect(filterMatches(LOG_METRICS.failedSends.pattern, failed)).toBe(true);
        expect(filterMatches(LOG_METRICS.ipRefusals.pattern, failed)).toBe(true);
    });

    // The filter matches the function's own marker, not Aligo's wording: a pattern on the code and
    // message ({ $.code = -101 && $.message = "*IP*" }) would miss each of these.
    it.each(["ip-refused-string-code", "ip-refused-long"] as const)(
        "Aligo's IP refusal counts also when it comes as %s",
        async (mode) => {
            aligo.modes["/send/"] = mode;
            const r = await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
            // The caller is told which addresses to register (not sent to re-read the key).
            expect(r).toMatchObject({
                ok: false,
                error: { code: -101, source: "aligo", maybeSent: true, egressIps: expect.any(Array) },
            });
            const failed = lines().find((l) => l.includes('"send failed"'))!;
            expect(JSON.parse(failed)).toMatchObject({ refusal: "ip", source: "aligo", maybeSent: true });
            expect(lines().some((l) => l.includes("aligo key re-read"))).toBe(false);
            expect(filterMatches(LOG_METRICS.ipRefusals.pattern, failed)).toBe(true);
            expect(filterMatches(LOG_METRICS.failedSends.pattern, failed)).toBe(true);
        },
    );

    it("a send that went through, bad input and a key refusal are not IP refusals; only failed sends count as such", async () => {
        await handler({ action: "send", receiver: "01012345678", msg: "x" }, ctx());
        await handler({ action: "send", receiver: "02-1234-5678", msg: "x" }, ctx());
        process.env.ALIGO_API_KEY = "wrong";
        await handler({ action: "remain" }, ctx());
        const all = lines();
        expect(all.filter((l) => filterMatches(LOG_METRICS.failedSends.pattern, l))).toEqual([]);
        expect(all.filter((l) => filterMatches(LOG_METRICS.ipRefusals.pattern, l))).toEqual([]);
        expect(all.some((l) => l.includes('"remain failed"'))).toBe(true);
    });
});
