// Turns an invocation event into the Aligo request to make, or an INVALID_INPUT error. Pure: no
// I/O, so every rule here is decided before any request leaves.
import { eucKrBytes, LMS_MAX_BYTES, SMS_MAX_BYTES, TITLE_MAX_BYTES } from "../shared/bytes";
import { maskPhone } from "../shared/log";

export class InvalidInput extends Error {
    constructor(readonly field: string, message: string) {
        super(`${field}: ${message}`);
    }
}

export type AligoPath = "/send/" | "/send_mass/" | "/remain/" | "/list/" | "/sms_list/" | "/cancel/";

export interface Plan {
    action: "send" | "sendMass" | "remain" | "list" | "detail" | "cancel";
    path: AligoPath;
    /** Form fields beyond key, user_id (and sender for sends), which the client adds. */
    params: Record<string, string>;
    /** A send or cancel must never be repeated once it may have arrived. */
    idempotent: boolean;
    sendsMessages: boolean;
    /** What may be logged about this request: masked numbers and sizes only. */
    logFields: Record<string, unknown>;
}

const ACTIONS = ["send", "sendMass", "remain", "list", "detail", "cancel", "egress-ip"] as const;

const ALLOWED_KEYS: Record<string, string[]> = {
    send: ["action", "receiver", "msg", "title", "msgType", "testMode", "reserveAt"],
    sendMass: ["action", "messages", "msgType", "title", "testMode", "reserveAt"],
    remain: ["action"],
    list: ["action", "page", "pageSize", "startDate", "limitDay"],
    detail: ["action", "mid", "page", "pageSize"],
    cancel: ["action", "mid"],
    "egress-ip": ["action"],
};

export const MAX_RECEIVERS = 1_000;
export const MAX_MASS = 500;
/** Aligo wants a reservation at least this far ahead. */
export const MIN_RESERVE_MS = 10 * 60_000;
const KST_OFFSET_MS = 9 * 3_600_000; // Korea has no daylight saving time

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Strips hyphens, spaces and dots; `+82 10…` becomes `010…`; checks it is a Korean mobile number. */
export function normalizeMobile(raw: unknown, field: string): string {
    if (typeof raw !== "string" && typeof raw !== "number") throw new InvalidInput(field, "must be a phone number string");
    let n = String(raw).replace(/[-\s.()]/g, "");
    if (n.startsWith("+82")) n = `0${n.slice(3).replace(/^0/, "")}`;
    if (!/^(010\d{8}|01[16789]\d{7,8})$/.test(n)) {
        throw new InvalidInput(field, `${JSON.stringify(maskPhone(n))} (${n.length} characters) is not a Korean mobile number such as 010-1234-5678`);
    }
    return n;
}

function message(raw: unknown, field: string): { text: string; bytes: number } {
    if (typeof raw !== "string" || raw.length === 0) throw new InvalidInput(field, "must be a non-empty string");
    const bytes = eucKrBytes(raw);
    if (bytes > LMS_MAX_BYTES) throw new InvalidInput(field, `is ${bytes} bytes as carriers count them (Hangul 2, ASCII 1); at most ${LMS_MAX_BYTES}`);
    return { text: raw, bytes };
}

function msgTypeFor(given: unknown, maxBytes: number, field: string): "SMS" | "LMS" {
    if (given === undefined) return maxBytes <= SMS_MAX_BYTES ? "SMS" : "LMS";
    if (given !== "SMS" && given !== "LMS") throw new InvalidInput("msgType", `${JSON.stringify(given)} is not one of SMS, LMS`);
    if (given === "SMS" && maxBytes > SMS_MAX_BYTES) {
        throw new InvalidInput("msgType", `SMS holds ${SMS_MAX_BYTES} bytes but ${field} is ${maxBytes}; use LMS or leave msgType out`);
    }
    return given;
}

function title(raw: unknown, msgType: "SMS" | "LMS", explicitType: boolean): string | undefined {
    if (raw === undefined) return undefined;
    if (typeof raw !== "string" || raw.length === 0) throw new InvalidInput("title", "must be a non-empty string");
    const bytes = eucKrBytes(raw);
    if (bytes > TITLE_MAX_BYTES) throw new InvalidInput("title", `is ${bytes} bytes; at most ${TITLE_MAX_BYTES}`);
    if (msgType === "SMS" && explicitType) throw new InvalidInput("title", "SMS has no title; use msgType LMS or drop the title");
    // With msgType chosen by length, a title only travels with an LMS.
    return msgType === "LMS" ? raw : undefined;
}

function testMode(raw: unknown): Record<string, string> {
    if (raw === undefined || raw === false) return {};
    if (raw !== true) throw new InvalidInput("testMode", "must be true or false");
    return { testmode_yn: "Y" };
}

/** `reserveAt` (ISO 8601 with a zone) → Aligo's rdate/rtime in Korea time. */
export function reservation(raw: unknown, now: Date): Record<string, string> {
    if (raw === undefined) return {};
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
    if (typeof raw !== "string" || !iso.test(raw) || Number.isNaN(Date.parse(raw))) {
        throw new InvalidInput("reserveAt", `${JSON.stringify(raw)} is not an ISO date-time with a zone, e.g. 2026-12-01T09:30:00+09:00`);
    }
    // Aligo takes minutes: seconds are dropped, so check the time that will actually be sent.
    const at = Math.floor(Date.parse(raw) / 60_000) * 60_000;
    const ahead = at - now.getTime();
    if (ahead < MIN_RESERVE_MS) {
        throw new InvalidInput("reserveAt", `${raw} is ${Math.floor(ahead / 60_000)} minutes from now; Aligo needs at least 10`);
    }
    const kst = new Date(at + KST_OFFSET_MS).toISOString(); // yyyy-mm-ddThh:mm in KST
    return { rdate: kst.slice(0, 10).replace(/-/g, ""), rtime: kst.slice(11, 16).replace(":", "") };
}

function int(raw: unknown, field: string, min: number, max: number): string | undefined {
    if (raw === undefined) return undefined;
    if (typeof raw !== "number" || !Number.isInteger(raw) || raw < min || raw > max) {
        throw new InvalidInput(field, `${JSON.stringify(raw)} is not a whole number from ${min} to ${max}`);
    }
    return String(raw);
}

function yyyymmdd(raw: unknown, field: string): string | undefined {
    if (raw === undefined) return undefined;
    const s = String(raw);
    const d = new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T00:00:00Z`);
    if (!/^\d{8}$/.test(s) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10).replace(/-/g, "") !== s) {
        throw new InvalidInput(field, `${JSON.stringify(raw)} is not a date as YYYYMMDD`);
    }
    return s;
}

function mid(raw: unknown): string {
    const s = typeof raw === "number" ? String(raw) : raw;
    if (typeof s !== "string" || !/^\d{1,20}$/.test(s)) throw new InvalidInput("mid", `${JSON.stringify(raw)} is not an Aligo message id (digits)`);
    return s;
}

/** The fields send and sendMass share: type, title, reservation, test mode. */
function sendOptions(e: Record<string, unknown>, msgType: "SMS" | "LMS", now: Date): Record<string, string> {
    return defined({ msg_type: msgType, title: title(e.title, msgType, e.msgType !== undefined), ...reservation(e.reserveAt, now), ...testMode(e.testMode) });
}

const defined = (o: Record<string, string | undefined>): Record<string, string> =>
    Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));

/** The action name of an event, validated; `egress-ip` has no Aligo request of its own. */
export type Action = (typeof ACTIONS)[number];

export function actionOf(event: unknown): Action {
    if (!isObject(event)) throw new InvalidInput("event", "must be a JSON object with an action");
    const action = event.action;
    if (typeof action !== "string" || !(ACTIONS as readonly string[]).includes(action)) {
        throw new InvalidInput("action", `${JSON.stringify(action)} is not one of ${ACTIONS.join(", ")}`);
    }
    const unknown = Object.keys(event).filter((k) => !ALLOWED_KEYS[action].includes(k));
    if (unknown.length > 0) {
        throw new InvalidInput(unknown[0], `is not a field of action ${action} (allowed: ${ALLOWED_KEYS[action].join(", ")})`);
    }
    return action as Action;
}

/** The Aligo request for an event whose action {@link actionOf} has already validated. */
export function planRequest(action: Exclude<Action, "egress-ip">, event: unknown, now: Date): Plan {
    const e = event as Record<string, unknown>;
    switch (action) {
        case "send": {
            const list = typeof e.receiver === "string" ? e.receiver.split(",") : e.receiver;
            if (!Array.isArray(list) || list.length === 0) throw new InvalidInput("receiver", "must be a phone number or a non-empty list of them");
            if (list.length > MAX_RECEIVERS) throw new InvalidInput("receiver", `has ${list.length} numbers; at most ${MAX_RECEIVERS}`);
            const receivers = list.map((r, i) => normalizeMobile(r, `receiver[${i}]`));
            const dup = receivers.find((r, i) => receivers.indexOf(r) !== i);
            if (dup) throw new InvalidInput("receiver", `lists ${maskPhone(dup)} more than once; each number would be sent the message again`);
            const msg = message(e.msg, "msg");
            const msgType = msgTypeFor(e.msgType, msg.bytes, "msg");
            return {
                action,
                path: "/send/",
                params: { receiver: receivers.join(","), msg: msg.text, ...sendOptions(e, msgType, now) },
                idempotent: false,
                sendsMessages: true,
                logFields: { receivers: receivers.slice(0, 5).map(maskPhone), receiverCount: receivers.length, msgBytes: msg.bytes, msgType, testMode: e.testMode === true, reserved: e.reserveAt !== undefined },
            };
        }
        case "sendMass": {
            const items = e.messages;
            if (!Array.isArray(items) || items.length === 0 || items.length > MAX_MASS) {
                throw new InvalidInput("messages", `must be a list of 1 to ${MAX_MASS} { receiver, msg } objects`);
            }
            const parsed = items.map((item, i) => {
                if (!isObject(item)) throw new InvalidInput(`messages[${i}]`, "must be an object { receiver, msg }");
                const extra = Object.keys(item).filter((k) => k !== "receiver" && k !== "msg");
                if (extra.length > 0) throw new InvalidInput(`messages[${i}].${extra[0]}`, "is not a field (allowed: receiver, msg)");
                return { receiver: normalizeMobile(item.receiver, `messages[${i}].receiver`), msg: message(item.msg, `messages[${i}].msg`) };
            });
            const seen = new Set<string>();
            parsed.forEach((p, i) => {
                const k = `${p.receiver}\u0000${p.msg.text}`;
                if (seen.has(k)) throw new InvalidInput(`messages[${i}]`, `repeats the same message to ${maskPhone(p.receiver)}; it would arrive twice`);
                seen.add(k);
            });
            const maxBytes = Math.max(...parsed.map((p) => p.msg.bytes));
            const msgType = msgTypeFor(e.msgType, maxBytes, "the longest msg");
            const params: Record<string, string> = {};
            parsed.forEach((p, i) => {
                params[`rec_${i + 1}`] = p.receiver;
                params[`msg_${i + 1}`] = p.msg.text;
            });
            return {
                action,
                path: "/send_mass/",
                params: { ...params, cnt: String(parsed.length), ...sendOptions(e, msgType, now) },
                idempotent: false,
                sendsMessages: true,
                logFields: { receivers: parsed.slice(0, 5).map((p) => maskPhone(p.receiver)), receiverCount: parsed.length, msgBytesMax: maxBytes, msgType, testMode: e.testMode === true, reserved: e.reserveAt !== undefined },
            };
        }
        case "remain":
            return { action, path: "/remain/", params: {}, idempotent: true, sendsMessages: false, logFields: {} };
        case "list":
            return {
                action,
                path: "/list/",
                params: defined({
                    page: int(e.page, "page", 1, 1_000_000),
                    page_size: int(e.pageSize, "pageSize", 30, 500),
                    start_date: yyyymmdd(e.startDate, "startDate"),
                    limit_day: int(e.limitDay, "limitDay", 1, 3_650),
                }),
                idempotent: true,
                sendsMessages: false,
                logFields: {},
            };
        case "detail": {
            const id = mid(e.mid);
            return {
                action,
                path: "/sms_list/",
                params: defined({ mid: id, page: int(e.page, "page", 1, 1_000_000), page_size: int(e.pageSize, "pageSize", 30, 500) }),
                idempotent: true,
                sendsMessages: false,
                logFields: { mid: id },
            };
        }
        case "cancel": {
            const id = mid(e.mid);
            return { action, path: "/cancel/", params: { mid: id }, idempotent: false, sendsMessages: false, logFields: { mid: id } };
        }
        default: {
            const unreachable: never = action;
            throw new Error(`unhandled action ${String(unreachable)}`);
        }
    }
}
