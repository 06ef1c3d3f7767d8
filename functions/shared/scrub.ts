// Our own secrets (the Aligo API key and user id) out of everything an upstream sends back. A proxy,
// a misconfigured endpoint or a confused server may quote our request back (`key=…&user_id=…`), in
// an error page, a message, a header or a success's data; whatever is quoted from an answer, or
// handed back from it, is scrubbed first, before it is cut to length (a cut could otherwise keep
// part of a key) and before phone numbers are masked.

/** A value never to hand back, and what stands in its place. */
export interface Secret {
    value: string;
    label: string;
}

/**
 * The forms a secret takes in text that quotes a request: as it is, form-encoded (as our bodies
 * are sent), percent-encoded, JSON-escaped (with `/` as `\/` too, as PHP writes it) and
 * HTML-escaped. Matched without regard to case, which also covers `%2b` for `%2B`.
 */
function formsOf(secret: string): string[] {
    const json = JSON.stringify(secret).slice(1, -1);
    const html = secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const forms = new Set([
        secret,
        new URLSearchParams([["", secret]]).toString().slice(1),
        encodeURIComponent(secret),
        json,
        json.replace(/\//g, "\\/"),
        html,
    ]);
    return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

export class Scrubber {
    /** Any form of any secret, one capture group per secret (in the order given). */
    private readonly anywhere: RegExp | undefined;
    private readonly labels: string[];

    constructor(secrets: readonly Secret[]) {
        const kept = secrets.filter((s) => s.value !== "");
        this.labels = kept.map((s) => s.label);
        this.anywhere =
            kept.length === 0
                ? undefined
                : new RegExp(kept.map((s) => `(${formsOf(s.value).map(escaped).join("|")})`).join("|"), "gi");
    }

    /** Whether `text` holds any form of a secret. */
    holds(text: string): boolean {
        if (!this.anywhere) return false;
        this.anywhere.lastIndex = 0;
        return this.anywhere.test(text);
    }

    /** `text` with every form of every secret replaced by the secret's label. */
    text(text: string): string {
        if (!this.anywhere || !this.holds(text)) return text;
        return text.replace(this.anywhere, (...groups: unknown[]) => {
            const at = groups.slice(1, 1 + this.labels.length).findIndex((g) => g !== undefined);
            return this.labels[at];
        });
    }

    /**
     * A parsed JSON value with its strings, keys, numbers and booleans scrubbed (a number or a
     * boolean that holds a secret becomes the scrubbed text); the value itself when nothing in it
     * needs it.
     */
    value(v: unknown): unknown {
        if (typeof v === "string") return this.text(v);
        if (typeof v === "number" || typeof v === "boolean") return this.holds(String(v)) ? this.text(String(v)) : v;
        if (Array.isArray(v)) return v.map((x) => this.value(x));
        if (typeof v !== "object" || v === null) return v;
        // No prototype: a key "__proto__" stays a key, as JSON.parse made it.
        const out = Object.create(null) as Record<string, unknown>;
        for (const [k, x] of Object.entries(v)) out[this.text(k)] = this.value(x);
        return out;
    }

    /**
     * Whether an answer's parsed data may hold a secret, read cheaply from its raw text: a JSON text
     * without escapes holds its strings as they are, so the raw text tells; with escapes
     * (`\u0041`), its data is written out again (escapes only where JSON needs them) and that tells.
     */
    inAnswer(raw: string, data: unknown): boolean {
        if (!this.anywhere) return false;
        if (this.holds(raw)) return true;
        return raw.includes("\\") && this.holds(JSON.stringify(data) ?? "");
    }
}

const NONE = new Scrubber([]);
let last: { key: string; userId: string; scrubber: Scrubber } | undefined;

/** The scrubber for the Aligo key and user id in use, made once per pair (the warm path reuses it). */
export function scrubberFor(key: string, userId: string): Scrubber {
    if (last?.key !== key || last.userId !== userId) {
        last = {
            key,
            userId,
            scrubber: new Scrubber([
                { value: key, label: "[key]" },
                { value: userId, label: "[user id]" },
            ]),
        };
    }
    return last.scrubber;
}

/** The scrubber last made, for text that may quote an upstream outside a call (an unexpected error); none before the first call. */
export function lastScrubber(): Scrubber {
    return last?.scrubber ?? NONE;
}
