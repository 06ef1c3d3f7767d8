// The Aligo client: form-encoded POSTs, JSON answers whose types vary (result_code "1" or 1),
// failures kept verbatim. The API as Aligo documents it: https://smartsms.aligo.in/admin/api/spec.html
// (read 2026-11-25); answers' types as Aligo's own npm module aligoapi 1.1.3 receives them.
import { echo, maskedPrefix } from "../shared/echo";
import { HttpError, httpRequest, type HttpRequest, type HttpResponse } from "../shared/http";
import { ResultError } from "../shared/result";
import { scrubberFor, type Scrubber } from "../shared/scrub";
import { anyText } from "../shared/text";
import type { Plan } from "./validate";

export interface AligoSettings {
    baseUrl: URL;
    userId: string;
    sender: string;
}

export const DEFAULT_BASE_URL = "https://apis.aligo.in";

/** Reads ALIGO_* from the environment (the key itself comes from key.ts); a missing one is a CONFIG_ERROR, not a crash. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): AligoSettings {
    const missing = [
        env.ALIGO_API_KEY || env.ALIGO_API_KEY_PARAMETER ? "" : "ALIGO_API_KEY_PARAMETER (or ALIGO_API_KEY)",
        ...["ALIGO_USER_ID", "ALIGO_SENDER"].filter((k) => !env[k]),
    ].filter(Boolean);
    if (missing.length > 0) {
        throw new ResultError({
            code: "CONFIG_ERROR",
            message: `environment variables not set: ${missing.join(", ")}`,
        });
    }
    const baseUrl = URL.parse(env.ALIGO_BASE_URL || DEFAULT_BASE_URL);
    if (!baseUrl || (baseUrl.protocol !== "https:" && baseUrl.protocol !== "http:")) {
        throw new ResultError({
            code: "CONFIG_ERROR",
            message: `ALIGO_BASE_URL ${echo(env.ALIGO_BASE_URL)} is not an http(s) URL`,
        });
    }
    return { baseUrl, userId: env.ALIGO_USER_ID ?? "", sender: env.ALIGO_SENDER ?? "" };
}

/** How much of Aligo's own message (a refusal's reason) is passed on. */
const MESSAGE_CHARS = 300;

/**
 * Aligo's message as it is passed on and logged: our key and user id scrubbed (an upstream may quote
 * our request), phone numbers masked (it may quote a receiver), at most MESSAGE_CHARS.
 */
export function aligoMessage(v: unknown, scrub: Scrubber): string {
    return maskedPrefix(scrub.text(anyText(v ?? "")), MESSAGE_CHARS);
}

/** How much of an answer's content-type is passed on (an upstream's header: any length, any text). */
const CONTENT_TYPE_CHARS = 100;

/**
 * Aligo's result_code as a number when it is one exactly as Aligo writes codes: a safe integer, or a
 * string of up to 9 digits with an optional minus, nothing around it and no leading zero. Anything
 * else is not a code: `null`, "", `true`, "1a" (`Number(null)` would be 0), " 1", "01", 1e300, 1.5.
 */
export function resultCodeOf(v: unknown): number | undefined {
    if (typeof v === "number") return Number.isSafeInteger(v) ? v : undefined;
    if (typeof v === "string" && /^-?(0|[1-9]\d{0,8})$/.test(v)) return Number(v);
    return undefined;
}

/**
 * Keys of our own result shape (`{ ok, error }`). Aligo never sends them; were an answer to carry
 * them, passing them on would let Aligo's data turn a success into what reads as a failure (or the
 * other way round), so they are dropped from the data handed back.
 */
const RESERVED_KEYS = ["ok", "error"];

/**
 * Sends the planned request; resolves Aligo's answer without result_code/message, or throws a
 * ResultError. For a send, every failure says whether the request may have reached Aligo
 * (`maybeSent`): false only when no attempt ever connected (nothing can have been sent); true
 * whenever it may have (any answer, Aligo's own refusal codes included, a broken connection after
 * writing, a timeout after connecting, an answer too large to read). A refusal says more, in
 * `source: "aligo"` and its negative code: Aligo says it sent nothing. Every throw
 * below carries it (aligo.test.ts checks each on this function itself: the handler's fallback for
 * an error without it, true, would hide a missing one).
 */
export async function callAligo(
    s: AligoSettings,
    key: string,
    plan: Plan,
    deadline: number,
): Promise<Record<string, unknown>> {
    const sent = (maybe: boolean) => (plan.sendsMessages ? { maybeSent: maybe } : {});
    const scrub = scrubberFor(key, s.userId);
    let res: HttpResponse;
    try {
        res = await httpRequest(requestFor(s, key, plan, deadline));
    } catch (e) {
        throw transportFailure(e, sent, scrub);
    }
    return readAnswer(res, sent, scrub);
}

/** `{ maybeSent }` for a send, nothing for a read. */
type SentField = (maybe: boolean) => { maybeSent?: boolean };

/** Aligo's URLs by path, per base URL, made once per container (a URL parse per call showed on the warm path). */
const urls = new WeakMap<URL, Map<string, URL>>();
function urlOf(base: URL, path: string): URL {
    let paths = urls.get(base);
    if (!paths) urls.set(base, (paths = new Map<string, URL>()));
    let url = paths.get(path);
    if (!url) paths.set(path, (url = new URL(path, base)));
    return url;
}

/** The form's first fields (key and user_id; sender too for a send), encoded once per container and key. */
let head: { key: string; settings: AligoSettings; plain: string; withSender: string } | undefined;
function formHead(s: AligoSettings, key: string, sends: boolean): string {
    if (head?.key !== key || head.settings !== s) {
        const plain = new URLSearchParams({ key, user_id: s.userId }).toString();
        head = {
            key,
            settings: s,
            plain,
            withSender: `${plain}&${new URLSearchParams({ sender: s.sender }).toString()}`,
        };
    }
    return sends ? head.withSender : head.plain;
}

/** The form body: the first fields, then the plan's own (none for remain). */
function formOf(s: AligoSettings, key: string, plan: Plan): string {
    const first = formHead(s, key, plan.sendsMessages);
    for (const _ in plan.params) return `${first}&${new URLSearchParams(plan.params).toString()}`;
    return first;
}

/** The planned request as a form POST. */
function requestFor(s: AligoSettings, key: string, plan: Plan, deadline: number): HttpRequest {
    return {
        method: "POST",
        url: urlOf(s.baseUrl, plan.path),
        headers: { "content-type": "application/x-www-form-urlencoded; charset=UTF-8", accept: "application/json" },
        body: formOf(s, key, plan),
        deadline,
        idempotent: plan.idempotent,
    };
}

/** A transport failure as the ResultError it becomes, saying whether the request may have arrived; anything else as it is. */
function transportFailure(e: unknown, sent: SentField, scrub: Scrubber): unknown {
    if (!(e instanceof HttpError)) return e;
    if (e.code === "TOO_LARGE") {
        // An answer began, so the request reached the server; the rest was not read.
        return new ResultError({
            code: "BAD_RESPONSE",
            message: `Aligo's answer was too large: ${e.message}`,
            status: e.status,
            ...sent(true),
        });
    }
    return new ResultError(
        {
            code: e.code,
            message: scrub.text(e.message),
            attempts: e.attempts,
            // Never resent automatically once it may have arrived; check with { action: "list" }.
            ...sent(e.maybeDelivered),
        },
        undefined,
        e.maybeDelivered,
    );
}

/**
 * Aligo's answer, read: its data on success (result_code 1 or more), else a ResultError. Whatever of
 * it is quoted or handed back has our key and user id scrubbed first.
 */
function readAnswer(res: HttpResponse, sent: SentField, scrub: Scrubber): Record<string, unknown> {
    // Only a failure quotes the content-type: worked out there, not on the warm path (masking it for
    // phone numbers was a quarter of the warm path's cost over a bare request, measured 2026-12-07).
    const contentType = () => maskedPrefix(scrub.text(res.contentType), CONTENT_TYPE_CHARS);
    if (res.status < 200 || res.status > 299) {
        throw new ResultError({
            code: "HTTP_ERROR",
            message: `Aligo answered HTTP ${res.status}`,
            status: res.status,
            contentType: contentType(),
            ...(res.attempts > 1 ? { attempts: res.attempts } : {}),
            ...sent(true),
        });
    }
    let data: unknown;
    try {
        data = JSON.parse(res.body);
    } catch {
        throw new ResultError({
            code: "BAD_RESPONSE",
            message: `Aligo's answer was not JSON: ${echo(scrub.text(res.body))}`,
            status: res.status,
            contentType: contentType(),
            bodyBytes: Buffer.byteLength(res.body),
            ...sent(true),
        });
    }
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
        throw new ResultError({
            code: "BAD_RESPONSE",
            message: `Aligo's answer is not an object: ${echo(scrub.value(data))}`,
            status: res.status,
            ...sent(true),
        });
    }
    return answerData(res, data as Record<string, unknown>, sent, scrub);
}

/** An answer that is a JSON object: Aligo's data on success, else Aligo's refusal or a BAD_RESPONSE. */
function answerData(
    res: HttpResponse,
    data: Record<string, unknown>,
    sent: SentField,
    scrub: Scrubber,
): Record<string, unknown> {
    const { result_code, message, ...rest } = data;
    const code = resultCodeOf(result_code);
    if (code === undefined || code === 0) {
        const what = Object.prototype.hasOwnProperty.call(data, "result_code")
            ? `result_code ${echo(scrub.value(result_code))}`
            : "no result_code";
        throw new ResultError({
            code: "BAD_RESPONSE",
            message: `Aligo's answer has ${what}; success is a code of 1 or more`,
            status: res.status,
            ...sent(true),
        });
    }
    if (code < 0) {
        // Aligo refused the request and says so. The request reached Aligo, so maybeSent is true,
        // as for any answer; `source: "aligo"` with a negative code is Aligo saying it sent
        // nothing, which a caller (and `npm run send`) may take as "not sent".
        // What was refused is read from the whole message: the quoted one stops at MESSAGE_CHARS.
        throw new ResultError(
            { code, message: aligoMessage(message, scrub), source: "aligo", ...sent(true) },
            refusalOf(code, message),
        );
    }
    // Only when present: `delete` turns an object into a slow dictionary, which the warm path would pay for.
    for (const k of RESERVED_KEYS) if (Object.prototype.hasOwnProperty.call(rest, k)) delete rest[k];
    // Handed back to the caller as it is, unless it quotes our key or user id (checked on the raw text: cheap).
    return scrub.inAnswer(res.body, rest) ? (scrub.value(rest) as Record<string, unknown>) : rest;
}

/** Aligo's /send/ answer with its types made consistent: msg_id a string, counts numbers. */
export function normalizeSend(rest: Record<string, unknown>): Record<string, unknown> {
    return {
        ...rest,
        msg_id: rest.msg_id === undefined ? undefined : anyText(rest.msg_id),
        success_cnt: Number(rest.success_cnt ?? 0),
        error_cnt: Number(rest.error_cnt ?? 0),
    };
}

/**
 * What Aligo's `-101` refused, read from its whole message: "ip" (the caller's address: "IP" in the
 * message), else "key" (the key or user id); undefined for any other code.
 */
function refusalOf(code: number, message: unknown): "ip" | "key" | undefined {
    if (code !== -101) return undefined;
    return /IP/i.test(anyText(message)) ? "ip" : "key";
}
