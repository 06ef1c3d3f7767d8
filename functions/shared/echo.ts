// Quoting a caller's values back, in answers and in log lines: never more than a few dozen
// characters, and never a phone number in the clear, wherever it sits.
import { maskPhone } from "./log";

/** At most this many characters of a value are quoted. */
export const ECHO_CHARS = 40;

/** Runs of digits, possibly split by spaces, hyphens, dots or brackets, with an optional +. */
const DIGIT_RUN = /\+?\d(?:[\s\-.()]*\d)*/g;

/**
 * Whether a run of digits is a Korean phone number as people write them: 9 to 11 digits starting
 * with 0 (010…, 02…, 031…), or 11 to 12 starting with the country code 82. Dates (20270230),
 * message ids (583009869) and addresses (203.0.113.77) are not.
 */
function isPhoneNumber(digits: string): boolean {
    return (digits.startsWith("0") && digits.length >= 9 && digits.length <= 11) || (digits.startsWith("82") && digits.length >= 11 && digits.length <= 12);
}

/** Masks every phone number in `text`, wherever it sits (`010****5678`). */
export function maskPhones(text: string): string {
    return text.replace(DIGIT_RUN, (run) => {
        const digits = run.replace(/\D/g, "");
        return isPhoneNumber(digits) ? maskPhone(digits) : run;
    });
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
