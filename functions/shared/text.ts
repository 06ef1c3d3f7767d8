// Values read from someone else's JSON (Aligo's answer, AWS's error, a target function's answer) as
// text, said explicitly: a string as it is, a number or a boolean as written, and nothing else taken
// for text (an object would otherwise read "[object Object]").

/** `v` as text when it is a string, a number or a boolean; otherwise undefined. */
export function scalarText(v: unknown): string | undefined {
    if (typeof v === "string") return v;
    return typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

/** `v` as text: undefined as "", a scalar as {@link scalarText} has it, anything else (null too) as its JSON. */
export function anyText(v: unknown): string {
    if (v === undefined) return "";
    return scalarText(v) ?? jsonOf(v);
}

/** JSON of a parsed value (no cycles, no BigInt); the tag of anything JSON cannot write. */
function jsonOf(v: unknown): string {
    try {
        return JSON.stringify(v) ?? Object.prototype.toString.call(v);
    } catch {
        return Object.prototype.toString.call(v);
    }
}
