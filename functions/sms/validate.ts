// Turns an invocation event into the Aligo request to make, or an INVALID_INPUT error. Pure: no
// I/O, so every rule here is decided before any request leaves.
import { eucKrBytes, LMS_MAX_BYTES, SMS_MAX_BYTES, TITLE_MAX_BYTES } from "../shared/bytes";
import { echo, ECHO_CHARS, maskedPrefix } from "../shared/echo";
import { maskPhone } from "../shared/log";
import { MESSAGES } from "./messages";

export class InvalidInput extends Error {
    /** The field's name as given (bounded and masked, like any value quoted back). */
    readonly field: string;
    constructor(field: string, message: string) {
        const safe = fieldName(field);
        super(`${safe}: ${message}`);
        this.field = safe;
    }
}

/** A field name as it may be quoted back: a caller's unknown key can be anything. */
function fieldName(name: string): string {
    const shown = maskedPrefix(name, ECHO_CHARS);
    return name.length <= ECHO_CHARS ? shown : `${shown}…`;
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

/**
 * The most fields an event may have. The largest valid one has 7 (a send); an event with hundreds of
 * thousands (Lambda takes 6 MB) is refused on its count, before any field of it is read or copied.
 */
export const MAX_EVENT_FIELDS = 100;
/** How many unknown fields a refusal names. */
const NAMED_FIELDS = 5;

export const MAX_RECEIVERS = 1_000;
export const MAX_MASS = 500;
/** Aligo wants a reservation at least this far ahead. */
export const MIN_RESERVE_MS = 10 * 60_000;
/**
 * The furthest reservation accepted, in calendar years. Aligo's API spec gives no upper bound (rdate
 * only has to be today or later); one year is our own bound, so that a typo in the year (2062 for
 * 2026) is caught here rather than booked.
 */
export const MAX_RESERVE_YEARS = 1;
/** Korea Standard Time, UTC+9 all year: Korea has no daylight saving time. */
const KST_OFFSET_MS = 9 * 3_600_000;
/**
 * The UTC offsets in use: from -12:00 to +14:00 (Baker Island to Kiribati's Line Islands), in whole
 * hours, or with :30 or :45 minutes (India +05:30, Nepal +05:45, Chatham +12:45, Marquesas -09:30).
 * Wikipedia, "List of UTC offsets", https://en.wikipedia.org/wiki/List_of_UTC_offsets (read 2026-12-02).
 */
const MIN_OFFSET_MINUTES = -12 * 60;
const MAX_OFFSET_MINUTES = 14 * 60;
/** The first year a `startDate` may name (our own bound: an earlier year is a typo, not a search). */
export const MIN_START_YEAR = 2000;

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The object's own enumerable fields only, in an object without a prototype: nothing inherited is read. */
function ownFields(v: Record<string, unknown>): Record<string, unknown> {
    return Object.assign(Object.create(null) as Record<string, unknown>, v);
}

/** Strips hyphens, spaces and dots; `+82 10…` becomes `010…`; checks it is a Korean mobile number. */
export function normalizeMobile(raw: unknown, field: string): string {
    if (typeof raw !== "string" && typeof raw !== "number")
        throw new InvalidInput(field, "must be a phone number string");
    let n = String(raw).replace(/[-\s.()]/g, "");
    if (n.startsWith("+82")) n = `0${n.slice(3).replace(/^0/, "")}`;
    if (!/^(010\d{8}|01[16789]\d{7,8})$/.test(n)) {
        throw new InvalidInput(field, MESSAGES.notMobile(JSON.stringify(maskPhone(n.slice(0, ECHO_CHARS))), n.length));
    }
    return n;
}

/**
 * A character someone can see: not white space (any kind: tab, newline, the ideographic space
 * U+3000, no-break spaces), not a format character (Unicode's Cf: zero-width space and joiners, soft
 * hyphen, word joiner, BOM, direction marks), not one Unicode marks as ignorable when shown
 * (Default_Ignorable_Code_Point: the Hangul fillers U+3164, U+115F, U+1160, U+FFA0, variation
 * selectors, tags), and not the blank Braille pattern U+2800, which shows as a space.
 */
const VISIBLE = /[^\s\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** Whether a text shows nothing: empty, or only white space and invisible characters. */
export function isBlank(text: string): boolean {
    return !VISIBLE.test(text);
}

function message(raw: unknown, field: string): { text: string; bytes: number } {
    if (typeof raw !== "string" || raw.length === 0) throw new InvalidInput(field, "must be a non-empty string");
    if (isBlank(raw)) throw new InvalidInput(field, MESSAGES.blank(raw.length));
    const bytes = eucKrBytes(raw);
    if (bytes > LMS_MAX_BYTES) throw new InvalidInput(field, MESSAGES.tooManyBytes(bytes, LMS_MAX_BYTES));
    return { text: raw, bytes };
}

function msgTypeFor(given: unknown, maxBytes: number, field: string): "SMS" | "LMS" {
    if (given === undefined) return maxBytes <= SMS_MAX_BYTES ? "SMS" : "LMS";
    if (given !== "SMS" && given !== "LMS") throw new InvalidInput("msgType", `${echo(given)} is not one of SMS, LMS`);
    if (given === "SMS" && maxBytes > SMS_MAX_BYTES) {
        throw new InvalidInput("msgType", MESSAGES.smsTooLong(SMS_MAX_BYTES, field, maxBytes));
    }
    return given;
}

function title(raw: unknown, msgType: "SMS" | "LMS", explicitType: boolean): string | undefined {
    if (raw === undefined) return undefined;
    if (typeof raw !== "string" || raw.length === 0) throw new InvalidInput("title", "must be a non-empty string");
    if (isBlank(raw)) throw new InvalidInput("title", MESSAGES.blank(raw.length));
    const bytes = eucKrBytes(raw);
    if (bytes > TITLE_MAX_BYTES) throw new InvalidInput("title", `is ${bytes} bytes; at most ${TITLE_MAX_BYTES}`);
    if (msgType === "SMS" && explicitType)
        throw new InvalidInput("title", "SMS has no title; use msgType LMS or drop the title");
    // With msgType chosen by length, a title only travels with an LMS.
    return msgType === "LMS" ? raw : undefined;
}

function testMode(raw: unknown): Record<string, string> {
    if (raw === undefined || raw === false) return {};
    if (raw !== true) throw new InvalidInput("testMode", "must be true or false");
    return { testmode_yn: "Y" };
}

const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * `reserveAt` (ISO 8601 with a zone) → Aligo's rdate/rtime in Korea time. The date must exist on
 * the calendar as written (2027-02-30 is refused, not read as March 2nd), and lie between 10
 * minutes and one year ahead.
 */
export function reservation(raw: unknown, now: Date): Record<string, string> {
    if (raw === undefined) return {};
    const m = typeof raw === "string" ? ISO_WITH_ZONE.exec(raw) : null;
    if (!m) throw new InvalidInput("reserveAt", MESSAGES.notIsoWithZone(echo(raw)));
    const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number);
    const offsetMinutes = m[7] ? 0 : (m[8] === "-" ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
    if (
        offsetMinutes < MIN_OFFSET_MINUTES ||
        offsetMinutes > MAX_OFFSET_MINUTES ||
        !["00", "30", "45"].includes(m[10] ?? "00")
    ) {
        throw new InvalidInput("reserveAt", MESSAGES.offsetNoPlaceUses(echo(raw)));
    }
    const offsetMs = offsetMinutes * 60_000;
    const utc = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMs;
    // Round trip: the instant, shown back in the given offset, must have the fields as written.
    const back = new Date(utc + offsetMs);
    const exists =
        back.getUTCFullYear() === year &&
        back.getUTCMonth() === month - 1 &&
        back.getUTCDate() === day &&
        back.getUTCHours() === hour &&
        back.getUTCMinutes() === minute &&
        back.getUTCSeconds() === second;
    if (!exists) throw new InvalidInput("reserveAt", MESSAGES.noSuchDateTime(echo(raw)));
    // Aligo takes minutes: seconds are dropped, so check the time that will actually be sent.
    const at = Math.floor(utc / 60_000) * 60_000;
    const ahead = at - now.getTime();
    if (ahead < MIN_RESERVE_MS) {
        throw new InvalidInput("reserveAt", MESSAGES.reservedTooSoon(echo(raw), Math.floor(ahead / 60_000)));
    }
    // One calendar year: up to the same date and time next year (2026-11-25 → 2027-11-25).
    const limit = new Date(now.getTime());
    limit.setUTCFullYear(limit.getUTCFullYear() + MAX_RESERVE_YEARS);
    if (at > limit.getTime()) throw new InvalidInput("reserveAt", MESSAGES.reservedTooFar(echo(raw)));
    const kst = new Date(at + KST_OFFSET_MS).toISOString(); // yyyy-mm-ddThh:mm in KST
    return { rdate: kst.slice(0, 10).replace(/-/g, ""), rtime: kst.slice(11, 16).replace(":", "") };
}

function int(raw: unknown, field: string, min: number, max: number): string | undefined {
    if (raw === undefined) return undefined;
    if (typeof raw !== "number" || !Number.isInteger(raw) || raw < min || raw > max) {
        throw new InvalidInput(field, `${echo(raw)} is not a whole number from ${min} to ${max}`);
    }
    return String(raw);
}

/**
 * A calendar date as a string YYYYMMDD (2026-02-31 does not exist and is refused), from the year
 * MIN_START_YEAR to the end of next year (Korea time): 00000101 or 99991231 is a typo, not a search.
 */
function yyyymmdd(raw: unknown, field: string, now: Date): string | undefined {
    if (raw === undefined) return undefined;
    const s = typeof raw === "string" ? raw : "";
    const d = new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T00:00:00Z`);
    if (!/^\d{8}$/.test(s) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10).replace(/-/g, "") !== s) {
        throw new InvalidInput(field, `${echo(raw)} is not a date as a string YYYYMMDD`);
    }
    const first = `${MIN_START_YEAR}0101`;
    const last = `${new Date(now.getTime() + KST_OFFSET_MS).getUTCFullYear() + 1}1231`;
    if (s < first || s > last) throw new InvalidInput(field, MESSAGES.dateOutOfRange(echo(raw), first, last, s));
    return s;
}

/** An Aligo message id: a string of digits (not 0, no leading zero), or a positive whole number JavaScript holds exactly. */
function mid(raw: unknown): string {
    const s = typeof raw === "number" ? (Number.isSafeInteger(raw) && raw > 0 ? String(raw) : undefined) : raw;
    if (typeof s !== "string" || !/^[1-9]\d{0,19}$/.test(s)) {
        const tooLarge = typeof raw === "number" && Number.isInteger(raw) && !Number.isSafeInteger(raw);
        throw new InvalidInput("mid", MESSAGES.notMessageId(echo(raw), tooLarge));
    }
    return s;
}

/** The fields send and sendMass share: type, title, reservation, test mode. */
function sendOptions(e: Record<string, unknown>, msgType: "SMS" | "LMS", now: Date): Record<string, string> {
    return defined({
        msg_type: msgType,
        title: title(e.title, msgType, e.msgType !== undefined),
        ...reservation(e.reserveAt, now),
        ...testMode(e.testMode),
    });
}

const defined = (o: Record<string, string | undefined>): Record<string, string> =>
    Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));

/** The action name of an event, validated; `egress-ip` has no Aligo request of its own. */
export type Action = (typeof ACTIONS)[number];

/** The event's own `action` when it names one, valid or not otherwise: what a failure is logged and answered as. */
export function claimedAction(event: unknown): Action | undefined {
    // Read as the event's own field, without copying the event (it may have been refused for its size).
    const action =
        isObject(event) && Object.prototype.hasOwnProperty.call(event, "action")
            ? (event as { action?: unknown }).action
            : undefined;
    return typeof action === "string" && (ACTIONS as readonly string[]).includes(action)
        ? (action as Action)
        : undefined;
}

/**
 * The event's own field names, once it is known to be an object with a sane number of them: checked
 * first, before anything else reads or copies it (Object.keys makes no copy of the values).
 */
export function eventFields(event: unknown): string[] {
    if (!isObject(event)) throw new InvalidInput("event", "must be a JSON object with an action");
    const keys = Object.keys(event);
    if (keys.length > MAX_EVENT_FIELDS) {
        const known = new Set([...Object.values(ALLOWED_KEYS).flat(), ...PING_KEYS]);
        const unknown: string[] = [];
        for (const k of keys) if (!known.has(k) && unknown.push(k) >= NAMED_FIELDS) break;
        throw new InvalidInput("event", MESSAGES.tooManyFields(keys.length, MAX_EVENT_FIELDS, named(unknown)));
    }
    return keys;
}

/** Field names as a refusal lists them: each bounded and masked, at most NAMED_FIELDS, then how many more. */
function named(names: string[], total = names.length): string {
    const shown = names.slice(0, NAMED_FIELDS).map((n) => JSON.stringify(fieldName(n)));
    return total > NAMED_FIELDS ? `${shown.join(", ")} and ${total - NAMED_FIELDS} more` : shown.join(", ");
}

/** The fields a warm-up ping may have; `warmer: true` is the one that makes it a ping. */
export const PING_KEYS: readonly string[] = ["warmer", "concurrency", "correlationId", "balance"];

export interface WarmerPing {
    warmer: true;
    concurrency?: unknown;
    correlationId?: unknown;
    balance?: unknown;
}

/**
 * The event as a warm-up ping (its own fields, copied), or undefined when it is not one. A ping has
 * its own `warmer: true` and no field but PING_KEYS. An event with its own `warmer` and no `action`
 * that is not quite a ping (a field a ping does not have, `warmer: "true"`) is refused, naming what
 * does not belong; `warmer` beside an `action`, or inherited through the prototype, goes through the
 * normal validation, which refuses it. A send can never be answered with a warm-up answer.
 */
export function pingOf(event: Record<string, unknown>, keys: string[]): WarmerPing | undefined {
    if (!keys.includes("warmer") || keys.includes("action")) return undefined;
    const extra = keys.filter((k) => !PING_KEYS.includes(k));
    if (extra.length > 0) {
        const others = extra.length - 1;
        throw new InvalidInput(extra[0], MESSAGES.notPingFields(named(extra.slice(1), others), others, PING_KEYS));
    }
    const own = ownFields(event);
    if (own.warmer !== true) throw new InvalidInput("warmer", MESSAGES.pingNotTrue(echo(own.warmer)));
    return own as unknown as WarmerPing;
}

/** The event's action, validated, with its fields ({@link eventFields}): none but the action's own. */
export function actionOf(event: Record<string, unknown>, keys: string[]): Action {
    const action = ownFields(event).action;
    if (typeof action !== "string" || !(ACTIONS as readonly string[]).includes(action)) {
        throw new InvalidInput("action", `${echo(action)} is not one of ${ACTIONS.join(", ")}`);
    }
    const unknown = keys.filter((k) => !ALLOWED_KEYS[action].includes(k));
    if (unknown.length > 0) {
        throw new InvalidInput(unknown[0], MESSAGES.notAFieldOf(action, ALLOWED_KEYS[action]));
    }
    return action as Action;
}

/** The Aligo request for an event whose action {@link actionOf} has already validated. */
export function planRequest(action: Exclude<Action, "egress-ip">, event: unknown, now: Date): Plan {
    const e = ownFields(event as Record<string, unknown>);
    switch (action) {
        case "send":
            return planSend(e, now);
        case "sendMass":
            return planSendMass(e, now);
        case "remain":
            return { action, path: "/remain/", params: {}, idempotent: true, sendsMessages: false, logFields: {} };
        case "list":
            return {
                action,
                path: "/list/",
                params: defined({
                    page: int(e.page, "page", 1, 1_000_000),
                    page_size: int(e.pageSize, "pageSize", 30, 500),
                    start_date: yyyymmdd(e.startDate, "startDate", now),
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
                params: defined({
                    mid: id,
                    page: int(e.page, "page", 1, 1_000_000),
                    page_size: int(e.pageSize, "pageSize", 30, 500),
                }),
                idempotent: true,
                sendsMessages: false,
                logFields: { mid: id },
            };
        }
        case "cancel": {
            const id = mid(e.mid);
            return {
                action,
                path: "/cancel/",
                params: { mid: id },
                idempotent: false,
                sendsMessages: false,
                logFields: { mid: id },
            };
        }
        default: {
            const unreachable: never = action;
            throw new Error(`unhandled action ${String(unreachable)}`);
        }
    }
}

/** `send`: one message to up to MAX_RECEIVERS numbers, each at most once. */
function planSend(e: Record<string, unknown>, now: Date): Plan {
    const list = typeof e.receiver === "string" ? e.receiver.split(",") : e.receiver;
    if (!Array.isArray(list) || list.length === 0)
        throw new InvalidInput("receiver", "must be a phone number or a non-empty list of them");
    if (list.length > MAX_RECEIVERS)
        throw new InvalidInput("receiver", `has ${list.length} numbers; at most ${MAX_RECEIVERS}`);
    const receivers = list.map((r, i) => normalizeMobile(r, `receiver[${i}]`));
    const dup = receivers.find((r, i) => receivers.indexOf(r) !== i);
    if (dup) throw new InvalidInput("receiver", MESSAGES.receiverTwice(maskPhone(dup)));
    const msg = message(e.msg, "msg");
    const msgType = msgTypeFor(e.msgType, msg.bytes, "msg");
    return {
        action: "send",
        path: "/send/",
        params: { receiver: receivers.join(","), msg: msg.text, ...sendOptions(e, msgType, now) },
        idempotent: false,
        sendsMessages: true,
        logFields: {
            receivers: receivers.slice(0, 5).map(maskPhone),
            receiverCount: receivers.length,
            msgBytes: msg.bytes,
            msgType,
            testMode: e.testMode === true,
            reserved: e.reserveAt !== undefined,
        },
    };
}

/** `sendMass`: up to MAX_MASS { receiver, msg } pairs, no pair twice; one message type for all. */
function planSendMass(e: Record<string, unknown>, now: Date): Plan {
    const parsed = massMessages(e.messages);
    const maxBytes = Math.max(...parsed.map((p) => p.msg.bytes));
    const msgType = msgTypeFor(e.msgType, maxBytes, "the longest msg");
    const params: Record<string, string> = {};
    parsed.forEach((p, i) => {
        params[`rec_${i + 1}`] = p.receiver;
        params[`msg_${i + 1}`] = p.msg.text;
    });
    return {
        action: "sendMass",
        path: "/send_mass/",
        params: { ...params, cnt: String(parsed.length), ...sendOptions(e, msgType, now) },
        idempotent: false,
        sendsMessages: true,
        logFields: {
            receivers: parsed.slice(0, 5).map((p) => maskPhone(p.receiver)),
            receiverCount: parsed.length,
            msgBytesMax: maxBytes,
            msgType,
            testMode: e.testMode === true,
            reserved: e.reserveAt !== undefined,
        },
    };
}

/** sendMass's `messages`, each checked and normalised; the same message to the same number twice is refused. */
function massMessages(items: unknown): { receiver: string; msg: { text: string; bytes: number } }[] {
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_MASS) {
        throw new InvalidInput("messages", `must be a list of 1 to ${MAX_MASS} { receiver, msg } objects`);
    }
    const parsed = items.map((item: unknown, i) => {
        if (!isObject(item)) throw new InvalidInput(`messages[${i}]`, "must be an object { receiver, msg }");
        const extra = Object.keys(item).filter((k) => k !== "receiver" && k !== "msg");
        if (extra.length > 0)
            throw new InvalidInput(`messages[${i}].${extra[0]}`, "is not a field (allowed: receiver, msg)");
        const own = ownFields(item);
        return {
            receiver: normalizeMobile(own.receiver, `messages[${i}].receiver`),
            msg: message(own.msg, `messages[${i}].msg`),
        };
    });
    const seen = new Set<string>();
    parsed.forEach((p, i) => {
        const k = `${p.receiver}\u0000${p.msg.text}`;
        if (seen.has(k)) throw new InvalidInput(`messages[${i}]`, MESSAGES.massRepeat(maskPhone(p.receiver)));
        seen.add(k);
    });
    return parsed;
}
