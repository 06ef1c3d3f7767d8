// The SMS function: Aligo's API behind one event contract (see README, "The SMS function").
import { randomUUID } from "node:crypto";
import { isIP } from "node:net";
import { maskedPrefix, quote } from "../shared/echo";
import { HttpError, httpRequest } from "../shared/http";
import { log } from "../shared/log";
import { fail, ResultError, type ErrorBody, type Result } from "../shared/result";
import { lastScrubber } from "../shared/scrub";
import { anyText } from "../shared/text";
import { callAligo, normalizeSend, settingsFromEnv, type AligoSettings } from "./aligo";
import { balanceDue, balanceLine } from "./balance";
import { apiKey, knownKey, refreshedKey } from "./key";
import { MESSAGES } from "./messages";
import {
    actionOf,
    claimedAction,
    eventFields,
    InvalidInput,
    pingOf,
    planRequest,
    type Plan,
    type WarmerPing,
} from "./validate";

export interface LambdaContext {
    awsRequestId?: string;
    getRemainingTimeInMillis?: () => number;
}

/** Kept back from the Lambda timeout to return a result and write the log line. */
const SAFETY_MS = 1_000;
/** Budget when there is no Lambda context (local runs). */
const DEFAULT_BUDGET_MS = 10_000;
/** How long a warm-up ping with concurrency > 1 keeps its container busy. */
export const WARM_HOLD_MS = 150;
export const DEFAULT_EGRESS_IP_URL = "https://checkip.amazonaws.com/";
/**
 * The most a balance look-up may hold a warm-up ping: well inside the warmer's 10 s wait for an
 * answer (functions/warmer), so a slow Aligo is a failed look-up (logged), never a failed warm-up.
 */
export const BALANCE_LOOKUP_MS = 5_000;

const containerId = randomUUID().slice(0, 8);
let cold = true;
/** Read once per container: Lambda's environment does not change under a running container. */
let settings: AligoSettings | undefined;

export async function handler(event: unknown, context?: LambdaContext): Promise<Result> {
    const wasCold = cold;
    cold = false;
    const started = Date.now();
    const requestId = context?.awsRequestId;

    const remaining = context?.getRemainingTimeInMillis?.() ?? DEFAULT_BUDGET_MS;
    const deadline = started + Math.max(0, remaining - SAFETY_MS);

    let action: string = "unknown";
    let logFields: Record<string, unknown> = {};
    let refusal: "ip" | "key" | undefined;
    let result: Result;
    let holding = false;
    try {
        // The number of fields first: nothing reads or copies an event of hundreds of thousands.
        const keys = eventFields(event);
        const ping = pingOf(event as Record<string, unknown>, keys);
        if (ping) return await answerPing(ping, { requestId, wasCold, started, deadline });
        const valid = actionOf(event as Record<string, unknown>, keys);
        action = valid;
        const plan = valid === "egress-ip" ? undefined : planRequest(valid, event, new Date(started));
        logFields = plan?.logFields ?? {};
        holding = claimNetwork();
        if (plan === undefined) {
            result = { ok: true, ip: await egressIp(deadline) };
        } else {
            settings ??= settingsFromEnv(process.env);
            result = resultOf(plan, await callWithKey(settings, plan, deadline));
        }
    } catch (e) {
        // A send refused for a field (even an unknown one) is still a send: it says maybeSent: false.
        // (Worked out only on failure: the warm path reads the event once.)
        if (action === "unknown") action = claimedAction(event) ?? "unknown";
        refusal = refusalOf(e);
        result = fail(await failureBody(e, action, deadline));
    } finally {
        if (holding) networkInUse = false;
    }

    logResult(
        action,
        result,
        { requestId, action, ...logFields, cold: wasCold, durationMs: Date.now() - started },
        refusal,
    );
    return result;
}

/**
 * Whether this invocation's requests are under way. A Lambda container runs one invocation at a
 * time; elsewhere (a local run, a test) a second call may come while one is in flight, and is
 * refused at once (BUSY, nothing sent): its requests would share the first one's deadline.
 */
let networkInUse = false;

/** Takes the container's network for this invocation, or refuses it (BUSY) while another has it. */
function claimNetwork(): true {
    if (networkInUse) throw new ResultError({ code: "BUSY", message: MESSAGES.busy }, undefined, false);
    networkInUse = true;
    return true;
}

/**
 * Aligo's answer as the result. Aligo's data cannot stand in for `ok`: callAligo drops any `ok` and
 * `error` it sends (aligo.test.ts). `ok` stays first: V8 builds this object far faster that way than
 * with `ok` after the spread (measured on the warm path: about 0.007 ms a call, 7%). A send that
 * Aligo took but delivered to none of its receivers (success_cnt 0, error_cnt 1 or more) failed.
 */
function resultOf(plan: Plan, answer: Record<string, unknown>): Result {
    if (plan.action !== "send" && plan.action !== "sendMass") return { ok: true, ...answer };
    const sent = normalizeSend(answer);
    if (sent.success_cnt === 0 && Number(sent.error_cnt) > 0) {
        throw new ResultError({
            code: "NOT_SENT",
            message: MESSAGES.sentToNobody(Number(sent.error_cnt), anyText(sent.msg_id)),
            msg_id: sent.msg_id,
            success_cnt: sent.success_cnt,
            error_cnt: sent.error_cnt,
            msg_type: sent.msg_type,
            // Aligo took the request: by the rule, it may have gone out (Aligo's counts say to none).
            maybeSent: true,
        });
    }
    return { ok: true, ...sent };
}

/** What a warm-up ping's answer and log line need to know of its invocation. */
interface PingInvocation {
    requestId: string | undefined;
    wasCold: boolean;
    started: number;
    deadline: number;
}

/** Answers a warm-up ping: at once, or after the hold or the balance look-up it asks for. */
async function answerPing(ping: WarmerPing, inv: PingInvocation): Promise<Result> {
    const { requestId, wasCold, started, deadline } = inv;
    const concurrency = Number.isInteger(ping.concurrency) ? Number(ping.concurrency) : 1;
    // Quoted back and logged like any caller's value: masked, at most 40 characters (a UUID fits).
    const correlationId = typeof ping.correlationId === "string" ? quote(ping.correlationId) : undefined;
    // The warmer may ask one container for Aligo's balance, looked up at most once an hour per
    // container; it holds the container busy meanwhile, as the hold below does.
    const balance =
        ping.balance === true && process.env.METRICS_NAMESPACE && balanceDue(started)
            ? await lookUpBalance(process.env.METRICS_NAMESPACE, Math.min(deadline, started + BALANCE_LOOKUP_MS))
            : undefined;
    if (concurrency > 1 && balance === undefined) await new Promise((r) => setTimeout(r, WARM_HOLD_MS));
    log("info", "warm-up ping", { requestId, correlationId, cold: wasCold, containerId });
    return { ok: true, warmer: true, cold: wasCold, containerId, correlationId, ...balance };
}

/**
 * A failure as it is answered. A send's failure always says whether the request may have reached
 * Aligo: failures decided before any request (bad input, missing settings) cannot have; an
 * unexpected one might.
 */
async function failureBody(e: unknown, action: string, deadline: number): Promise<ErrorBody> {
    const body = await errorBody(e, deadline);
    if ((action === "send" || action === "sendMass") && body.maybeSent === undefined) {
        // Nothing went out when the input or the settings were refused, or no request was made (BUSY,
        // no time to read the key); anything else unexpected might have.
        const noRequest = e instanceof ResultError && e.reached === false;
        body.maybeSent = !(e instanceof InvalidInput) && body.code !== "CONFIG_ERROR" && !noRequest;
    }
    return body;
}

/**
 * The invocation's one log line: what was done, or what failed and why (Aligo's message, never what
 * we were sent). A send that reached only some of its receivers is logged as a warning with both
 * counts and `outcome: "partial"`, which the failed-sends metric counts (program/log-metrics.ts).
 */
function logResult(
    action: string,
    result: Result,
    fields: Record<string, unknown>,
    refusal: "ip" | "key" | undefined,
): void {
    if (result.ok) {
        if (!result.msg_id) return log("info", `${action} ok`, fields);
        const counts = { msgId: result.msg_id, successCount: result.success_cnt, errorCount: result.error_cnt };
        if (Number(result.error_cnt) > 0)
            return log("warn", `${action} partly sent`, { ...fields, ...counts, outcome: "partial" });
        return log("info", `${action} ok`, { ...fields, ...counts });
    }
    const { code, message, maybeSent, status, source, msg_id, success_cnt, error_cnt } = result.error;
    // Refused input and a call refused while another was in flight: the caller's to fix, nothing was sent.
    log(code === "INVALID_INPUT" || code === "BUSY" ? "warn" : "error", `${action} failed`, {
        ...fields,
        code,
        message,
        maybeSent,
        status,
        source,
        refusal,
        ...(code === "NOT_SENT" ? { msgId: msg_id, successCount: success_cnt, errorCount: error_cnt } : {}),
    });
}

/**
 * Calls Aligo with the current key. When Aligo refuses the key (-101, not the IP), the key is read
 * again (at most once a minute) and, if it changed (a rotation), the call is made once more: Aligo
 * refused the first, so nothing was sent twice.
 */
async function callWithKey(
    s: AligoSettings,
    plan: Parameters<typeof callAligo>[2],
    deadline: number,
): Promise<Record<string, unknown>> {
    // Known keys need no await (the warm path); the first call of a container reads the parameter.
    const key = knownKey() ?? (await apiKey(deadline));
    try {
        return await callAligo(s, key, plan, deadline);
    } catch (e) {
        if (refusalOf(e) !== "key") throw e;
        const fresh = await refreshedKey(key, deadline).catch(() => undefined);
        if (fresh === undefined) throw e;
        log("info", "aligo key re-read after a refusal; calling again with the new key", { action: plan.action });
        try {
            return await callAligo(s, fresh, plan, deadline);
        } catch (retry) {
            // A second call that never reached Aligo says less than the first: Aligo's refusal of the
            // old key (which reached it, and sent nothing) stays the answer.
            if (retry instanceof ResultError && retry.reached === false) {
                log("warn", "aligo call with the re-read key could not reach Aligo; answering with the first refusal", {
                    action: plan.action,
                    code: retry.body.code,
                });
                throw e;
            }
            throw retry;
        }
    }
}

/** Aligo's balance, logged as an EMF metric line; a failure is logged (as an error) and reported, never thrown. */
async function lookUpBalance(
    namespace: string,
    deadline: number,
): Promise<{ balance: number } | { balanceError: string | number }> {
    let holding = false;
    try {
        holding = claimNetwork();
        settings ??= settingsFromEnv(process.env);
        const answer = await callWithKey(settings, planRequest("remain", { action: "remain" }, new Date()), deadline);
        const remaining = Number(answer.SMS_CNT);
        if (!Number.isFinite(remaining))
            throw new ResultError({ code: "BAD_RESPONSE", message: "Aligo's remain answer has no SMS_CNT number" });
        process.stdout.write(`${balanceLine(namespace, remaining, Date.now())}\n`);
        return { balance: remaining };
    } catch (e) {
        const body = e instanceof ResultError ? e.body : { code: "INTERNAL_ERROR", message: errorText(e) };
        log("error", "aligo balance failed", { code: body.code, message: body.message, refusal: refusalOf(e) });
        return { balanceError: body.code };
    } finally {
        if (holding) networkInUse = false;
    }
}

/**
 * Which of Aligo's refusals this is, for the log line's `refusal` field (the stack's IP-refusal
 * metric filter matches it exactly, rather than Aligo's wording): "ip" (the caller's address is not
 * registered), "key" (the key or user id), or undefined.
 */
function refusalOf(e: unknown): "ip" | "key" | undefined {
    return e instanceof ResultError ? e.refusal : undefined;
}

/** An unexpected error's message as it is answered and logged: our key and user id scrubbed, phone numbers masked, at most 300 characters. */
function errorText(e: unknown): string {
    return maskedPrefix(lastScrubber().text(e instanceof Error ? e.message : String(e)), 300);
}

async function errorBody(e: unknown, deadline: number): Promise<ErrorBody> {
    if (e instanceof InvalidInput) return { code: "INVALID_INPUT", message: e.message, field: e.field };
    if (e instanceof ResultError) {
        const body = e.body;
        if (e.refusal === "ip") return { ...body, ...(await ipRefusalHint(deadline)) };
        return { ...body };
    }
    if (e instanceof HttpError) {
        return e.code === "TOO_LARGE"
            ? { code: "BAD_RESPONSE", message: e.message, status: e.status }
            : { code: e.code, message: e.message };
    }
    const text = errorText(e);
    log("error", "unexpected error", { error: text });
    return { code: "INTERNAL_ERROR", message: text };
}

/**
 * Aligo refused the caller's IP. Say which address to register, with evidence: the address this
 * function leaves from right now, and the stack's egressIps passed in EGRESS_IPS.
 */
async function ipRefusalHint(deadline: number): Promise<Record<string, unknown>> {
    const registered = (process.env.EGRESS_IPS ?? "").split(",").filter(Boolean);
    let current: string | undefined;
    try {
        current = await egressIp(Math.min(deadline, Date.now() + 3_000));
    } catch {
        current = undefined;
    }
    let hint: string;
    if (current && registered.length > 0 && !registered.includes(current)) {
        hint = MESSAGES.ipNotThroughNat(current, registered);
    } else if (registered.length > 0) {
        hint = MESSAGES.ipRegisterAll(current, registered);
    } else {
        hint = MESSAGES.ipRegisterIt(current);
    }
    return { hint, egressIp: current, egressIps: registered };
}

/** The public address this function's traffic leaves from, asked of an HTTPS echo service. */
async function egressIp(deadline: number): Promise<string> {
    const url = URL.parse(process.env.EGRESS_IP_URL || DEFAULT_EGRESS_IP_URL);
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
        throw new ResultError({
            code: "CONFIG_ERROR",
            message: MESSAGES.egressIpUrlInvalid(JSON.stringify(String(process.env.EGRESS_IP_URL).slice(0, 80))),
        });
    }
    const res = await httpRequest({ method: "GET", url, deadline, idempotent: true });
    const ip = res.body.trim();
    if (res.status !== 200 || isIP(ip) === 0) {
        throw new ResultError({
            code: "BAD_RESPONSE",
            message: `${url.host} answered HTTP ${res.status} without an IP address`,
            status: res.status,
        });
    }
    return ip;
}
