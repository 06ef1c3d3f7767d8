// Fault injection: the SMS handler against an upstream that misbehaves on raw sockets on
// 127.0.0.1. Every case checks the answer, the time taken against the Lambda's remaining time, and
// how many /send/ requests the upstream received (one, or none when nothing connected): a send is
// never made twice, never outlives the invocation, and never reports a failure as a success.
import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FAKE_KEY, FAKE_USER } from "../../fakes/aligo";
import { BlackHole, RawUpstream, type Fault, type FaultOptions } from "../../fakes/raw-upstream";
import { MAX_BODY_BYTES } from "../shared/http";

const upstream = new RawUpstream();
let handler: typeof import("./index").handler;

/** The handler keeps 1 s of the remaining time back to answer. */
const SAFETY_MS = 1_000;
/** Slack for the event loop and the watchdog's tick. */
const SLACK_MS = 250;

const ctx = (remainingMs: number) => ({ awsRequestId: "fault", getRemainingTimeInMillis: () => remainingMs });
const send = { action: "send", receiver: "010-1234-5678", msg: "장애 테스트" };

beforeAll(async () => {
    await upstream.start();
});
afterAll(async () => {
    await upstream.stop();
});
beforeEach(async () => {
    upstream.reset();
    Object.assign(process.env, {
        ALIGO_API_KEY: FAKE_KEY,
        ALIGO_USER_ID: FAKE_USER,
        ALIGO_SENDER: "0212345678",
        ALIGO_BASE_URL: upstream.baseUrl,
        EGRESS_IPS: "",
    });
    vi.resetModules();
    ({ handler } = await import("./index"));
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});

/** Runs the handler with `remainingMs` and returns its answer and how long it took. */
async function run(event: unknown, remainingMs: number, fault: Fault, options: FaultOptions = {}) {
    upstream.fault = fault;
    upstream.options = options;
    const started = Date.now();
    const result = await handler(event, ctx(remainingMs));
    return {
        result: result as { ok: boolean; error?: Record<string, unknown> } & Record<string, unknown>,
        took: Date.now() - started,
    };
}

/** Remaining time for the faults that answer at once; they must not wait for the deadline. */
const REMAINING = 5_000;
/** How long a fault that answers at once may take (far less than REMAINING - SAFETY_MS). */
const QUICK_MS = 1_000;

/** Answered without waiting for the deadline, and well inside it. */
function answeredQuickly(took: number) {
    expect(took).toBeLessThan(QUICK_MS);
    expect(took).toBeLessThan(REMAINING - SAFETY_MS);
}

describe("every wait ends by the deadline (remaining time minus the safety margin)", () => {
    // A second to the deadline: undici's own timeouts of up to a second run on Node's timers, exact,
    // so "(DEADLINE)" says that the deadline's watchdog cut the wait, a tick before undici would have
    // (longer ones run on undici's own half-second clock); a trickle keeps undici's idle timer alive,
    // and only the watchdog ends it.
    it.each<[string, Fault, FaultOptions]>([
        ["headers never come", "stall-headers", {}],
        ["headers come late, then the body stalls", "late-headers-stall-body", { lateMs: 500 }],
        ["the body trickles in a byte at a time", "trickle-body", { trickleMs: 40 }],
    ])("%s: TIMEOUT, maybeSent, sent once, answered in time", async (_label, fault, options) => {
        const remaining = SAFETY_MS + 1_000;
        const { result, took } = await run(send, remaining, fault, options);
        expect(result).toEqual({
            ok: false,
            error: {
                code: "TIMEOUT",
                message: "timed out waiting for " + new URL(upstream.baseUrl).host + " (DEADLINE)",
                attempts: 1,
                maybeSent: true,
            },
        });
        expect(upstream.count("/send/")).toBe(1);
        expect(took).toBeGreaterThanOrEqual(remaining - SAFETY_MS - 100);
        expect(took).toBeLessThan(remaining - SAFETY_MS + SLACK_MS);
    });

    it("an address that never completes the handshake (dropped SYNs): the first connect gets 3 s, the second only what is left (~600 ms); its own timeout is reported, nothing sent", async () => {
        const hole = new BlackHole();
        process.env.ALIGO_BASE_URL = await hole.start();
        let report: { accepted: number; sends: number } | undefined;
        try {
            // 3.9 s to the deadline: a 3 s connect, a 100 ms pause, then a connect that gets the time
            // left less the 200 ms a request needs (~600 ms). Then there is no time for a third.
            const remaining = 4_900;
            const { result, took } = await run(send, remaining, "ok");
            expect(result).toEqual({
                ok: false,
                error: {
                    code: "TIMEOUT",
                    message: `timed out connecting to 127.0.0.1:${hole.port} (UND_ERR_CONNECT_TIMEOUT)`,
                    attempts: 2,
                    maybeSent: false,
                },
            });
            // The second connect ended at its own budget, before the deadline's watchdog would cut it.
            expect(took).toBeGreaterThanOrEqual(remaining - SAFETY_MS - 200 - 100);
            expect(took).toBeLessThan(remaining - SAFETY_MS - 200 + SLACK_MS);
        } finally {
            report = await hole.finish();
        }
        // The kernel dropped every SYN: no connection of ours was queued, no /send/ arrived.
        expect(report).toEqual({ accepted: 2, sends: 0 });
    });

    it("no time left at all: nothing is attempted", async () => {
        const { result, took } = await run(send, SAFETY_MS + 150, "ok");
        expect(result).toEqual({
            ok: false,
            error: {
                code: "TIMEOUT",
                message: `no time left for a request to ${new URL(upstream.baseUrl).host}`,
                attempts: 0,
                maybeSent: false,
            },
        });
        expect(upstream.connections).toBe(0);
        expect(upstream.count("/send/")).toBe(0);
        expect(took).toBeLessThan(100);
    });

    it.each([
        // No time for a retry (it needs 400 ms): the refused connect itself is reported.
        [350, 1],
        // Time for retries: refused until the time runs out or three attempts were made.
        [1_450, undefined],
    ])(
        "refused connects with %i ms to the deadline: the last attempt's refusal, maybeSent false, nothing arrives later",
        async (budget, attempts) => {
            const port = await closedPort();
            process.env.ALIGO_BASE_URL = `http://127.0.0.1:${port}`;
            const { result, took } = await run(send, SAFETY_MS + budget, "ok");
            expect(result).toMatchObject({
                ok: false,
                error: {
                    code: "CONNECTION_ERROR",
                    maybeSent: false,
                    message: expect.stringMatching(
                        new RegExp(`^could not connect to 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED`),
                    ),
                },
            });
            if (attempts !== undefined) expect(result.error?.attempts).toBe(attempts);
            expect(took).toBeLessThan(budget + 50);
            // Nothing was left trying: a listener opened on the port now receives no /send/.
            const late = new RawUpstream();
            await late.start(port);
            await new Promise((r) => setTimeout(r, 400));
            expect(late.count("/send/")).toBe(0);
            expect(late.connections).toBe(0);
            await late.stop();
        },
    );
});

describe("broken connections", () => {
    it("reset after the request was read: CONNECTION_ERROR, maybeSent, never sent again", async () => {
        const { result, took } = await run(send, REMAINING, "reset-after-read");
        expect(result).toMatchObject({
            ok: false,
            error: {
                code: "CONNECTION_ERROR",
                maybeSent: true,
                attempts: 1,
                message: expect.stringMatching(/^the connection to 127\.0\.0\.1:\d+ broke \(ECONNRESET/),
            },
        });
        expect(upstream.count("/send/")).toBe(1);
        answeredQuickly(took);
    });

    it("reset on accept, before anything was read: nothing arrives; retried only while nothing could have been written", async () => {
        const { result, took } = await run(send, REMAINING, "reset-before-read");
        expect(result).toMatchObject({ ok: false, error: { code: "CONNECTION_ERROR" } });
        expect(upstream.count("/send/")).toBe(0);
        // On loopback the reset usually lands before the connect completes: then nothing was
        // written, and the send may be tried again (up to three times). Had the request been
        // written first, it would have said maybeSent and stopped at one attempt.
        const { maybeSent, attempts } = result.error as { maybeSent: boolean; attempts: number };
        expect(maybeSent ? attempts === 1 : attempts === 3).toBe(true);
        expect(upstream.connections).toBe(attempts);
        answeredQuickly(took);
    });

    it("a read is retried after a reset, at most three times, within the deadline", async () => {
        const { result, took } = await run({ action: "remain" }, REMAINING, "reset-after-read");
        expect(result).toMatchObject({ ok: false, error: { code: "CONNECTION_ERROR", attempts: 3 } });
        expect(result.error).not.toHaveProperty("maybeSent");
        expect(upstream.count("/remain/")).toBe(3);
        expect(upstream.count("/send/")).toBe(0);
        answeredQuickly(took);
    });
});

describe("answers that are not a success", () => {
    it.each<[string, Fault, FaultOptions, Record<string, unknown>]>([
        [
            "an HTML page with 200",
            "html",
            {},
            {
                code: "BAD_RESPONSE",
                message: expect.stringMatching(/^Aligo's answer was not JSON: "<html><body>/),
                status: 200,
                contentType: "text/html",
            },
        ],
        [
            "no result_code",
            "code",
            { code: "absent" },
            {
                code: "BAD_RESPONSE",
                message: "Aligo's answer has no result_code; success is a code of 1 or more",
                status: 200,
            },
        ],
        [
            "result_code null",
            "code",
            { code: null },
            {
                code: "BAD_RESPONSE",
                message: "Aligo's answer has result_code null; success is a code of 1 or more",
                status: 200,
            },
        ],
        [
            'result_code ""',
            "code",
            { code: "" },
            {
                code: "BAD_RESPONSE",
                message: 'Aligo\'s answer has result_code ""; success is a code of 1 or more',
                status: 200,
            },
        ],
        [
            "result_code 0",
            "code",
            { code: 0 },
            {
                code: "BAD_RESPONSE",
                message: "Aligo's answer has result_code 0; success is a code of 1 or more",
                status: 200,
            },
        ],
        [
            'result_code "ok"',
            "code",
            { code: "ok" },
            { code: "BAD_RESPONSE", message: expect.stringMatching(/has result_code "ok"/), status: 200 },
        ],
        // Strict: exactly a number or a string of digits, nothing around it, no leading zero.
        [
            'result_code " 1"',
            "code",
            { code: " 1" },
            { code: "BAD_RESPONSE", message: expect.stringMatching(/has result_code " 1"/), status: 200 },
        ],
        [
            'result_code "\\t1\\n"',
            "code",
            { code: "\t1\n" },
            { code: "BAD_RESPONSE", message: expect.stringMatching(/has result_code "\\t1\\n"/), status: 200 },
        ],
        [
            'result_code "01"',
            "code",
            { code: "01" },
            { code: "BAD_RESPONSE", message: expect.stringMatching(/has result_code "01"/), status: 200 },
        ],
        [
            'result_code "+1"',
            "code",
            { code: "+1" },
            { code: "BAD_RESPONSE", message: expect.stringMatching(/has result_code "\+1"/), status: 200 },
        ],
        [
            'result_code "1e3"',
            "code",
            { code: "1e3" },
            { code: "BAD_RESPONSE", message: expect.stringMatching(/has result_code "1e3"/), status: 200 },
        ],
        [
            "result_code 1e300",
            "code",
            { code: 1e300 },
            { code: "BAD_RESPONSE", message: expect.stringMatching(/has result_code 1e\+300/), status: 200 },
        ],
        [
            "result_code 1.5",
            "code",
            { code: 1.5 },
            { code: "BAD_RESPONSE", message: expect.stringMatching(/has result_code 1\.5/), status: 200 },
        ],
        [
            "a redirect",
            "redirect",
            {},
            { code: "HTTP_ERROR", message: "Aligo answered HTTP 302", status: 302, contentType: "" },
        ],
        [
            "throttled (429)",
            "throttle",
            {},
            { code: "HTTP_ERROR", message: "Aligo answered HTTP 429", status: 429, contentType: "text/plain" },
        ],
    ])(
        "%s: %j, maybeSent (the request reached the server), sent once, answered at once",
        async (_label, fault, options, error) => {
            const { result, took } = await run(send, REMAINING, fault, options);
            expect(result).toEqual({
                ok: false,
                error: { ...error, ...(fault === "html" ? { bodyBytes: expect.any(Number) } : {}), maybeSent: true },
            });
            expect(upstream.count("/send/")).toBe(1);
            answeredQuickly(took);
        },
    );

    it.each<[unknown, Record<string, unknown>]>([
        ["1", { ok: true, msg_id: "583009869", success_cnt: 1, error_cnt: 0 }],
        [1, { ok: true, msg_id: "583009869", success_cnt: 1, error_cnt: 0 }],
        ["-101", { ok: false, error: { code: -101, message: "인증오류입니다.", source: "aligo", maybeSent: true } }],
    ])("result_code %j is Aligo's: %j, sent once, answered at once", async (code, answer) => {
        const { result, took } = await run(send, REMAINING, "code", {
            code,
            message: code === "-101" ? "인증오류입니다." : "success",
        });
        expect(result).toEqual(answer);
        expect(upstream.count("/send/")).toBe(1);
        answeredQuickly(took);
    });

    it("a success whose answer carries ok: false and an error stays a success, without them (the SMS went out)", async () => {
        const { result, took } = await run(send, REMAINING, "code", {
            code: "1",
            extra: { ok: false, error: { code: "X", message: "not ours" } },
        });
        expect(result).toEqual({ ok: true, msg_id: "583009869", success_cnt: 1, error_cnt: 0 });
        expect(upstream.count("/send/")).toBe(1);
        answeredQuickly(took);
    });

    it.each<[string, Fault]>([
        ["a declared length over the cap is refused without reading the body", "huge-declared"],
        ["a chunked body is read only up to the cap", "huge-chunked"],
    ])("%s: BAD_RESPONSE, maybeSent, quickly", async (_label, fault) => {
        const before = process.memoryUsage().rss;
        const { result, took } = await run(send, REMAINING, fault, { hugeBytes: 10 * 1024 * 1024 });
        expect(result).toEqual({
            ok: false,
            error: {
                code: "BAD_RESPONSE",
                status: 200,
                maybeSent: true,
                message: expect.stringMatching(
                    new RegExp(`^Aligo's answer was too large: .* at most ${MAX_BODY_BYTES} are read$`),
                ),
            },
        });
        answeredQuickly(took);
        // Nowhere near the 10 MB it was offered (plus what Node keeps anyway).
        expect(process.memoryUsage().rss - before).toBeLessThan(8 * 1024 * 1024);
        expect(upstream.count("/send/")).toBe(1);
    });
});

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    return port;
}
