// The warmer end to end: the real warmer handler → the AWS SDK → a fake Lambda endpoint on
// 127.0.0.1 (signatures checked) → the bundled SMS handler in worker "containers" → (never) Aligo.
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { bundleFunction } from "../../program/functions/bundle";
import { FAKE_KEY, FAKE_USER, FakeAligo } from "../../fakes/aligo";
import { FakeLambda, TEST_CREDENTIALS, TEST_REGION } from "../../fakes/lambda";
import { costRatio } from "../../fakes/timing";

const aligo = new FakeAligo();
const lambda = new FakeLambda();
let handler: typeof import("./index").handler;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
    await aligo.start();
    await lambda.start();
    const smsEnv = {
        ALIGO_API_KEY: FAKE_KEY,
        ALIGO_USER_ID: FAKE_USER,
        ALIGO_SENDER: "0212345678",
        ALIGO_BASE_URL: aligo.baseUrl,
    };
    lambda.deploy("aligo-sms-dev-sms", { code: bundleFunction("sms").code, env: smsEnv });
    lambda.deploy("aligo-sms-dev-sms-with-balance", {
        code: bundleFunction("sms").code,
        env: { ...smsEnv, METRICS_NAMESPACE: "aligo-sms/dev" },
    });
    lambda.deploy("broken", { code: 'export const handler = async () => { throw new TypeError("boom") };', env: {} });
    // Targets whose error or answer quotes a phone number (a tab between its groups, full-width digits).
    lambda.deploy("leaky", {
        code: 'export const handler = async () => { throw new Error("no route for 010\\t9876\\t5432 " + "y".repeat(400)) };',
        env: {},
    });
    lambda.deploy("chatty", {
        code: 'export const handler = async () => ({ ok: false, note: "call \\uff10\\uff11\\uff10-9876-5432", pad: "z".repeat(400) });',
        env: {},
    });
    const idle = 'export const handler = async () => ({ ok: true, warmer: true, cold: false, containerId: "x" });';
    lambda.deploy("hangs", { code: idle, env: {}, fault: "hang" });
    lambda.deploy("throttled", { code: idle, env: {}, fault: "throttle" });
    lambda.deploy("resets", { code: idle, env: {}, fault: "reset" });
    Object.assign(process.env, {
        AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
        AWS_REGION: TEST_REGION,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    ({ handler } = await import("./index"));
});

afterAll(async () => {
    await lambda.stop();
    await aligo.stop();
});

beforeEach(() => {
    process.env.TARGET_FUNCTION_NAME = "aligo-sms-dev-sms";
    process.env.WARM_CONCURRENCY = "3";
    aligo.reset();
    lambda.invocations.length = 0;
    logs.length = 0;
    vi.restoreAllMocks();
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
        for (const line of chunk.toString().split("\n").filter(Boolean)) logs.push(JSON.parse(line));
        return true;
    });
});

describe("warmer", () => {
    it("pings WARM_CONCURRENCY containers in parallel with signed requests; first run all cold, nothing reaches Aligo", async () => {
        const r = await handler({}, { awsRequestId: "sched-1" });
        expect(r).toEqual({
            ok: true,
            target: "aligo-sms-dev-sms",
            invoked: 3,
            answered: 3,
            cold: 3,
            containers: 3,
            failures: [],
            correlationId: "sched-1",
        });
        expect(lambda.invocations).toHaveLength(3);
        for (const inv of lambda.invocations) {
            expect(inv.signatureValid).toBe(true);
            expect(inv.payload).toEqual({ warmer: true, concurrency: 3, correlationId: "sched-1" });
        }
        expect(new Set(lambda.invocations.map((i) => i.containerId)).size).toBe(3);
        expect(aligo.requests).toEqual([]);
        expect(logs.at(-1)).toMatchObject({ level: "info", msg: "warm-up", answered: 3, cold: 3 });
    });

    it("a second run finds the same containers warm", async () => {
        const r = await handler({}, { awsRequestId: "sched-2" });
        expect(r).toMatchObject({ ok: true, answered: 3, cold: 0, containers: 3 });
        expect(lambda.invocations.every((i) => !i.cold)).toBe(true);
    });

    it("reports an invoke error in the result and the log instead of swallowing it", async () => {
        process.env.TARGET_FUNCTION_NAME = "no-such-function";
        process.env.WARM_CONCURRENCY = "2";
        const r = await handler({}, {});
        expect(r).toMatchObject({
            ok: false,
            error: { code: "WARM_FAILED" },
            answered: 0,
            failures: [
                { index: 0, code: "ResourceNotFoundException" },
                { index: 1, code: "ResourceNotFoundException" },
            ],
        });
        expect(logs.at(-1)).toMatchObject({ level: "error", msg: "warm-up", answered: 0 });
    });

    it.each([
        ["leaky", "FUNCTION_ERROR", /^Unhandled: .*no route for 010\*\*\*\*5432 y+$/],
        ["chatty", "BAD_ANSWER", /^not a warm-up answer: .*"call 010\*\*\*\*5432"/],
    ])(
        "what the target said (%s) is reported masked and at most 300 characters long",
        async (target, code, message) => {
            process.env.TARGET_FUNCTION_NAME = target;
            process.env.WARM_CONCURRENCY = "1";
            const r = await handler({}, {});
            expect(r).toMatchObject({
                ok: false,
                failures: [{ index: 0, code, message: expect.stringMatching(message) }],
            });
            const failure = (r as unknown as { failures: { message: string }[] }).failures[0];
            // 300 characters of what the target said, after a short prefix of our own.
            expect(failure.message.length).toBeLessThanOrEqual(300 + "not a warm-up answer: ".length);
            const shown = JSON.stringify(r) + JSON.stringify(logs);
            expect(shown.normalize("NFKC")).not.toMatch(/9876/);
        },
    );

    it("text from elsewhere that is not JSON is masked too, in time that does not grow with it", async () => {
        const { upstreamText } = await import("./index");
        expect(upstreamText("timeout calling 010\t9876\t5432 then gave up")).toBe(
            "timeout calling 010****5432 then gave up",
        );
        const text = `call ０１０－９８７６－５４３２ ${"가".repeat(2_000_000)}`;
        const long = upstreamText(text);
        expect(long).toMatch(/^call 010\*\*\*\*5432 가+$/);
        expect(long).toHaveLength(300);
        // As quick for 2,000,000 characters as for 2,000, measured side by side (fakes/timing.ts; a
        // limit in milliseconds fails on a busy machine): masking all of it would be 1,000 times slower.
        const small = text.slice(0, 2_019);
        const ratio = costRatio(
            () => upstreamText(text),
            () => upstreamText(small),
            { reps: 20 },
        );
        expect(ratio).toBeLessThan(25);
    });

    it("reports a function that crashed as FUNCTION_ERROR", async () => {
        process.env.TARGET_FUNCTION_NAME = "broken";
        process.env.WARM_CONCURRENCY = "1";
        const r = await handler({}, {});
        expect(r).toMatchObject({
            ok: false,
            failures: [{ index: 0, code: "FUNCTION_ERROR", message: expect.stringContaining("boom") }],
        });
    });

    describe("a Lambda API that misbehaves: the run still ends in time with its summary", () => {
        it.each([
            [
                "never answers",
                "hangs",
                "TIMEOUT",
                /no answer within the warmer's 2000 ms/,
                /AbortError|TimeoutError|aborted/i,
            ],
            [
                "throttles",
                "throttled",
                "TooManyRequestsException",
                /Rate Exceeded/,
                /^LambdaClient InvokeCommand TooManyRequestsException: Rate Exceeded\. HTTP 429$/,
            ],
            // The SDK names a reset "TimeoutError" (it retries both alike); the socket's own code says what happened.
            [
                "resets the connection",
                "resets",
                "ECONNRESET",
                /ECONNRESET/,
                /^LambdaClient InvokeCommand .*ECONNRESET|socket hang up/,
            ],
        ])("%s", async (_label, target, code, message, sdkLine) => {
            process.env.TARGET_FUNCTION_NAME = target;
            process.env.WARM_CONCURRENCY = "2";
            // Every invoke request the endpoint receives for the target (FakeLambda records only
            // the ones it runs or holds, not those it throttles or resets), counted on its server.
            const server = (lambda as unknown as { server: import("node:http").Server }).server;
            let invokes = 0;
            const count = (req: import("node:http").IncomingMessage) => {
                if (req.url?.includes(`/functions/${target}/invocations`)) invokes++;
            };
            server.on("request", count);
            const started = Date.now();
            const r = await handler({}, { awsRequestId: "sched-f", getRemainingTimeInMillis: () => 3_000 });
            const took = Date.now() - started;
            expect(r).toMatchObject({
                ok: false,
                error: { code: "WARM_FAILED" },
                invoked: 2,
                answered: 0,
                failures: [
                    { index: 0, code },
                    { index: 1, code },
                ],
            });
            if (!r.ok) for (const f of r.failures as { message: string }[]) expect(f.message).toMatch(message);
            expect(took).toBeLessThan(2_000 + 300);
            expect(logs.at(-1)).toMatchObject({ level: "error", msg: "warm-up", answered: 0 });
            // Not retried: each of the two pings reached the endpoint exactly once.
            server.off("request", count);
            expect(invokes).toBe(2);
            // What the SDK client itself logs about each failure (its logger middleware, through the
            // client as the warmer builds it) is one JSON line each, not console text.
            const sdkLines = logs.filter((l) => l.msg === "aws-sdk");
            expect(sdkLines).toHaveLength(2);
            for (const l of sdkLines)
                expect(l).toMatchObject({ level: "error", detail: expect.stringMatching(sdkLine) });
        });

        it("every log line is JSON, Node's and the SDK's warnings included", () => {
            const lines: string[] = [];
            vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
                lines.push(chunk.toString());
                return true;
            });
            process.emitWarning("something the runtime wants to say", "DeprecationWarning");
            expect(lines).toEqual([]);
            expect(logs.at(-1)).toEqual({
                level: "warn",
                msg: "process warning",
                name: "DeprecationWarning",
                detail: "something the runtime wants to say",
            });
        });
    });

    it.each([["0"], ["11"], ["two"]])("refuses WARM_CONCURRENCY=%s without invoking anything", async (v) => {
        process.env.WARM_CONCURRENCY = v;
        const r = await handler({}, {});
        expect(r).toMatchObject({
            ok: false,
            error: { code: "CONFIG_ERROR", message: expect.stringContaining("WARM_CONCURRENCY") },
        });
        expect(lambda.invocations).toEqual([]);
    });
});

describe("a caller outside Lambda", () => {
    it("a remaining time with a fraction of a millisecond (Lambda gives whole ones) is taken, not a RangeError", async () => {
        process.env.TARGET_FUNCTION_NAME = "aligo-sms-dev-sms";
        process.env.WARM_CONCURRENCY = "1";
        lambda.invocations.length = 0;
        const r = await handler({}, { awsRequestId: "sched-frac", getRemainingTimeInMillis: () => 3_000.5 });
        expect(r).toMatchObject({ ok: true, answered: 1 });
    });
});

describe("the balance for the alarm (BALANCE_CHECK)", () => {
    it("the first ping of a run asks for it, the others do not; the run's summary carries it; nothing is sent", async () => {
        process.env.TARGET_FUNCTION_NAME = "aligo-sms-dev-sms-with-balance";
        process.env.WARM_CONCURRENCY = "3";
        process.env.BALANCE_CHECK = "true";
        try {
            lambda.invocations.length = 0;
            aligo.reset();
            const r = await handler({}, { awsRequestId: "sched-b", getRemainingTimeInMillis: () => 10_000 });
            expect(r).toMatchObject({ ok: true, answered: 3, balance: 5936 });
            const asked = lambda.invocations.filter((i) => (i.payload as { balance?: boolean }).balance === true);
            expect(asked).toHaveLength(1);
            expect(aligo.requests.map((q) => q.path)).toEqual(["/remain/"]);
            expect(logs.at(-1)).toMatchObject({ level: "info", msg: "warm-up", balance: 5936 });
        } finally {
            delete process.env.BALANCE_CHECK;
        }
    });

    it("the warmer's failure summary is what the WarmerFailures filter counts; a good run is not", async () => {
        const { filterMatches } = await import("../../testing/log-filter");
        const { LOG_METRICS } = await import("../../program/log-metrics");
        process.env.WARM_CONCURRENCY = "1";
        process.env.TARGET_FUNCTION_NAME = "aligo-sms-dev-sms";
        await handler({}, { awsRequestId: "good" });
        const good = JSON.stringify(logs.at(-1));
        process.env.TARGET_FUNCTION_NAME = "broken";
        await handler({}, { awsRequestId: "bad" });
        const bad = JSON.stringify(logs.at(-1));
        expect(filterMatches(LOG_METRICS.warmerFailures.pattern, bad)).toBe(true);
        expect(filterMatches(LOG_METRICS.warmerFailures.pattern, good)).toBe(false);
    });
});

describe("the warmer as deployed (its esbuild bundle)", () => {
    it("warms the SMS function through the same endpoint", async () => {
        const file = join(mkdtempSync(join(tmpdir(), "warmer-bundle-")), "index.mjs");
        writeFileSync(file, bundleFunction("warmer").code);
        const bundled = (await import(pathToFileURL(file).href)) as typeof import("./index");
        const r = await bundled.handler({}, { awsRequestId: "bundle-run", getRemainingTimeInMillis: () => 10_000 });
        expect(r).toMatchObject({ ok: true, invoked: 3, answered: 3 });
        expect(
            lambda.invocations.filter((i) => i.functionName === "aligo-sms-dev-sms").every((i) => i.signatureValid),
        ).toBe(true);
        expect(aligo.requests).toEqual([]);
    });
});

describe("the bundled SMS function behind the same endpoint", () => {
    it("sends through Aligo when invoked with a send event", async () => {
        const client = new LambdaClient({});
        const out = await client.send(
            new InvokeCommand({
                FunctionName: "aligo-sms-dev-sms",
                Payload: Buffer.from(
                    JSON.stringify({ action: "send", receiver: "010-1234-5678", msg: "번들 테스트 & 100%" }),
                ),
            }),
        );
        expect(out.FunctionError).toBeUndefined();
        expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual({
            ok: true,
            msg_id: "583009869",
            success_cnt: 1,
            error_cnt: 0,
            msg_type: "SMS",
        });
        expect(aligo.requests.map((r) => r.params.msg)).toEqual(["번들 테스트 & 100%"]);
    });
});

describe("what the SDK hands its logger becomes one readable line", () => {
    it.each<[unknown, string]>([
        ["plain text", "plain text"],
        [Object.assign(new Error("socket hang up"), { name: "TimeoutError" }), "TimeoutError: socket hang up"],
        [
            {
                clientName: "LambdaClient",
                commandName: "InvokeCommand",
                input: { Payload: "do-not-log" },
                error: new Error("boom"),
                metadata: { httpStatusCode: 503 },
            },
            "LambdaClient InvokeCommand Error: boom HTTP 503",
        ],
        [{ something: "else" }, "[object Object]"],
    ])("%j → %s", async (arg, line) => {
        const { sdkDetail } = await import("./index");
        expect(sdkDetail(arg)).toBe(line);
    });
});
