// Quoting a caller's values back, in answers and in log lines: never more than a few dozen
// characters, and never a phone number in the clear, wherever it sits and however it is written.
import { maskPhone } from "./log";

/** At most this many characters of a value are quoted. */
export const ECHO_CHARS = 40;

/**
 * The dashes: Unicode's Dash_Punctuation (Pd) in the BMP, listed (the same set as `\p{Pd}` in
 * Node 20). `\p{Pd}` needs a Unicode-mode pattern, which took ~0.7 ms more to compile at cold start.
 */
const DASHES = "\\-\\u058A\\u05BE\\u1400\\u1806\\u2010-\\u2015\\u2E17\\u2E1A\\u2E3A\\u2E3B\\u2E40\\u2E5D\\u301C\\u3030\\u30A0\\uFE31\\uFE32\\uFE58\\uFE63\\uFF0D";

/**
 * What people put between the digits of a phone number, at most eight in a row (aligned columns;
 * the bound keeps a match under ~130 characters, so masking only the start of a long text is
 * enough for what is shown of it): white space of any kind (tab, newline, ideographic space), any
 * dash (`-`, `‐`, `–`, `—`, `－`, `〜`), the minus sign `−`, `~`, `.`, `(`, `)`, `_`, `/`. Full-width
 * forms count as their ASCII selves (see matchingView); U+FFFF is the filler matchingView puts after
 * a digit that takes two UTF-16 units.
 */
const SEP = `[\\s${DASHES}\\u2212~.()_/\\uFFFF]{0,8}`;

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
    if (!/[^\x00-\x7f]/.test(text)) return text;
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

/** `text` cut to ECHO_CHARS characters, followed by its full length when cut. */
export function clip(text: string): string {
    return text.length <= ECHO_CHARS ? text : `${text.slice(0, ECHO_CHARS)}… (${text.length} characters)`;
}

/** A caller's text (not JSON-quoted) as it may be quoted back: phone numbers masked, at most ECHO_CHARS characters. */
export function quote(text: string): string {
    return clip(maskPhones(text));
}

/**
 * Masks the strings and the object keys inside a value before JSON.stringify escapes them: once
 * stringified, a tab or a newline between the digits would be `\t`/`\n` and no longer read as one.
 */
function masked(_key: string, v: unknown): unknown {
    if (typeof v === "string") return maskPhones(v);
    if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
    // A prototype-less copy: a key "__proto__" stays a key.
    const out = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v)) out[maskPhones(k)] = (v as Record<string, unknown>)[k];
    return out;
}

/**
 * A caller's value as it may be quoted back: JSON-like (strings in quotes), phone numbers masked
 * (inside every string and key, then in the whole text), at most ECHO_CHARS characters, and when
 * cut, followed by the value's full length.
 */
export function echo(value: unknown): string {
    return clip(maskedJson(value));
}

/** `value` as JSON (or its String when JSON has none), every phone number in it masked, not cut. */
export function maskedJson(value: unknown): string {
    let text: string;
    try {
        text = JSON.stringify(value, masked) ?? String(value);
    } catch {
        text = Object.prototype.toString.call(value); // BigInt, a cycle
    }
    return maskPhones(text);
}
