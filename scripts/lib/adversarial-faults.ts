// The upstream faults, the duplicate-send run and the warmer faults of `npm run adversarial`, with
// what each must come to. Every expectation is docs/sms-function.md's (the codes under "Failures",
// the rule under "maybeSent", the retries under "Retries"); where a case could be read two ways, the
// comment beside it says which reading the docs give.
import type { Mode } from "../../fakes/aligo";
import type { Fault, FaultOptions } from "../../fakes/raw-upstream";

/** Where a case's SMS function points: the fake Aligo, the raw upstream, a closed port, a black hole, or the fake Aligo with its key still to be read from a failing SSM. */
export type Upstream = "aligo" | "raw" | "closed" | "blackhole" | "ssm";

export type Action = "send" | "sendMass" | "remain" | "list" | "detail" | "cancel";

export interface Expectation {
    /** The answer is a success. */
    ok?: true;
    /** Else its error code. */
    code?: string | number;
    /**
     * For a send: what maybeSent must be; "either" where the docs allow both (a connection that
     * opened but was reset before anything was read: "true whenever the request may have reached").
     */
    maybeSent?: boolean | "either";
    /** How many requests the upstream must receive on the action's path. */
    requests?: number;
}

export interface FaultCase {
    name: string;
    upstream: Upstream;
    action: Action;
    aligoMode?: Mode;
    raw?: { fault: Fault; options?: FaultOptions };
    ssmMode?: "deny" | "hang";
    remainingMs: number;
    expect: Expectation;
}

export const PATHS: Record<Action, string> = {
    send: "/send/",
    sendMass: "/send_mass/",
    remain: "/remain/",
    list: "/list/",
    detail: "/sms_list/",
    cancel: "/cancel/",
};

/** The event of each action: two receivers for the sends, so that a partial send can be partial. */
export function eventFor(action: Action, tag = "adversarial fault"): Record<string, unknown> {
    switch (action) {
        case "send":
            return { action, receiver: ["010-2345-6789", "010-3456-7890"], msg: tag };
        case "sendMass":
            return {
                action,
                messages: [
                    { receiver: "010-2345-6789", msg: `${tag} 1` },
                    { receiver: "010-3456-7890", msg: `${tag} 2` },
                ],
            };
        case "remain":
        case "list":
            return { action };
        case "detail":
        case "cancel":
            return { action, mid: "583009869" };
    }
}

const SENDS: Action[] = ["send", "sendMass"];
const isSend = (a: Action) => SENDS.includes(a);

const ok = (requests = 1): Expectation => ({ ok: true, requests });
/** A failure; for a send maybeSent must be true whenever a request reached the upstream. */
const failed = (code: string | number, requests = 1, maybeSent: boolean | "either" = requests > 0): Expectation => ({
    code,
    requests,
    maybeSent,
});

/** What each fake Aligo mode comes to for a send (the same for sendMass). */
const ALIGO_SEND: [Mode, Expectation][] = [
    ["ok", ok()],
    ["ip-refused", failed(-101)],
    ["ip-refused-string-code", failed(-101)],
    ["ip-refused-long", failed(-101)],
    ["html-500", failed("HTTP_ERROR")],
    ["not-json", failed("BAD_RESPONSE")],
    ["drop", failed("CONNECTION_ERROR")],
    // A send is never tried again once written: the one drop is the answer.
    ["drop-once", failed("CONNECTION_ERROR")],
    ["hang", failed("TIMEOUT")],
    ["refusal-quoting-receiver", failed(-109)],
    ["not-json-quoting-receiver", failed("BAD_RESPONSE")],
    ["refusal-quoting-receiver-fullwidth", failed(-109)],
    ["reserved-keys", ok()],
    ["http-503", failed("HTTP_ERROR")],
    // Sends are never retried after a byte was written, 5xx or not.
    ["http-503-once", failed("HTTP_ERROR")],
    ["http-503-slow", failed("HTTP_ERROR")],
    // Aligo took it and reached nobody: NOT_SENT, and maybeSent true (it reached Aligo).
    ["none-sent", failed("NOT_SENT")],
    ["partly-sent", ok()],
    ["reflect-refusal", failed(-900)],
    ["reflect-page", failed("BAD_RESPONSE")],
    ["reflect-success", ok()],
    ["reflect-success-escaped", ok()],
    ["reflect-code", failed("BAD_RESPONSE")],
    ["reflect-not-object", failed("BAD_RESPONSE")],
    ["reflect-header", failed("HTTP_ERROR")],
    ["reflect-encoded", failed(-900)],
];

/** Reads are tried once more after a 5xx and, being safe to repeat, after a broken connection (3 attempts). */
const ALIGO_READ: [Mode, Expectation][] = [
    ["http-503-once", ok(2)],
    ["http-503", failed("HTTP_ERROR", 2)],
    ["drop-once", ok(2)],
    ["hang", failed("TIMEOUT")],
    ["not-json", failed("BAD_RESPONSE")],
    ["reflect-success", ok()],
];

/** cancel is not safe to repeat: nothing is tried again once written. */
const ALIGO_CANCEL: [Mode, Expectation][] = [
    ["http-503-once", failed("HTTP_ERROR")],
    ["drop-once", failed("CONNECTION_ERROR")],
    ["hang", failed("TIMEOUT")],
    ["reflect-refusal", failed(-900)],
];

const MASS_MODES: Mode[] = [
    "ok",
    "hang",
    "drop",
    "html-500",
    "none-sent",
    "partly-sent",
    "reflect-refusal",
    "http-503-once",
];

/** A hang ends at the deadline (remaining less 1 s): 2 s remaining keeps the run short. */
const remainingFor = (mode: Mode | Fault) =>
    mode === "hang" || mode === "stall-headers" || mode === "trickle-body" || mode === "late-headers-stall-body"
        ? 2_000
        : mode === "http-503-slow"
          ? 4_000
          : 3_000;

function aligoCases(): FaultCase[] {
    const c = (action: Action, [mode, expect]: [Mode, Expectation]): FaultCase => ({
        name: `${action}, Aligo ${mode}`,
        upstream: "aligo",
        action,
        aligoMode: mode,
        remainingMs: remainingFor(mode),
        expect: isSend(action) ? expect : { ...expect, maybeSent: undefined },
    });
    return [
        ...ALIGO_SEND.map((m) => c("send", m)),
        ...ALIGO_SEND.filter(([mode]) => MASS_MODES.includes(mode)).map((m) => c("sendMass", m)),
        ...(["remain", "list", "detail"] as Action[]).flatMap((a) => ALIGO_READ.map((m) => c(a, m))),
        ...ALIGO_CANCEL.map((m) => c("cancel", m)),
        c("remain", ["ip-refused", failed(-101)]),
        c("remain", ["html-500", failed("HTTP_ERROR", 2)]),
    ];
}

const code = (value: unknown): { fault: Fault; options: FaultOptions } => ({ fault: "code", options: { code: value } });
const body = (text: string, contentType?: string): { fault: Fault; options: FaultOptions } => ({
    fault: "body",
    options: { body: text, contentType },
});
const VALID = JSON.stringify({ result_code: "1", message: "success", msg_id: "1", success_cnt: 2, error_cnt: 0 });

/** The raw upstream's faults for a send: [label, fault, expectation]. */
const RAW_SEND: [string, { fault: Fault; options?: FaultOptions }, Expectation][] = [
    ["headers never come", { fault: "stall-headers" }, failed("TIMEOUT")],
    ["late headers, stalled body", { fault: "late-headers-stall-body", options: { lateMs: 300 } }, failed("TIMEOUT")],
    ["a body a byte at a time", { fault: "trickle-body", options: { trickleMs: 50 } }, failed("TIMEOUT")],
    // Connected, then reset before the request was read: "false only when no attempt ever connected".
    ["reset before the request is read", { fault: "reset-before-read" }, failed("CONNECTION_ERROR", 0, "either")],
    ["reset after the request is read", { fault: "reset-after-read" }, failed("CONNECTION_ERROR")],
    ["an HTML 200", { fault: "html" }, failed("BAD_RESPONSE")],
    ...[null, "", 0, "ok", " 1", "01", 1e300, 1.5, true, "absent"].map(
        (v): [string, { fault: Fault; options?: FaultOptions }, Expectation] => [
            `result_code ${JSON.stringify(v)}`,
            code(v),
            failed("BAD_RESPONSE"),
        ],
    ),
    ["result_code -1", code(-1), failed(-1)],
    ['result_code "-101" (the key refused)', code("-101"), failed(-101)],
    ["a JSON list", body("[1]"), failed("BAD_RESPONSE")],
    ["a JSON string", body('"text"'), failed("BAD_RESPONSE")],
    ["JSON null", body("null"), failed("BAD_RESPONSE")],
    ["an empty body", body(""), failed("BAD_RESPONSE")],
    ["an empty object", body("{}"), failed("BAD_RESPONSE")],
    ["cut-off JSON", body('{"result_code":"1",'), failed("BAD_RESPONSE")],
    ["two JSON objects", body(`${VALID}{"x":1}`), failed("BAD_RESPONSE")],
    ["garbage bytes", body("\u0000\u00ff\ufffd{{{"), failed("BAD_RESPONSE")],
    // The docs judge an answer by its body, not its label: a good answer marked text/html is a success.
    ["a good answer labelled text/html", body(VALID, "text/html"), ok()],
    ["a good answer labelled application/octet-stream", body(VALID, "application/octet-stream"), ok()],
    [
        "10 MB with a declared length",
        { fault: "huge-declared", options: { hugeBytes: 10 * 1024 * 1024 } },
        failed("BAD_RESPONSE"),
    ],
    ["2 MB chunked", { fault: "huge-chunked", options: { hugeBytes: 2 * 1024 * 1024 } }, failed("BAD_RESPONSE")],
    ["a 302", { fault: "redirect" }, failed("HTTP_ERROR")],
    ["a 429", { fault: "throttle" }, failed("HTTP_ERROR")],
];

const RAW_READ: [Action, string, { fault: Fault; options?: FaultOptions }, Expectation][] = [
    ["remain", "reset after the request is read", { fault: "reset-after-read" }, failed("CONNECTION_ERROR", 3)],
    ["remain", "reset before the request is read", { fault: "reset-before-read" }, failed("CONNECTION_ERROR", 0)],
    ["remain", "headers never come", { fault: "stall-headers" }, failed("TIMEOUT")],
    [
        "list",
        "2 MB chunked",
        { fault: "huge-chunked", options: { hugeBytes: 2 * 1024 * 1024 } },
        failed("BAD_RESPONSE"),
    ],
    ["detail", "a body a byte at a time", { fault: "trickle-body", options: { trickleMs: 50 } }, failed("TIMEOUT")],
    ["cancel", "reset after the request is read", { fault: "reset-after-read" }, failed("CONNECTION_ERROR")],
];

function rawCases(): FaultCase[] {
    const c = (action: Action, label: string, raw: FaultCase["raw"], expect: Expectation): FaultCase => ({
        name: `${action}, upstream: ${label}`,
        upstream: "raw",
        action,
        raw,
        remainingMs: remainingFor(raw!.fault),
        expect: isSend(action) ? expect : { ...expect, maybeSent: undefined },
    });
    return [
        ...RAW_SEND.map(([label, raw, expect]) => c("send", label, raw, expect)),
        c("sendMass", "reset after the request is read", { fault: "reset-after-read" }, failed("CONNECTION_ERROR")),
        c("sendMass", "headers never come", { fault: "stall-headers" }, failed("TIMEOUT")),
        ...RAW_READ.map(([action, label, raw, expect]) => c(action, label, raw, expect)),
    ];
}

/** Nothing can have been sent in these: no connection opened, no time to try, or no key to send with. */
function unreachableCases(): FaultCase[] {
    const none = (code: string) => failed(code, 0, false);
    const c = (upstream: Upstream, action: Action, name: string, remainingMs: number, expect: Expectation) => ({
        name: `${action}, ${name}`,
        upstream,
        action,
        remainingMs,
        expect: isSend(action) ? expect : { ...expect, maybeSent: undefined },
    });
    return [
        c("closed", "send", "a closed port", 3_000, none("CONNECTION_ERROR")),
        c("closed", "remain", "a closed port", 3_000, none("CONNECTION_ERROR")),
        c("blackhole", "send", "a connect that never completes", 2_000, none("TIMEOUT")),
        c("blackhole", "remain", "a connect that never completes", 2_000, none("TIMEOUT")),
        c("aligo", "send", "1.1 s left (no time for a request)", 1_100, none("TIMEOUT")),
        c("aligo", "sendMass", "0.5 s left", 500, none("TIMEOUT")),
        // The key is read at the first call that needs it; SSM refusing or silent is CONFIG_ERROR.
        { ...c("ssm", "send", "SSM refuses the key", 3_000, none("CONFIG_ERROR")), ssmMode: "deny" as const },
        { ...c("ssm", "send", "SSM never answers", 2_000, none("CONFIG_ERROR")), ssmMode: "hang" as const },
        { ...c("ssm", "remain", "SSM never answers", 2_000, none("CONFIG_ERROR")), ssmMode: "hang" as const },
        c("ssm", "send", "1.1 s left, the key not read yet", 1_100, none("TIMEOUT")),
    ];
}

/** Every upstream fault. The "ssm" cases run on a container that has not read its key yet, in this order. */
export function faultCases(): FaultCase[] {
    return [...aligoCases(), ...rawCases(), ...unreachableCases()];
}

// ---- the duplicate-send run ----

export interface DuplicateCall {
    payload: string;
    remainingMs: number;
    /** The texts this call sends, each used by no other call. */
    msgs: string[];
}

export interface DuplicateBatch {
    mode: Mode;
    calls: DuplicateCall[];
}

/** The faults mixed into the duplicate run, one batch in four; each fails fast but "hang". */
const MIXED: Mode[] = [
    "drop",
    "drop-once",
    "http-503",
    "http-503-once",
    "html-500",
    "not-json",
    "none-sent",
    "partly-sent",
    "reflect-refusal",
    "ip-refused",
    "hang",
    "reflect-success",
];

/** `total` send calls (one in ten a sendMass of two), in batches of 50 (a hanging batch: 5, with 1.4 s left). */
export function duplicatePlan(total: number): DuplicateBatch[] {
    const batches: DuplicateBatch[] = [];
    let n = 0;
    for (let b = 0; n < total; b++) {
        const mode: Mode = b % 4 === 3 ? MIXED[Math.floor(b / 4) % MIXED.length] : "ok";
        const size = Math.min(mode === "hang" ? 5 : 50, total - n);
        const calls: DuplicateCall[] = [];
        for (let i = 0; i < size; i++, n++) calls.push(duplicateCall(n, mode === "hang" ? 1_400 : 3_000));
        batches.push({ mode, calls });
    }
    return batches;
}

function duplicateCall(n: number, remainingMs: number): DuplicateCall {
    if (n % 10 === 9) {
        const msgs = [`dup ${n}a`, `dup ${n}b`];
        const messages = [
            { receiver: "010-2345-6789", msg: msgs[0] },
            { receiver: "010-3456-7890", msg: msgs[1] },
        ];
        return { payload: JSON.stringify({ action: "sendMass", messages }), remainingMs, msgs };
    }
    const msgs = [`dup ${n}`];
    return { payload: JSON.stringify({ action: "send", receiver: "010-2345-6789", msg: msgs[0] }), remainingMs, msgs };
}

// ---- the warmer ----

/** The SMS function's stand-ins the warmer is pointed at (deployed on the fake Lambda). */
export interface StandIn {
    code?: string;
    fault?: "hang" | "throttle" | "reset";
    invokeError?: { status: number; type: string; message: string };
    timeoutMs?: number;
}

const answer = 'export const handler = async () => ({ ok: true, warmer: true, cold: false, containerId: "x" });';
const returns = (v: string) => `export const handler = async () => (${v});`;

export const STAND_INS: Record<string, StandIn> = {
    hangs: { code: answer, fault: "hang" },
    throttled: { code: answer, fault: "throttle" },
    resets: { code: answer, fault: "reset" },
    crashes: { code: 'export const handler = async () => { throw new TypeError("boom") };' },
    "slow-300ms": {
        code: 'export const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return { ok: true, warmer: true, cold: false, containerId: "s" }; };',
    },
    "slow-5s": {
        code: "export const handler = async () => { await new Promise((r) => setTimeout(r, 5000)); return { ok: true, warmer: true }; };",
    },
    "not-warm": { code: returns("{ ok: true }") },
    "a-string": { code: returns('"hello"') },
    "null-answer": { code: returns("null") },
    "ok-false": { code: returns("{ ok: false, warmer: true }") },
    "quotes-a-number": {
        code: 'export const handler = async () => { throw new Error("no route for 010\\t9876\\t5432") };',
    },
    "answers-a-number": { code: returns('{ ok: false, note: "call \\uff10\\uff11\\uff10-9876-5432" }') },
    "access-denied": {
        code: answer,
        invokeError: { status: 502, type: "EC2AccessDeniedException", message: "Lambda was unable to create an ENI." },
    },
    "lambda-timeout": {
        code: "export const handler = async () => { await new Promise((r) => setTimeout(r, 2000)); return { ok: true, warmer: true }; };",
        timeoutMs: 300,
    },
};

export interface WarmerCase {
    name: string;
    env: Record<string, string | null>;
    remainingMs: number;
    /** ok: every ping answered; else the run fails with `code` (WARM_FAILED or CONFIG_ERROR) and each ping with `pingCode`. */
    expect: { ok: boolean; code?: string; pingCode?: string; answered?: number };
}

/** What each stand-in comes to, per ping (functions/warmer: "an invoke error, a throttle, a reset, …"). */
const PING_CODES: Record<string, string> = {
    hangs: "TIMEOUT",
    throttled: "TooManyRequestsException",
    resets: "ECONNRESET",
    crashes: "FUNCTION_ERROR",
    "slow-5s": "TIMEOUT",
    "not-warm": "BAD_ANSWER",
    "a-string": "BAD_ANSWER",
    "null-answer": "BAD_ANSWER",
    "ok-false": "BAD_ANSWER",
    "quotes-a-number": "FUNCTION_ERROR",
    "answers-a-number": "BAD_ANSWER",
    "access-denied": "EC2AccessDeniedException",
    "lambda-timeout": "FUNCTION_ERROR",
    "no-such-function": "ResourceNotFoundException",
};

/** The SMS function's own bundle, deployed as "sms" (and "sms-balance" with METRICS_NAMESPACE). */
export function warmerCases(): WarmerCase[] {
    const run = (target: string, concurrency: number): WarmerCase => {
        const pingCode = PING_CODES[target];
        // The warmer's deadline is its remaining time less 1 s: the pings that never answer end by it,
        // so 1.5 s keeps them short; the real SMS function gets 6 s, for cold containers on a busy machine.
        const remainingMs = pingCode === "TIMEOUT" ? 1_500 : target.startsWith("sms") ? 6_000 : 2_500;
        return {
            name: `${target} × ${concurrency}`,
            env: { TARGET_FUNCTION_NAME: target, WARM_CONCURRENCY: String(concurrency), BALANCE_CHECK: null },
            remainingMs,
            expect: pingCode ? { ok: false, code: "WARM_FAILED", pingCode, answered: 0 } : { ok: true },
        };
    };
    const config = (name: string, env: Record<string, string | null>): WarmerCase => ({
        name,
        env: { TARGET_FUNCTION_NAME: "sms", WARM_CONCURRENCY: "1", ...env },
        remainingMs: 2_500,
        expect: { ok: false, code: "CONFIG_ERROR" },
    });
    return [
        run("sms", 1),
        run("sms", 3),
        run("sms", 10),
        run("slow-300ms", 2),
        ...Object.keys(PING_CODES).flatMap((t) => [run(t, 1), run(t, 3)]),
        {
            ...run("sms-balance", 2),
            env: { TARGET_FUNCTION_NAME: "sms-balance", WARM_CONCURRENCY: "2", BALANCE_CHECK: "true" },
        },
        config("WARM_CONCURRENCY 0", { WARM_CONCURRENCY: "0" }),
        config("WARM_CONCURRENCY 11", { WARM_CONCURRENCY: "11" }),
        config("WARM_CONCURRENCY abc", { WARM_CONCURRENCY: "abc" }),
        config("no TARGET_FUNCTION_NAME", { TARGET_FUNCTION_NAME: null }),
    ];
}
