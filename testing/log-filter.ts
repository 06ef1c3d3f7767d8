// The part of CloudWatch Logs' JSON filter-pattern syntax the stack's metric filters use:
// `{ $.a = "text" && ($.b = "x" || $.c = -101) }`, with `*` wildcards in strings (CloudWatch Logs
// User Guide, "Filter pattern syntax for metric filters": JSON property selectors, read 2026-11-25).
// Tests run the stack's own patterns against the functions' real log lines with it.

type Token =
    | { kind: "and" | "or" | "open" | "close" }
    | { kind: "test"; path: string[]; op: "=" | "!="; value: string | number };

function tokenize(pattern: string): Token[] {
    const body = /^\s*\{(.*)\}\s*$/s.exec(pattern)?.[1];
    if (body === undefined) throw new Error(`not a JSON filter pattern: ${pattern}`);
    const tokens: Token[] = [];
    const re = /\s*(?:(&&)|(\|\|)|(\()|(\))|\$\.([\w.]+)\s*(!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)))/y;
    let at = 0;
    while (at < body.length) {
        if (/^\s*$/.test(body.slice(at))) break;
        re.lastIndex = at;
        const m = re.exec(body);
        if (!m) throw new Error(`cannot read the filter pattern at ${JSON.stringify(body.slice(at))}`);
        at = re.lastIndex;
        if (m[1]) tokens.push({ kind: "and" });
        else if (m[2]) tokens.push({ kind: "or" });
        else if (m[3]) tokens.push({ kind: "open" });
        else if (m[4]) tokens.push({ kind: "close" });
        else
            tokens.push({
                kind: "test",
                path: m[5].split("."),
                op: m[6] as "=" | "!=",
                value: m[7] !== undefined ? m[7] : Number(m[8]),
            });
    }
    return tokens;
}

function test(event: Record<string, unknown>, t: Extract<Token, { kind: "test" }>): boolean {
    let v: unknown = event;
    for (const key of t.path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
    let equal: boolean;
    if (typeof t.value === "number") {
        equal = typeof v === "number" && v === t.value;
    } else {
        const re = new RegExp(
            `^${t.value
                .split("*")
                .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
                .join(".*")}$`,
            "s",
        );
        equal = typeof v === "string" && re.test(v);
    }
    return t.op === "=" ? equal : !equal;
}

/** Whether CloudWatch Logs would count this JSON log line for `pattern`. */
export function filterMatches(pattern: string, line: string): boolean {
    let event: Record<string, unknown>;
    try {
        event = JSON.parse(line);
    } catch {
        return false;
    }
    const tokens = tokenize(pattern);
    let i = 0;
    const or = (): boolean => {
        let v = and();
        while (tokens[i]?.kind === "or") {
            i++;
            const r = and();
            v = v || r;
        }
        return v;
    };
    const and = (): boolean => {
        let v = unit();
        while (tokens[i]?.kind === "and") {
            i++;
            const r = unit();
            v = v && r;
        }
        return v;
    };
    const unit = (): boolean => {
        const t = tokens[i++];
        if (t?.kind === "open") {
            const v = or();
            if (tokens[i++]?.kind !== "close") throw new Error("unbalanced parentheses");
            return v;
        }
        if (t?.kind === "test") return test(event, t);
        throw new Error("unexpected token in the filter pattern");
    };
    const result = or();
    if (i !== tokens.length) throw new Error("trailing tokens in the filter pattern");
    return result;
}
