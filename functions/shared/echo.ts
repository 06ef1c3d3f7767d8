// Quoting a caller's values back, in answers and in log lines: never more than a few dozen
// characters, and never a phone number in the clear, wherever it sits.
import { maskPhone } from "./log";

/** At most this many characters of a value are quoted. */
export const ECHO_CHARS = 40;

/** What people put between the digits of a phone number. */
const SEP = "[\\s\\-.()_/]*";

/**
 * A Korean phone number as people write it, not inside a longer run of digits: a trunk 0, or the
 * country code (+82, 0082, 82, optionally "(0)") and an optional 0; then a mobile or area prefix
 * (010/011/016-019, 02, 031-065, 070); then 7 or 8 more digits, separators anywhere. Dates
 * (2027-02-30), message ids (583009869), addresses (203.0.113.77) and short codes (1588-1234) do
 * not fit it; two numbers side by side are two matches.
 */
const PHONE = new RegExp(`(?<!\\d)(?:(?:\\+|00)?82${SEP}(?:\\(0\\)${SEP})?0?|0)(?:1[016789]|2|[3-6][1-5]|70)(?:${SEP}\\d){7,8}(?!\\d)`, "g");

/** Masks every phone number in `text`, wherever it sits (`010****5678`). */
export function maskPhones(text: string): string {
    return text.replace(PHONE, (run) => maskPhone(run.replace(/\D/g, "")));
}

/**
 * A caller's value as it may be quoted back: JSON-like (strings in quotes), phone numbers masked,
 * at most ECHO_CHARS characters, and when cut, followed by the value's full length.
 */
export function echo(value: unknown): string {
    let text: string;
    try {
        text = JSON.stringify(value) ?? String(value);
    } catch {
        text = Object.prototype.toString.call(value); // BigInt, a cycle
    }
    text = maskPhones(text);
    return text.length <= ECHO_CHARS ? text : `${text.slice(0, ECHO_CHARS)}… (${text.length} characters)`;
}
