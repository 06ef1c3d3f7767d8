// The Aligo client: form-encoded POSTs, JSON answers whose types vary (result_code "1" or 1),
// failures kept verbatim. The API as Aligo documents it: https://smartsms.aligo.in/admin/api/spec.html
// (read 2026-11-25); answers' types as Aligo's own npm module aligoapi 1.1.3 receives them.
import { maskPhones } from "../shared/echo";
import { HttpError, httpRequest } from "../shared/http";
import { ResultError } from "../shared/result";
import type { Plan } from "./validate";

export interface AligoSettings {
    baseUrl: URL;
    userId: string;
    sender: string;
}

export const DEFAULT_BASE_URL = "https://apis.aligo.in";

/** Reads ALIGO_* from the environment (the key itself comes from key.ts); a missing one is a CONFIG_ERROR, not a crash. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): AligoSettings {
    const missing = [env.ALIGO_API_KEY || env.ALIGO_API_KEY_PARAMETER ? "" : "ALIGO_API_KEY_PARAMETER (or ALIGO_API_KEY)", ...["ALIGO_USER_ID", "ALIGO_SENDER"].filter((k) => !env[k])].filter(Boolean);
    if (missing.length > 0) {
        throw new ResultError({ code: "CONFIG_ERROR", message: `environment variables not set: ${missing.join(", ")}` });
    }
    const baseUrl = URL.parse(env.ALIGO_BASE_URL || DEFAULT_BASE_URL);
    if (!baseUrl || (baseUrl.protocol !== "https:" && baseUrl.protocol !== "http:")) {
        throw new ResultError({ code: "CONFIG_ERROR", message: `ALIGO_BASE_URL ${quoteAnswer(env.ALIGO_BASE_URL)} is not an http(s) URL` });
    }
    return { baseUrl, userId: env.ALIGO_USER_ID ?? "", sender: env.ALIGO_SENDER ?? "" };
}

/** How much of an answer is quoted back when it is not what Aligo should send. */
const QUOTE_CHARS = 40;

/** How much of Aligo's own message (a refusal's reason) is passed on. */
const MESSAGE_CHARS = 300;

/** A short, safe quote of something an upstream sent: phone numbers masked, at most QUOTE_CHARS, with its length. */
export function quoteAnswer(v: unknown): string {
    const text = maskPhones(v === undefined ? "undefined" : JSON.stringify(v) ?? String(v));
    return text.length <= QUOTE_CHARS ? text : `${text.slice(0, QUOTE_CHARS)}… (${text.length} characters)`;
}

/** Aligo's message as it is passed on and logged: phone numbers masked (it may quote a receiver), at most MESSAGE_CHARS. */
export function aligoMessage(v: unknown): string {
    return maskPhones(String(v ?? "")).slice(0, MESSAGE_CHARS);
}

/**
 * Aligo's result_code as a number when it is one (a number, or a string of digits with an optional
 * minus), undefined otherwise: `null`, "", `true` or "1a" are not codes (`Number(null)` would be 0).
 */
export function resultCodeOf(v: unknown): number | undefined {
    if (typeof v === "number") return Number.isInteger(v) ? v : undefined;
    if (typeof v === "string" && /^-?\d{1,9}$/.test(v.trim())) return Number(v);
    return undefined;
}

/**
 * Sends the planned request; resolves Aligo's answer without result_code/message, or throws a
 * ResultError. For a send, every failure says whether the message may have gone out (`maybeSent`):
 * false only when the request never left, or Aligo answered with a refusal code; true whenever it
 * may have reached Aligo and the answer does not say it was refused.
 */
export async function callAligo(s: AligoSettings, key: string, plan: Plan, deadline: number): Promise<Record<string, unknown>> {
    const form = new URLSearchParams({ key, user_id: s.userId, ...(plan.sendsMessages ? { sender: s.sender } : {}), ...plan.params });
    const url = new URL(plan.path, s.baseUrl);
    const sent = (maybe: boolean) => (plan.sendsMessages ? { maybeSent: maybe } : {});
    let res;
    try {
        res = await httpRequest({
            method: "POST",
            url,
            headers: { "content-type": "application/x-www-form-urlencoded; charset=UTF-8", accept: "application/json" },
            body: form.toString(),
            deadline,
            idempotent: plan.idempotent,
        });
    } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        if (e.code === "TOO_LARGE") {
            // An answer began, so the request reached the server; the rest was not read.
            throw new ResultError({ code: "BAD_RESPONSE", message: `Aligo's answer was too large: ${e.message}`, status: e.status, ...sent(true) });
        }
        throw new ResultError({
            code: e.code,
            message: e.message,
            attempts: e.attempts,
            // Never resent automatically once it may have arrived; check with { action: "list" }.
            ...sent(e.maybeDelivered),
        });
    }
    if (res.status < 200 || res.status > 299) {
        throw new ResultError({ code: "HTTP_ERROR", message: `Aligo answered HTTP ${res.status}`, status: res.status, contentType: res.contentType, ...sent(true) });
    }
    let data: unknown;
    try {
        data = JSON.parse(res.body);
    } catch {
        throw new ResultError({
            code: "BAD_RESPONSE",
            message: `Aligo's answer was not JSON: ${quoteAnswer(res.body)}`,
            status: res.status,
            contentType: res.contentType,
            bodyBytes: Buffer.byteLength(res.body),
            ...sent(true),
        });
    }
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
        throw new ResultError({ code: "BAD_RESPONSE", message: `Aligo's answer is not an object: ${quoteAnswer(data)}`, status: res.status, ...sent(true) });
    }
    const { result_code, message, ...rest } = data as Record<string, unknown>;
    const code = resultCodeOf(result_code);
    if (code === undefined || code === 0) {
        const what = Object.prototype.hasOwnProperty.call(data, "result_code") ? `result_code ${quoteAnswer(result_code)}` : "no result_code";
        throw new ResultError({ code: "BAD_RESPONSE", message: `Aligo's answer has ${what}; success is a code of 1 or more`, status: res.status, ...sent(true) });
    }
    if (code < 0) {
        // Aligo refused the request: nothing was sent.
        throw new ResultError({ code, message: aligoMessage(message), source: "aligo", ...sent(false) });
    }
    return rest;
}

/** Aligo's /send/ answer with its types made consistent: msg_id a string, counts numbers. */
export function normalizeSend(rest: Record<string, unknown>): Record<string, unknown> {
    return {
        ...rest,
        msg_id: rest.msg_id === undefined ? undefined : String(rest.msg_id),
        success_cnt: Number(rest.success_cnt ?? 0),
        error_cnt: Number(rest.error_cnt ?? 0),
    };
}

/** Aligo's refusal of the API key or user id: `-101` without "IP" in the message. */
export function isKeyRefusal(code: unknown, message: unknown): boolean {
    return Number(code) === -101 && !isIpRefusal(code, message);
}

/** Aligo's refusal of the caller's address: `-101` with "IP" in the message. */
export function isIpRefusal(code: unknown, message: unknown): boolean {
    return Number(code) === -101 && /IP/i.test(String(message));
}
