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
        message: `${what}: invalid arguments:\n${describeProblems(problems).map((l) => `  - ${l}`).join("\n")}`,
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
            return typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");
        case "object":
            return typeof v === "object" && v !== null && !Array.isArray(v);
    }
}

function describeValue(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return `a list (${v.map((x) => (pulumi.Output.isInstance(x) ? "output" : typeof x)).join(", ") || "empty"})`;
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
        if (arg.input && pulumi.Output.isInstance(v)) continue;
        if (pulumi.Output.isInstance(v) || (arg.shape === "strings" && Array.isArray(v) && v.some((x) => pulumi.Output.isInstance(x)))) {
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
