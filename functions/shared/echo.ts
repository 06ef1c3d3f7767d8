// Quoting a caller's values back, in answers and in log lines: never more than a few dozen
// characters, and never a phone number in the clear, wherever it sits and however it is written.
import { maskPhone } from "./log";

/** At most this many characters of a value are quoted. */
export const ECHO_CHARS = 40;

/**
 * The dashes: Unicode's Dash_Punctuation (Pd) in the BMP, listed (the same set as `\p{Pd}` in
 * Node 20). `\p{Pd}` needs a Unicode-mode pattern, which took ~0.7 ms more to compile at cold start.
 */
const DASHES =
    "\\-\\u058A\\u05BE\\u1400\\u1806\\u2010-\\u2015\\u2E17\\u2E1A\\u2E3A\\u2E3B\\u2E40\\u2E5D\\u301C\\u3030\\u30A0\\uFE31\\uFE32\\uFE58\\uFE63\\uFF0D";

/**
 * What people put between the digits of a phone number, at most eight in a row (aligned columns;
 * the bound keeps a match under MATCH_SPAN characters, so masking only the start of a long text is
 * enough for what is shown of it): white space of any kind (tab, newline, ideographic space), any
 * dash (`-`, `‐`, `–`, `—`, `－`, `〜`), the minus sign `−`, `~`, `.`, `(`, `)`, `_`, `/`, `:`, `|`,
 * invisible ones (soft hyphen, zero-width space and joiners, word joiner), and middle dots (`·`, `•`,
 * `‧`, `・`, the Korean `ㆍ`). Not the comma, which separates numbers (`02,123,456,789`). Full-width
 * forms count as their ASCII selves (see matchingView); U+FFFF is the filler matchingView puts after
 * a digit that takes two UTF-16 units.
 */
const SEP = `[\\s${DASHES}\\u2212~.()_/:|\\u00AD\\u200B-\\u200F\\u2060-\\u2064\\u00B7\\u2022\\u2027\\u30FB\\u318D\\uFF65\\uFFFF]{0,8}`;

/**
 * A Korean phone number as people write it, not inside a longer run of digits: a trunk 0, or the
 * country code (+82, 0082, 82, optionally "(0)") and an optional 0; then a mobile or area prefix
 * (010/011/016-019, 02, 031-065, 070); then 7 or 8 more digits; separators between any two digits
 * (`0 1 0 1 2 3 4 5 6 7 8` is a number too). Dates (2027-02-30), message ids (583009869), addresses
 * (203.0.113.77) and short codes (1588-1234) do not fit it; two numbers side by side are two matches.
 */
const PHONE = new RegExp(
    `(?<!\\d\\uFFFF?)` +
        `(?:(?:\\+${SEP}|0${SEP}0${SEP})?8${SEP}2${SEP}(?:\\(${SEP}0${SEP}\\)${SEP})?(?:0${SEP})?|0${SEP})` +
        `(?:1${SEP}[016789]|2|[3-6]${SEP}[1-5]|7${SEP}0)` +
        `(?:${SEP}\\d){7,8}\\uFFFF?(?!\\uFFFF?\\d)`,
    "g",
);

/**
 * The text as the phone pattern reads it, the same length as the text: every character whose NFKC
 * form is one ASCII character stands as that character (`０` → `0`, `－` → `-`, `（` → `(`, U+3000 →
 * space, `𝟎` → `0` plus a filler), everything else as it is. Matching on this view and replacing
 * in the text leaves the text itself unchanged (NFKC would also rewrite Hangul jamo and the like).
 */
function matchingView(text: string): string {
    if (!/[\u0080-\uffff]/.test(text)) return text; // ASCII only: every character stands as it is
    let view = "";
    for (const ch of text) {
        if (ch.charCodeAt(0) < 0x80) {
            view += ch;
            continue;
        }
        const n = ch.normalize("NFKC");
        view += n.length === 1 && n.charCodeAt(0) < 0x80 ? (ch.length === 2 ? `${n}\uFFFF` : n) : ch;
    }
    return view;
}

/** Masks every phone number in `text`, wherever it sits (`010****5678`). */
export function maskPhones(text: string): string {
    const view = matchingView(text);
    let out = "";
    let from = 0;
    for (const m of view.matchAll(PHONE)) {
        out += text.slice(from, m.index) + maskPhone(m[0].replace(/\D/g, ""));
        from = m.index + m[0].length;
    }
    return from === 0 ? text : out + text.slice(from);
}

/**
 * The longest text one phone-number match can span (a country prefix and 11 digits, with up to 8
 * separators between any two): masking the first `n + MATCH_SPAN` characters of a text masks every
 * number that starts in its first `n`.
 */
const MATCH_SPAN = 200;

/**
 * The first `n` characters of `text` with every phone number in them masked, in time that does not
 * grow with the text: only a prefix is masked (a caller's value can be megabytes, and masking all
 * of it would cost seconds of the Lambda's time for 40 characters shown). Masking shortens a number
 * written with separators, so the prefix is taken long enough that what is shown lies at least
 * MATCH_SPAN characters before its end: a number that starts in it lies wholly inside and is masked.
 */
export function maskedPrefix(text: string, n: number): string {
    let take = n + MATCH_SPAN;
    for (;;) {
        if (text.length <= take) return maskPhones(text).slice(0, n);
        const masked = maskPhones(text.slice(0, take));
        if (masked.length >= n + MATCH_SPAN) return masked.slice(0, n);
        take += n + MATCH_SPAN - masked.length;
    }
}

/** `shown` (already masked) as a quote of a value whose own length is `length`: cut to ECHO_CHARS, with the length when cut. */
function clipped(shown: string, length: number): string {
    return length <= ECHO_CHARS && shown.length <= ECHO_CHARS
        ? shown
        : `${shown.slice(0, ECHO_CHARS)}… (${length} characters)`;
}

/** A caller's text (not JSON-quoted) as it may be quoted back: phone numbers masked, at most ECHO_CHARS characters, with its length when cut. */
export function quote(text: string): string {
    return clipped(maskedPrefix(text, ECHO_CHARS), text.length);
}

/**
 * The start of `value` as JSON (strings in quotes), at least `budget` characters when the whole is
 * longer, written without walking more of the value than that: a caller's object or list can be
 * huge. Strings and keys are masked before they are escaped (once escaped, a tab or a newline between
 * digits would be `\t`/`\n` and no longer read as one). Values JSON leaves out (undefined, functions)
 * are left out, or null in a list, as JSON does.
 */
function jsonPrefix(value: unknown, budget: number): string {
    let out = "";
    const str = (t: string) => JSON.stringify(maskedPrefix(t, budget));
    const walk = (v: unknown, inList: boolean): void => {
        if (out.length > budget) return;
        if (typeof v === "string") out += str(v);
        else if (typeof v === "number" || typeof v === "boolean" || v === null) out += JSON.stringify(v);
        else if (typeof v === "bigint") out += Object.prototype.toString.call(v);
        else if (typeof v !== "object") out += inList ? "null" : "";
        else if (Array.isArray(v)) {
            out += "[";
            for (let i = 0; i < v.length && out.length <= budget; i++) {
                if (i > 0) out += ",";
                walk(v[i], true);
            }
            out += "]";
        } else {
            out += "{";
            let first = true;
            for (const k in v) {
                if (out.length > budget) break;
                if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
                const x = (v as Record<string, unknown>)[k];
                if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
                out += `${first ? "" : ","}${str(k)}:`;
                first = false;
                walk(x, false);
            }
            out += "}";
        }
    };
    walk(value, false);
    return out;
}

/** The length of `value` as JSON (of its String when JSON has none: a cycle, a BigInt). */
function jsonLength(value: unknown): number {
    try {
        return (JSON.stringify(value) ?? String(value)).length;
    } catch {
        return Object.prototype.toString.call(value).length;
    }
}

/**
 * A caller's value as it may be quoted back: JSON-like (strings in quotes), phone numbers masked
 * (inside every string and key, then in the whole text), at most ECHO_CHARS characters, and when
 * cut, followed by the value's full length as JSON.
 */
export function echo(value: unknown): string {
    if (value === undefined || typeof value === "function" || typeof value === "symbol") return String(value);
    if (typeof value === "bigint") return Object.prototype.toString.call(value);
    let shown: string;
    try {
        shown = maskedJsonPrefix(value, ECHO_CHARS);
    } catch {
        return Object.prototype.toString.call(value); // a cycle
    }
    return clipped(shown, jsonLength(value));
}

/** The start of `value` as JSON, every phone number in it masked, at most `chars` characters. */
export function maskedJsonPrefix(value: unknown, chars: number): string {
    return maskedPrefix(jsonPrefix(value, 4 * (chars + MATCH_SPAN)), chars);
}
