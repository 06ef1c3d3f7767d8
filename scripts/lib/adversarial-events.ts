// The bad events of `npm run adversarial`: events the SMS function must refuse (INVALID_INPUT, the
// one code docs/sms-function.md gives a wrong event) before any request leaves. Each is JSON text,
// as Lambda hands the runtime its payload: `{"__proto__": …}` is then an own field, as on Lambda.

export interface BadEvent {
    name: string;
    /** The event as the JSON text Lambda receives. */
    payload: string;
    /** Whether the event names send or sendMass as its own action: its refusal must say maybeSent: false. */
    send: boolean;
}

const RECEIVER = "010-2345-6789";
const SEND = { action: "send", receiver: RECEIVER, msg: "안녕하세요" } as const;
const MASS_ITEM = { receiver: RECEIVER, msg: "안녕하세요" } as const;
/** A message over 90 bytes, so that msgType is LMS and a title travels. */
const LONG = "가".repeat(60);

const event = (name: string, value: unknown): BadEvent => ({
    name,
    payload: JSON.stringify(value),
    send: isSend(value),
});
const text = (name: string, payload: string): BadEvent => ({ name, payload, send: isSend(JSON.parse(payload)) });

function isSend(v: unknown): boolean {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
    if (!Object.prototype.hasOwnProperty.call(v, "action")) return false;
    const action = (v as { action?: unknown }).action;
    return action === "send" || action === "sendMass";
}

const send = (name: string, fields: Record<string, unknown>) => event(name, { ...SEND, ...fields });
const mass = (name: string, messages: unknown, extra: Record<string, unknown> = {}) =>
    event(name, { action: "sendMass", messages, ...extra });

function notObjects(): BadEvent[] {
    return [null, true, false, 0, 1, -1, 3.14, "", "send", '{"action":"send"}', [], [SEND], ["send"]].map((v) =>
        event(`not an object: ${JSON.stringify(v).slice(0, 30)}`, v),
    );
}

function badActions(): BadEvent[] {
    const actions: unknown[] = [null, "", "SEND", "send ", " send", 1, true, ["send"], {}, "sendmass", "delete"];
    actions.push("__proto__", "constructor", "toString", "hasOwnProperty", "egress_ip", "send\u200B", "ｓｅｎｄ");
    return [
        event("no action", { receiver: RECEIVER, msg: "x" }),
        event("empty object", {}),
        ...actions.map((a) => event(`action ${JSON.stringify(a)}`, { ...SEND, action: a })),
    ];
}

function badSendFields(): BadEvent[] {
    const { receiver: _r, ...noReceiver } = SEND;
    const { msg: _m, ...noMsg } = SEND;
    const receivers: unknown[] = [null, 1023456789, [], "", ",", [null], {}, true, [[RECEIVER]]];
    const msgs: unknown[] = [null, 123, [], {}, true, "", ["hi"]];
    return [
        event("send without receiver", noReceiver),
        event("send without msg", noMsg),
        ...receivers.map((r) => send(`receiver ${JSON.stringify(r)}`, { receiver: r })),
        ...msgs.map((m) => send(`msg ${JSON.stringify(m)}`, { msg: m })),
    ];
}

/** Texts that show nothing: white space of every kind and invisible characters. */
export const BLANKS = [
    " ",
    "   ",
    "\u3000",
    "\u3000\u3000",
    "\u200B",
    "\n\t",
    "\r\n",
    "\u00A0",
    "\u2028",
    "\uFEFF",
    "\u200D\u200C",
    "\u3164",
    "\u115F\u1160",
    "\u2800",
    "\u2060",
    "\u00AD",
    "\u034F",
    "\uFE0F",
    " \u200B \u3000\n",
    "\u180E",
];

function blanks(): BadEvent[] {
    const j = (s: string) => JSON.stringify(s);
    return [
        ...BLANKS.map((b) => send(`blank msg ${j(b)}`, { msg: b })),
        ...[" ", "\u3000", "\u200B", "\n\t", "\u3164"].map((b) =>
            send(`blank LMS title ${j(b)}`, { msg: LONG, msgType: "LMS", title: b }),
        ),
        send("blank title, LMS chosen by length", { msg: LONG, title: "\u3000 " }),
        ...[" ", "\u3000", "\u200B", "\n\t", ""].map((b) =>
            mass(`blank sendMass msg ${j(b)}`, [MASS_ITEM, { receiver: "010-3456-7890", msg: b }]),
        ),
    ];
}

function badNumbers(): BadEvent[] {
    const numbers = [
        "0101234567",
        "010123456789",
        "02-123-4567",
        "01512345678",
        "+1 010 9876 5432",
        "+82 2 123 4567",
        "abc",
        "010-1234-567a",
        "０１０-９８７６-５４３２",
        "010_9876_5432",
        "1012345678",
        "0010 9876 5432",
        "82 10 9876 5432",
        "011123456",
        "010-9876-5432 ext. 1",
        "010\u200B9876\u200B5432",
        "📱01098765432",
        `${RECEIVER},02-123-4567`,
        `${RECEIVER},,010-3456-7890`,
        `${RECEIVER},01023456789`,
    ];
    return [
        ...numbers.map((n) => send(`receiver ${JSON.stringify(n)}`, { receiver: n })),
        send("a list with a number as a number", { receiver: [RECEIVER, 1034567890] }),
        send("the same number twice in a list", { receiver: ["01023456789", "+82 10-2345-6789"] }),
        mass("a sendMass number that is not one", [{ receiver: "02-123-4567", msg: "x" }]),
    ];
}

const numbersFrom = (n: number) => Array.from({ length: n }, (_, i) => `010${String(10_000_000 + i).slice(-8)}`);

function tooMany(): BadEvent[] {
    const numbers = numbersFrom(501);
    return [
        send("1,001 receivers in a list", { receiver: numbersFrom(1_001) }),
        send("1,001 receivers in a string", { receiver: numbersFrom(1_001).join(",") }),
        mass(
            "501 sendMass messages",
            numbers.map((receiver, i) => ({ receiver, msg: `m${i}` })),
        ),
        mass("no sendMass messages", []),
        mass("sendMass messages not a list", MASS_ITEM),
        mass("sendMass message null", [null]),
        mass("sendMass message a string", [RECEIVER]),
        mass("sendMass message with an extra field", [{ ...MASS_ITEM, extra: 1 }]),
        mass("sendMass message without msg", [{ receiver: RECEIVER }]),
        mass("sendMass message without receiver", [{ msg: "x" }]),
        mass("the same sendMass pair twice", [MASS_ITEM, { ...MASS_ITEM, receiver: "01023456789" }]),
        mass("sendMass with a receiver field", [MASS_ITEM], { receiver: RECEIVER }),
    ];
}

function badLengthsAndTypes(): BadEvent[] {
    return [
        send("msg of 2,001 bytes", { msg: "x".repeat(2_001) }),
        send("msg of 1,001 Hangul (2,002 bytes)", { msg: "가".repeat(1_001) }),
        send("msgType SMS over 90 bytes", { msg: "x".repeat(91), msgType: "SMS" }),
        ...["MMS", "sms", "lms", null, 1, ""].map((t) => send(`msgType ${JSON.stringify(t)}`, { msgType: t })),
        send("title on an explicit SMS", { msgType: "SMS", title: "제목" }),
        send("title of 45 bytes", { msg: LONG, title: "x".repeat(45) }),
        send("title of 23 Hangul (46 bytes)", { msg: LONG, title: "가".repeat(23) }),
        send("title a number", { msg: LONG, title: 123 }),
        send("title empty", { msg: LONG, title: "" }),
        ...["true", 1, "Y", null, 0].map((t) => send(`testMode ${JSON.stringify(t)}`, { testMode: t })),
    ];
}

/** reserveAt values that are wrong whenever the run is made (`now` places the relative ones). */
function badReservations(now: Date): BadEvent[] {
    const iso = (ms: number) => new Date(now.getTime() + ms).toISOString().replace(/\.\d+Z$/, "Z");
    const values: unknown[] = [
        "2026-12-01 09:30",
        "2027-02-30T09:30:00+09:00",
        `${now.getUTCFullYear() + 1}-01-01T24:30:00+09:00`,
        `${now.getUTCFullYear() + 1}-01-01T09:30:00+14:59`,
        `${now.getUTCFullYear() + 1}-01-01T09:30:00+09:15`,
        `${now.getUTCFullYear() + 1}-01-01T09:30:00-13:00`,
        `${now.getUTCFullYear() + 1}-01-01T09:30:00+15:00`,
        "2020-01-01T00:00:00+09:00",
        iso(5 * 60_000),
        iso(2 * 366 * 86_400_000),
        now.getTime() + 86_400_000,
        {},
        `${now.getUTCFullYear() + 1}-01-01T09:30:00`,
        `${now.getUTCFullYear() + 1}-01-01T09:30:00+0900`,
        `${now.getUTCFullYear() + 1}-13-01T09:30:00+09:00`,
        `${now.getUTCFullYear() + 1}-01-01T09:60:00+09:00`,
        `${now.getUTCFullYear() + 1}-01-01T09:30:60+09:00`,
        "",
        "tomorrow",
        "2027-02-29T09:30:00+09:00",
    ];
    return values.map((v) => send(`reserveAt ${JSON.stringify(v)}`, { reserveAt: v }));
}

function unknownFields(): BadEvent[] {
    const extras: Record<string, unknown>[] = [
        { reciever: RECEIVER },
        { Action: "send" },
        { extra: 1 },
        { msg_type: "SMS" },
        { key: "guess" },
        { user_id: "someone" },
        { sender: "0299999999" },
        { testmode_yn: "Y" },
        { rdate: "20270101" },
        { warmer: true },
        { warmer: false },
        { "": 1 },
        { "01098765432": 1 },
        { ["k".repeat(10_000)]: 1 },
    ];
    return [
        ...extras.map((x) => send(`send with ${JSON.stringify(x).slice(0, 40)}`, x)),
        event("list with a receiver", { action: "list", receiver: RECEIVER }),
        event("remain with a msg", { action: "remain", msg: "x" }),
        event("cancel with a page", { action: "cancel", mid: "1", page: 1 }),
        event("egress-ip with a field", { action: "egress-ip", x: 1 }),
    ];
}

/** Keys that pollute or shadow a prototype, written as JSON text so that they are own fields. */
function prototypeKeys(): BadEvent[] {
    const s = JSON.stringify(SEND).slice(1, -1);
    const m = JSON.stringify(MASS_ITEM).slice(1, -1);
    return [
        text("send with __proto__", `{${s},"__proto__":{"testMode":true}}`),
        text("send fields only in __proto__", `{"action":"send","__proto__":{"receiver":"${RECEIVER}","msg":"hi"}}`),
        text("action only in __proto__", '{"__proto__":{"action":"remain"}}'),
        text("constructor.prototype.action", '{"constructor":{"prototype":{"action":"remain"}}}'),
        text("send with constructor", `{${s},"constructor":{}}`),
        text("send with prototype", `{${s},"prototype":1}`),
        text("sendMass item with __proto__", `{"action":"sendMass","messages":[{${m},"__proto__":{"x":1}}]}`),
        text("sendMass item with constructor", `{"action":"sendMass","messages":[{${m},"constructor":1}]}`),
        text("remain with __proto__ null", '{"action":"remain","__proto__":null}'),
        text("ping with __proto__", '{"warmer":true,"__proto__":{"x":1}}'),
        text("send with toString", `{${s},"toString":"x"}`),
        text("send with hasOwnProperty", `{${s},"hasOwnProperty":1}`),
        text("send with valueOf", `{${s},"valueOf":1}`),
        text("sendMass messages via __proto__", `{"action":"sendMass","__proto__":{"messages":[{${m}}]}}`),
    ];
}

const MB = 1024 * 1024;

function hugeValues(): BadEvent[] {
    return [
        send("a 6 MB msg", { msg: "가".repeat((6 * MB) / 3 - 30) }),
        send("a 6 MB receiver", { receiver: "0".repeat(6 * MB - 100) }),
        send("half a million receivers in a string", { receiver: numbersFrom(500_000).join(",") }),
        send("a 1 MB unknown field", { note: "x".repeat(MB) }),
        event("a 1 MB action", { ...SEND, action: "s".repeat(MB) }),
        send("a 1 MB title", { msg: LONG, title: "가".repeat(MB / 2) }),
        send("a 1 MB reserveAt", { reserveAt: "2".repeat(MB) }),
        event("a 1 MB mid", { action: "detail", mid: "9".repeat(MB) }),
        event("a 1 MB correlationId beside an unknown field", { warmer: true, correlationId: "c".repeat(MB), x: 1 }),
    ];
}

/** An event of `n` fields: `own`, then k0, k1, … each 1. */
function manyFields(n: number, own: Record<string, unknown>): string {
    const parts = Object.entries(own).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    for (let i = 0; parts.length < n; i++) parts.push(`"k${i}":1`);
    return `{${parts.join(",")}}`;
}

function manyFieldEvents(): BadEvent[] {
    return [
        text("a send with 400,000 fields", manyFields(400_000, SEND)),
        text("400,000 fields and no action", manyFields(400_000, {})),
        text("a ping with 400,000 fields", manyFields(400_000, { warmer: true })),
        text("a send with 101 fields", manyFields(101, SEND)),
        text("remain with 101 fields", manyFields(101, { action: "remain" })),
    ];
}

/** Events that look like a warm-up ping and are not one: docs/sms-function.md, "Events and answers". */
function pingLookAlikes(): BadEvent[] {
    const pings: Record<string, unknown>[] = [
        { warmer: "true" },
        { warmer: 1 },
        { warmer: true, extra: 1 },
        { warmer: true, concurrency: 2, x: 1 },
        { Warmer: true },
        { warmer: null },
        { warmer: false },
        { warmer: true, balance: true, receiver: RECEIVER },
        { warmer: [true] },
        { warmer: {} },
        { warmer: true, correlationId: "x", msg: "hi" },
        { warmer: true, action: "remain" },
        { action: "remain", warmer: true, concurrency: 2 },
        { warmer: "yes", concurrency: 3 },
    ];
    return pings.map((p) => event(`ping look-alike ${JSON.stringify(p).slice(0, 50)}`, p));
}

function badReads(): BadEvent[] {
    const list: unknown[] = [
        { page: 0 },
        { page: -1 },
        { page: 1.5 },
        { page: "1" },
        { pageSize: 10_000 },
        { pageSize: 29 },
        { startDate: "2026-13-01" },
        { startDate: 20260101 },
        { startDate: "00000101" },
        { startDate: "99991231" },
        { startDate: "20260230" },
        { limitDay: "7" },
        { limitDay: 0 },
    ];
    const mids: unknown[] = [undefined, 0, "0123", -5, 1.5, "abc", 2 ** 53 + 2, "", "1".repeat(21), null, {}, [1]];
    return [
        ...list.map((l) => event(`list ${JSON.stringify(l)}`, { action: "list", ...(l as object) })),
        ...mids.map((m) => event(`detail mid ${JSON.stringify(m) ?? "missing"}`, { action: "detail", mid: m })),
        event("detail with page 0", { action: "detail", mid: "1", page: 0 }),
        ...[undefined, null, {}, "x1"].map((m) =>
            event(`cancel mid ${JSON.stringify(m) ?? "missing"}`, { action: "cancel", mid: m }),
        ),
    ];
}

/**
 * Every bad event, each distinct (`now` places the reservations that are relative to it); without
 * the huge ones (6 MB values, 400,000 fields: seconds to build) when `huge` is false.
 */
export function badEvents(now: Date, { huge = true } = {}): BadEvent[] {
    return [
        ...notObjects(),
        ...badActions(),
        ...badSendFields(),
        ...blanks(),
        ...badNumbers(),
        ...tooMany(),
        ...badLengthsAndTypes(),
        ...badReservations(now),
        ...unknownFields(),
        ...prototypeKeys(),
        ...(huge ? [...hugeValues(), ...manyFieldEvents()] : []),
        ...pingLookAlikes(),
        ...badReads(),
    ];
}
