import * as pulumi from "@pulumi/pulumi";
import { describeProblems, quote, type Problem } from "./rules";

/**
 * Throws Pulumi's input-property error when there are problems: one entry per property, each
 * naming it and saying what to do. Under `pulumi package add` the engine shows them per property;
 * in a TypeScript program the message lists them.
 */
export function inputErrors(what: string, problems: Problem[]): void {
    if (problems.length === 0) return;
    throw new pulumi.InputPropertiesError({
        message: `${what}: invalid arguments:\n${describeProblems(problems)
            .map((l) => `  - ${l}`)
            .join("\n")}`,
        errors: problems.map((p) => ({ propertyPath: p.path, reason: p.reason })),
    });
}

/** What a plain (not `Input`) argument must be. */
export type PlainShape = "string" | "strings" | "boolean" | "number" | "tags" | "object" | "list";

export interface PlainArg {
    shape: PlainShape;
    optional?: boolean;
    /** An `Input`: an Output is fine, only a known value's shape is checked. */
    input?: boolean;
    /** Why the value must be known when the program runs, and what to pass instead of an output. */
    whyPlain?: string;
}

const SHAPE_TEXT: Record<PlainShape, string> = {
    string: "a string",
    strings: "a list of strings",
    boolean: "true or false",
    number: "a number",
    tags: "a map of string to string",
    object: "an object",
    list: "a list",
};

function hasShape(v: unknown, shape: PlainShape): boolean {
    switch (shape) {
        case "string":
            return typeof v === "string";
        case "boolean":
            return typeof v === "boolean";
        case "number":
            return typeof v === "number" && Number.isFinite(v);
        case "strings":
            return Array.isArray(v) && v.every((x) => typeof x === "string");
        case "list":
            return Array.isArray(v);
        case "tags":
            return (
                typeof v === "object" &&
                v !== null &&
                !Array.isArray(v) &&
                Object.values(v).every((x) => typeof x === "string")
            );
        case "object":
            return typeof v === "object" && v !== null && !Array.isArray(v);
    }
}

function describeValue(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v))
        return `a list (${v.map((x) => (pulumi.Output.isInstance(x) ? "output" : typeof x)).join(", ") || "empty"})`;
    return typeof v === "string" ? `the string ${quote(v)}` : typeof v;
}

/**
 * Arguments that decide which resources exist (a strategy, a count of subnets or route tables)
 * must be known when the program runs. In a TypeScript program the types say so; through
 * `pulumi package add` the host hands over whatever the caller sent: an output of another resource
 * or a secret arrives as an Output, and a YAML typo as any type. Each becomes a problem naming the
 * property, not a TypeError deep inside the component.
 */
export function plainArgProblems(args: object, spec: Record<string, PlainArg>, prefix = ""): Problem[] {
    const problems: Problem[] = [];
    const values = args as Record<string, unknown>;
    for (const [key, arg] of Object.entries(spec)) {
        const path = `${prefix}${key}`;
        const v = values[key];
        if (v === undefined || v === null) {
            if (!arg.optional) problems.push({ path, reason: "is missing" });
            continue;
        }
        if (arg.input && isPending(v)) continue;
        if (
            pulumi.Output.isInstance(v) ||
            (arg.shape === "strings" && Array.isArray(v) && v.some((x) => pulumi.Output.isInstance(x)))
        ) {
            problems.push({
                path,
                reason: `is an output of another resource or a secret, but it must be ${SHAPE_TEXT[arg.shape]} known when the program runs${arg.whyPlain ? ` (${arg.whyPlain})` : ""}`,
            });
        } else if (!hasShape(v, arg.shape)) {
            problems.push({ path, reason: `is ${describeValue(v)}; expected ${SHAPE_TEXT[arg.shape]}` });
        }
    }
    return problems;
}

/** An Input whose value is not known yet: an Output or a Promise. */
export function isPending(v: unknown): boolean {
    return (
        pulumi.Output.isInstance(v) ||
        (typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function")
    );
}

/**
 * The arguments with every `null` property removed (at the top level and in the named nested
 * objects): another language's program sends a JSON null for "not set", which the component host
 * passes on as it is, and TypeScript callers may too.
 */
export function withoutNulls<T extends object>(args: T, nested: string[] = []): T {
    const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
    const out = strip(args as Record<string, unknown>);
    for (const key of nested) {
        const [head, ...rest] = key.split(".");
        const inner = out[head];
        if (inner && typeof inner === "object" && !Array.isArray(inner) && !isPending(inner)) {
            out[head] = rest.length ? withoutNulls(inner, [rest.join(".")]) : strip(inner as Record<string, unknown>);
        }
    }
    return out as T;
}

/** Problems of a list of ids (or pending ids): entries that are not ids, and ids listed twice. */
export function idListProblems(list: unknown[], path: string, what: string): Problem[] {
    const problems: Problem[] = [];
    const seen = new Map<string, number>();
    list.forEach((v, i) => {
        if (isPending(v)) return;
        if (typeof v !== "string" || v.trim() === "") {
            problems.push({ path: `${path}[${i}]`, reason: `is ${describeValue(v)}; expected ${what}` });
            return;
        }
        const first = seen.get(v);
        if (first !== undefined)
            problems.push({ path: `${path}[${i}]`, reason: `${quote(v)} is listed twice (also at [${first}])` });
        else seen.set(v, i);
    });
    return problems;
}

/**
 * What a failed look-up (an invoke) says, on one line: the engine's message spans lines
 * ("invoking aws:ec2/getAmi:getAmi: 1 error occurred:" then "* Your query returned no results…"),
 * so the lines are joined, bullets dropped, at most 300 characters; undefined when it says nothing.
 */
export function lookupCause(e: unknown): string | undefined {
    const said =
        e instanceof Error
            ? e.message
            : typeof e === "string"
              ? e
              : e === undefined || e === null
                ? ""
                : JSON.stringify(e);
    const text = said
        .replace(/^\s*\*\s*/gm, "")
        .replace(/\s+/g, " ")
        .trim();
    return text ? (text.length > 300 ? `${text.slice(0, 299)}…` : text) : undefined;
}
