// Fault injection: the SMS handler against an upstream that misbehaves on raw sockets on
// 127.0.0.1. Every case checks the answer, the time taken against the Lambda's remaining time, and
// how many /send/ requests the upstream received (one, or none when nothing connected): a send is
// never made twice, never outlives the invocation, and never reports a failure as a success.
import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FAKE_KEY, FAKE_USER } from "../../testing/fakes/aligo";
import { BlackHole, RawUpstream, type Fault, type FaultOptions } from "../../testing/fakes/raw-upstream";
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
    Object.assign(process.env, { ALIGO_API_KEY: FAKE_KEY, ALIGO_USER_ID: FAKE_USER, ALIGO_SENDER: "0212345678", ALIGO_BASE_URL: upstream.baseUrl, EGRESS_IPS: "" });
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
    return { result: result as { ok: boolean; error?: Record<string, unknown> } & Record<string, unknown>, took: Date.now() - started };
}

describe("every wait ends by the deadline (remaining time minus the safety margin)", () => {
    it.each<[string, Fault, FaultOptions]>([
        ["headers never come", "stall-headers", {}],
        ["headers come late, then the body stalls", "late-headers-stall-body", { lateMs: 1_200 }],
        ["the body trickles in a byte at a time", "trickle-body", { trickleMs: 40 }],
    ])("%s: TIMEOUT, maybeSent, sent once, answered in time", async (_label, fault, options) => {
        const remaining = 3_000;
        const { result, took } = await run(send, remaining, fault, options);
        expect(result).toMatchObject({ ok: false, error: { code: "TIMEOUT", maybeSent: true, attempts: 1 } });
        expect(upstream.count("/send/")).toBe(1);
        expect(took).toBeGreaterThanOrEqual(remaining - SAFETY_MS - 100);
        expect(took).toBeLessThan(remaining - SAFETY_MS + SLACK_MS);
    });

    it("an address that never completes the handshake (dropped SYNs): connects shrink to the time left; TIMEOUT, nothing sent", async () => {
        const hole = new BlackHole();
        process.env.ALIGO_BASE_URL = await hole.start();
        try {
            const remaining = 5_500; // 4.5 s: a 3 s connect, then one that gets what is left
            const started = Date.now();
            const result = (await handler(send, ctx(remaining))) as { ok: boolean; error?: Record<string, unknown> };
            const took = Date.now() - started;
            expect(result).toMatchObject({ ok: false, error: { code: "TIMEOUT", maybeSent: false } });
            expect(String(result.error?.message)).toMatch(/connecting to 127\.0\.0\.1/);
            expect(took).toBeLessThan(remaining - SAFETY_MS + SLACK_MS);
            expect(took).toBeGreaterThanOrEqual(remaining - SAFETY_MS - 300);
        } finally {
            hole.stop();
        }
    });

    it("no time left at all: nothing is attempted", async () => {
        const { result, took } = await run(send, SAFETY_MS + 150, "ok");
        expect(result).toMatchObject({ ok: false, error: { code: "TIMEOUT", maybeSent: false, attempts: 0 } });
        expect(upstream.connections).toBe(0);
        expect(took).toBeLessThan(100);
    });

    it("refused connects until the time runs out: maybeSent stays false", async () => {
        process.env.ALIGO_BASE_URL = `http://127.0.0.1:${await closedPort()}`;
        const { result, took } = await run(send, SAFETY_MS + 450, "ok");
        expect(result.ok).toBe(false);
        expect(["TIMEOUT", "CONNECTION_ERROR"]).toContain(result.error?.code);
        expect(result.error?.maybeSent).toBe(false);
        expect(took).toBeLessThan(450 + SLACK_MS);
    });
});

describe("broken connections", () => {
    it("reset after the request was read: CONNECTION_ERROR, maybeSent, never sent again", async () => {
        const { result } = await run(send, 5_000, "reset-after-read");
        expect(result).toMatchObject({ ok: false, error: { code: "CONNECTION_ERROR", maybeSent: true, attempts: 1 } });
        expect(upstream.count("/send/")).toBe(1);
    });

    it("reset on accept, before anything was read: nothing arrives; retried only while nothing could have been written", async () => {
        const { result } = await run(send, 5_000, "reset-before-read");
        expect(result).toMatchObject({ ok: false, error: { code: "CONNECTION_ERROR" } });
        expect(upstream.count("/send/")).toBe(0);
        // On loopback the reset usually lands before the connect completes: then nothing was
        // written, and the send may be tried again (up to three times). Had the request been
        // written first, it would have said maybeSent and stopped at one attempt.
        const { maybeSent, attempts } = result.error as { maybeSent: boolean; attempts: number };
        expect(maybeSent ? attempts === 1 : attempts === 3).toBe(true);
        expect(upstream.connections).toBe(attempts);
    });

    it("a read is retried after a reset, at most three times, within the deadline", async () => {
        const { result, took } = await run({ action: "remain" }, 5_000, "reset-after-read");
        expect(result).toMatchObject({ ok: false, error: { code: "CONNECTION_ERROR", attempts: 3 } });
        expect(result.error).not.toHaveProperty("maybeSent");
        expect(upstream.count("/remain/")).toBe(3);
        expect(took).toBeLessThan(4_000);
    });
});

describe("answers that are not a success", () => {
    it.each<[string, Fault, FaultOptions, Record<string, unknown>]>([
        ["an HTML page with 200", "html", {}, { code: "BAD_RESPONSE", message: expect.stringMatching(/^Aligo's answer was not JSON: "<html><body>/) }],
        ["no result_code", "code", { code: "absent" }, { code: "BAD_RESPONSE", message: expect.stringMatching(/has no result_code/) }],
        ["result_code null", "code", { code: null }, { code: "BAD_RESPONSE", message: expect.stringMatching(/has result_code null; success is a code of 1 or more/) }],
        ["result_code \"\"", "code", { code: "" }, { code: "BAD_RESPONSE", message: expect.stringMatching(/has result_code ""/) }],
        ["result_code 0", "code", { code: 0 }, { code: "BAD_RESPONSE", message: expect.stringMatching(/has result_code 0/) }],
        ["result_code \"ok\"", "code", { code: "ok" }, { code: "BAD_RESPONSE", message: expect.stringMatching(/has result_code "ok"/) }],
        ["a redirect", "redirect", {}, { code: "HTTP_ERROR", status: 302 }],
        ["throttled (429)", "throttle", {}, { code: "HTTP_ERROR", status: 429 }],
    ])("%s: %j, maybeSent (the request reached the server), sent once", async (_label, fault, options, error) => {
        const { result } = await run(send, 5_000, fault, options);
        expect(result).toMatchObject({ ok: false, error: { ...error, maybeSent: true } });
        expect(upstream.count("/send/")).toBe(1);
    });

    it.each([["1", true], [1, true], ["-101", false]] as const)("result_code %j counts as Aligo's (success: %s)", async (code, ok) => {
        const { result } = await run(send, 5_000, "code", { code });
        expect(result.ok).toBe(ok);
        if (!ok) expect(result.error).toMatchObject({ code: -101, source: "aligo", maybeSent: false });
    });

    it.each<[string, Fault]>([
        ["a declared length over the cap is refused without reading the body", "huge-declared"],
        ["a chunked body is read only up to the cap", "huge-chunked"],
    ])("%s: BAD_RESPONSE, maybeSent, quickly", async (_label, fault) => {
        const before = process.memoryUsage().rss;
        const { result, took } = await run(send, 5_000, fault, { hugeBytes: 10 * 1024 * 1024 });
        expect(result).toMatchObject({ ok: false, error: { code: "BAD_RESPONSE", maybeSent: true, message: expect.stringMatching(new RegExp(`at most ${MAX_BODY_BYTES}`)) } });
        expect(took).toBeLessThan(1_500);
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
