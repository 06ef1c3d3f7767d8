// The leak search of `npm run adversarial`: our Aligo API key and user id, and full phone numbers,
// in any answer or log line the functions wrote.

export interface Secrets {
    key: string;
    userId: string;
}

export interface Leaks {
    key: number;
    userId: number;
    phone: number;
}

const every = (s: string) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");

/**
 * The forms a secret may take in text, lower-cased (the search ignores case): as it is, form- and
 * percent-encoded (once and twice), JSON-escaped, every character \u-escaped, HTML-escaped; for
 * the key also its first 12 characters (a quote cut inside it).
 */
export function secretForms(secret: string, prefix = false): string[] {
    const json = JSON.stringify(secret).slice(1, -1);
    const forms = [
        secret,
        encodeURIComponent(secret),
        encodeURIComponent(encodeURIComponent(secret)),
        new URLSearchParams([["", secret]]).toString().slice(1),
        json,
        every(secret),
        secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
        ...(prefix ? [secret.slice(0, 12)] : []),
    ];
    return [...new Set(forms.map((f) => f.toLowerCase()))];
}

/**
 * Text as a reader would see it: JSON escapes decoded (`\t`, `\n`, `\u3000`), compatibility forms
 * folded (full-width digits and dashes, NFKC), invisible characters dropped (zero-width space and
 * joiners, word joiner, BOM, soft hyphen).
 */
export function readable(text: string): string {
    const decoded = text
        .replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
        .replace(/\\[tnr]/g, " ");
    return decoded.normalize("NFKC").replace(/[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g, "");
}

/**
 * A full Korean mobile number: 010 and 8 digits, or 011/016-019 and 7 or 8, with at most three
 * separators (white space, dashes, dots, middle dots, brackets, slashes, colons, bars) between any
 * two digits, not inside a longer run of digits. A masked number (010****5678) is not one.
 */
const PHONE =
    /(?<!\d)0[\s\-‐-―−.·ㆍ・()/:|_~]{0,3}1[\s\-‐-―−.·ㆍ・()/:|_~]{0,3}[016789](?:[\s\-‐-―−.·ㆍ・()/:|_~]{0,3}\d){7,8}(?!\d)/g;

/**
 * The one number the function writes itself: the example in its refusal of a receiver
 * (functions/sms/messages.ts, notMobile). No case sends to it, so finding it anywhere else is a leak.
 */
export const EXAMPLE = "such as 010-1234-5678";

/** How many places in `haystack` hold any of `needles` (overlapping matches, as a key and its prefix, count once). */
function count(haystack: string, needles: string[]): number {
    const ranges: [number, number][] = [];
    for (const needle of needles) {
        for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1))
            ranges.push([at, at + needle.length]);
    }
    ranges.sort((a, b) => a[0] - b[0]);
    let places = 0;
    let end = -1;
    for (const [from, to] of ranges) {
        if (from >= end) places++;
        end = Math.max(end, to);
    }
    return places;
}

export class LeakSearch {
    readonly found: Leaks = { key: 0, userId: 0, phone: 0 };
    /** The first few texts that leaked, for the report. */
    readonly examples: string[] = [];
    texts = 0;
    private readonly keyForms: string[];
    private readonly userForms: string[];

    constructor(secrets: Secrets) {
        this.keyForms = secretForms(secrets.key, true);
        this.userForms = secretForms(secrets.userId);
    }

    /** Searches one answer or log line; `phones: false` for data that is the caller's to have (see the caller). */
    search(text: string, phones = true): number {
        this.texts++;
        const lower = text.toLowerCase();
        const lowerReadable = readable(text).toLowerCase();
        const key = Math.max(count(lower, this.keyForms), count(lowerReadable, this.keyForms));
        const userId = Math.max(count(lower, this.userForms), count(lowerReadable, this.userForms));
        const phone = phones ? (readable(text).replaceAll(EXAMPLE, "").match(PHONE) ?? []).length : 0;
        this.found.key += key;
        this.found.userId += userId;
        this.found.phone += phone;
        const total = key + userId + phone;
        if (total > 0 && this.examples.length < 5) this.examples.push(text.slice(0, 200));
        return total;
    }

    get total(): number {
        return this.found.key + this.found.userId + this.found.phone;
    }
}
