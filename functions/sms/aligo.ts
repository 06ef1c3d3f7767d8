// The Aligo client: form-encoded POSTs, JSON answers whose types vary (result_code "1" or 1),
// failures kept verbatim. The API as Aligo documents it: https://smartsms.aligo.in/admin/api/spec.html
// (read 2026-11-25); answers' types as Aligo's own npm module aligoapi 1.1.3 receives them.
import { HttpError, httpRequest } from "../shared/http";
import { ResultError } from "../shared/result";
import type { Plan } from "./validate";

export interface AligoSettings {
    baseUrl: URL;
    key: string;
    userId: string;
    sender: string;
}

export const DEFAULT_BASE_URL = "https://apis.aligo.in";

/** Reads ALIGO_* from the environment; a missing one is a CONFIG_ERROR, not a crash. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): AligoSettings {
    const missing = ["ALIGO_API_KEY", "ALIGO_USER_ID", "ALIGO_SENDER"].filter((k) => !env[k]);
    if (missing.length > 0) {
        throw new ResultError({ code: "CONFIG_ERROR", message: `environment variables not set: ${missing.join(", ")}` });
    }
    let baseUrl: URL;
    try {
        baseUrl = new URL(env.ALIGO_BASE_URL || DEFAULT_BASE_URL);
    } catch {
        throw new ResultError({ code: "CONFIG_ERROR", message: `ALIGO_BASE_URL ${JSON.stringify(env.ALIGO_BASE_URL)} is not a URL` });
    }
    return { baseUrl, key: env.ALIGO_API_KEY!, userId: env.ALIGO_USER_ID!, sender: env.ALIGO_SENDER! };
}

/** Sends the planned request; resolves Aligo's answer without result_code/message, or throws a ResultError. */
export async function callAligo(s: AligoSettings, plan: Plan, deadline: number): Promise<Record<string, unknown>> {
    const form = new URLSearchParams({ key: s.key, user_id: s.userId, ...(plan.sendsMessages ? { sender: s.sender } : {}), ...plan.params });
    const url = new URL(plan.path, s.baseUrl);
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
        throw new ResultError({
            code: e.code,
            message: e.message,
            attempts: e.attempts,
            // For a send: whether Aligo may have received it. Never resent automatically; check
            // with { action: "list" } before sending again.
            ...(plan.sendsMessages ? { maybeSent: e.maybeDelivered } : {}),
        });
    }
    if (res.status < 200 || res.status > 299) {
        throw new ResultError({ code: "HTTP_ERROR", message: `Aligo answered HTTP ${res.status}`, status: res.status, contentType: res.contentType, ...(plan.sendsMessages ? { maybeSent: true } : {}) });
    }
    let data: unknown;
    try {
        data = JSON.parse(res.body);
    } catch {
        throw new ResultError({ code: "BAD_RESPONSE", message: "Aligo's answer was not JSON", status: res.status, contentType: res.contentType, bodyBytes: Buffer.byteLength(res.body) });
    }
    if (typeof data !== "object" || data === null || !("result_code" in data) || !Number.isFinite(Number((data as { result_code: unknown }).result_code))) {
        throw new ResultError({ code: "BAD_RESPONSE", message: "Aligo's answer has no result_code", status: res.status });
    }
    const { result_code, message, ...rest } = data as Record<string, unknown>;
    const code = Number(result_code);
    if (code < 0) {
        throw new ResultError({ code, message: String(message ?? ""), source: "aligo" });
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

/** Aligo's refusal of the caller's address: `-101` with "IP" in the message. */
export function isIpRefusal(code: unknown, message: unknown): boolean {
    return Number(code) === -101 && /IP/i.test(String(message));
}
