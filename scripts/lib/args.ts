// One argument parser for every script (node:util parseArgs, strict): `--help` / `-h`, typed
// numbers and choices with one-line errors, "did you mean" for a mistyped flag, and `--stack` that
// defaults to the Pulumi CLI's selected stack and must name a stack of this project.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readProject, ROOT } from "../../program/stack-config";
import { OPTION_HELP, USAGE } from "./messages";

// The AWS SDK prints a nine-line notice on every client it creates under Node < 22 (a planned
// change of its own support policy). The scripts run on Node 20 too, which the README supports, so
// that notice is switched off with the SDK's own switch (@aws-sdk/core
// emitWarningIfUnsupportedVersion: AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, read
// 2026-11-25); nothing else is silenced.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** A wrong command line: exit 2, one line on stderr. */
export class UsageError extends Error {}

export interface OptionSpec {
    type: "string" | "boolean";
    short?: string;
    /** The value's placeholder in the usage line (FILE, N). */
    value?: string;
    help: string;
    /** The only values allowed. */
    choices?: readonly string[];
    /** A number, at least `min`; `integer` for whole numbers. */
    number?: { min: number; integer?: boolean };
    required?: boolean;
    default?: string;
}

export interface CommandSpec {
    /** The npm script (plan, smoke, ...). */
    name: string;
    summary: string;
    /** Whether the command takes `--stack`. */
    stack: boolean;
    options: Record<string, OptionSpec>;
    examples: string[];
}

const STACK_OPTION: OptionSpec = { type: "string", value: "STACK", help: OPTION_HELP.stack };

function allOptions(spec: CommandSpec): Record<string, OptionSpec> {
    return {
        ...(spec.stack ? { stack: STACK_OPTION } : {}),
        ...spec.options,
        help: { type: "boolean", short: "h", help: "show this help" },
    };
}

/** The help text: a usage line, the options, examples. */
export function helpText(spec: CommandSpec): string {
    const options = allOptions(spec);
    const shape = (name: string, o: OptionSpec) =>
        `--${name}${o.type === "string" ? ` ${o.choices ? o.choices.join("|") : (o.value ?? "VALUE")}` : ""}`;
    const usage = Object.entries(options)
        .filter(([name]) => name !== "help")
        .map(([name, o]) => (o.required ? shape(name, o) : `[${shape(name, o)}]`))
        .join(" ");
    const rows = Object.entries(options).map(([name, o]) => [
        `${o.short ? `-${o.short}, ` : ""}${shape(name, o)}`,
        `${o.help}${o.default !== undefined ? ` (default ${o.default})` : ""}`,
    ]);
    const width = Math.max(...rows.map(([l]) => l.length));
    return [
        `usage: npm run -s ${spec.name} -- ${usage}`,
        "",
        wrap(spec.summary),
        "",
        "options:",
        ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`),
        "",
        "examples:",
        ...spec.examples.map((e) => `  ${e}`),
        "",
    ].join("\n");
}

/** Edit distance with adjacent transpositions (optimal string alignment), for "did you mean". */
function distance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/** The closest known name, when it is close enough to be a typo (one edit for short names, two from four letters). */
export function didYouMean(given: string, known: string[]): string | undefined {
    const best = known
        .map((k) => [k, distance(given.toLowerCase(), k.toLowerCase())] as const)
        .sort((a, b) => a[1] - b[1])[0];
    return best && best[1] <= (best[0].length <= 3 ? 1 : 2) ? best[0] : undefined;
}

/** Wraps prose at `width` columns. */
function wrap(text: string, width = 100, indent = ""): string {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(/\s+/)) {
        if (line && line.length + 1 + word.length > width) {
            lines.push(line);
            line = indent + word;
        } else {
            line = line ? `${line} ${word}` : indent + word;
        }
    }
    if (line) lines.push(line);
    return lines.join("\n");
}

/** The stacks of this project: one per Pulumi.<stack>.yaml. */
export function knownStacks(root = ROOT): string[] {
    return readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

/**
 * The Pulumi CLI's selected stack, fully qualified (org/project/stack) so that `pulumi stack output
 * --stack` finds this very stack and not the `dev` of the default organisation: `installed` false when
 * there is no `pulumi` on PATH.
 * - `pulumi stack --show-name --fully-qualify-stack-names`: the global flag (`-Q`) came with CLI 3.113.0
 *   (pulumi/pulumi#15857) and `--show-name` follows it since 3.122.0 (pulumi/pulumi#16453; CHANGELOG.md,
 *   https://github.com/pulumi/pulumi/blob/master/CHANGELOG.md, read 2026-12-02). Before 3.122.0 it
 *   prints the short name; before 3.113.0 the CLI refuses the unknown flag.
 * - Then, on those CLIs, the entry marked `current` in `pulumi stack ls --json`: its name leaves out
 *   the organisation and project only when they are the defaults, so the CLI reads it back as the same stack.
 * - Last, the short name, as `pulumi stack --show-name` prints it.
 */
function selectedStack(): { installed: boolean; name?: string } {
    const pulumi = (args: string[]) =>
        execFileSync("pulumi", [...args, "--non-interactive"], {
            cwd: ROOT,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
            timeout: 15_000,
        }).trim();
    let short: string | undefined;
    try {
        const name = pulumi(["stack", "--show-name", "--fully-qualify-stack-names"]);
        if (name.includes("/")) return { installed: true, name };
        short = name || undefined;
    } catch (e) {
        const err = e as { code?: string; stderr?: string };
        if (err.code === "ENOENT") return { installed: false };
        // A stack is selected or not whatever the flag; only a CLI that does not know the flag is asked again.
        if (!/unknown (shorthand )?flag/i.test(String(err.stderr ?? ""))) return { installed: true };
    }
    try {
        const current = (JSON.parse(pulumi(["stack", "ls", "--json"])) as { name?: unknown; current?: unknown }[]).find(
            (s) => s.current === true,
        );
        if (typeof current?.name === "string" && current.name) return { installed: true, name: current.name };
    } catch {
        // an older or offline CLI: the short name below
    }
    if (short) return { installed: true, name: short };
    try {
        return { installed: true, name: pulumi(["stack", "--show-name"]) || undefined };
    } catch {
        return { installed: true };
    }
}

/** A stack, organisation or project name as the Pulumi CLI allows one: letters, digits, `-`, `_`, `.` (not `.`, `..`). */
const NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]+$/;

/**
 * The short stack name in `--stack`, in the forms the Pulumi CLI accepts (Pulumi docs, "Stacks",
 * https://www.pulumi.com/docs/iac/concepts/stacks/, read 2026-12-02): `stack`, `org/stack`, or
 * `org/project/stack` where project is this one (Pulumi.yaml's `name`). Anything else (a part that
 * is `..`, four parts, another project) is a UsageError.
 */
export function shortStackName(given: string, project: string): string {
    const parts = given.split("/");
    const forms = USAGE.stackForms(project);
    if (parts.length > 3 || parts.some((p) => !NAME.test(p))) throw new UsageError(USAGE.notAStackName(given, forms));
    if (parts.length === 3 && parts[1] !== project)
        throw new UsageError(USAGE.otherProject(given, parts[1], project, forms));
    return parts[parts.length - 1];
}

/**
 * `--stack`, or the CLI's selected stack: its short name (for Pulumi.<stack>.yaml and everything the
 * program derives from it) and the name as given (for the Pulumi CLI, which needs the organisation too).
 */
function resolveStack(given: string | undefined, root: string): { stack: string; stackRef: string } {
    const stacks = knownStacks(root);
    const list = stacks.length ? stacks.join(", ") : USAGE.noStacks;
    let ref = given;
    if (ref === undefined) {
        const cli = selectedStack();
        if (!cli.installed) throw new UsageError(USAGE.noCli(list));
        if (cli.name === undefined) throw new UsageError(USAGE.noSelection(list));
        ref = cli.name;
    }
    const short = shortStackName(ref, readProject(root).name);
    if (!existsSync(join(root, `Pulumi.${short}.yaml`)))
        throw new UsageError(USAGE.unknownStack(ref, didYouMean(short, stacks), list));
    return { stack: short, stackRef: ref };
}

export type Parsed = {
    values: Record<string, string | boolean | number | undefined>;
    /** The short stack name (`dev`), also when `--stack` was `org/project/dev`. */
    stack?: string;
    /** The stack as given, for the Pulumi CLI and for the commands a message suggests. */
    stackRef?: string;
    help?: string;
};

/** What node:util parseArgs returns with `tokens: true`, as far as it is read here. */
interface RawArgs {
    values: Record<string, string | boolean | undefined>;
    positionals: string[];
    tokens: { kind: string; name?: string; value?: string }[];
}

/**
 * Parses `argv` for `spec`. Returns `help` (the text to print, exit 0) when asked for it; throws a
 * UsageError with one line for anything wrong.
 */
export function parseCommand(spec: CommandSpec, argv: string[], root = ROOT): Parsed {
    const options = allOptions(spec);
    const parsed = parseRaw(options, argv);
    if (parsed.values.help) return { values: {}, help: helpText(spec) };
    refuseRepeats(options, parsed);
    if (parsed.positionals.length > 0)
        throw new UsageError(positionalMessage(parsed.positionals[0], spec, options, root));
    const values: Parsed["values"] = {};
    for (const [name, o] of Object.entries(options)) {
        if (name === "help" || name === "stack") continue;
        const raw = parsed.values[name] ?? o.default;
        if (raw === undefined) {
            if (o.required) throw new UsageError(USAGE.required(name, o.help));
            continue;
        }
        values[name] = typeof raw === "boolean" ? raw : typedValue(name, o, raw);
    }
    if (!spec.stack) return { values };
    return { values, ...resolveStack(parsed.values.stack as string | undefined, root) };
}

/** node:util parseArgs, strict; its errors become one-line UsageErrors. */
function parseRaw(options: Record<string, OptionSpec>, argv: string[]): RawArgs {
    try {
        return parseArgs({
            args: argv,
            options: Object.fromEntries(
                Object.entries(options).map(([name, o]) => [
                    name,
                    { type: o.type, ...(o.short ? { short: o.short } : {}) },
                ]),
            ),
            strict: true,
            allowPositionals: true,
            tokens: true,
        });
    } catch (e) {
        throw new UsageError(usageMessage(e as Error & { code?: string }, options, argv));
    }
}

/** parseArgs keeps the last of a repeated option; `--stack dev --stack prod` is refused instead. */
function refuseRepeats(options: Record<string, OptionSpec>, parsed: RawArgs): void {
    for (const [name, o] of Object.entries(options)) {
        if (o.type !== "string") continue;
        const given = parsed.tokens.filter((t) => t.kind === "option" && t.name === name).map((t) => t.value ?? "");
        if (given.length > 1) throw new UsageError(USAGE.repeated(name, given));
    }
}

/** A string option's value: one of its choices, a number within its rule, or the string itself. */
function typedValue(name: string, o: OptionSpec, raw: string): string | number {
    if (o.choices && !o.choices.includes(raw))
        throw new UsageError(USAGE.notAChoice(name, raw, o.choices, didYouMean(raw, [...o.choices])));
    if (!o.number) return raw;
    const n = /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(n) || n < o.number.min || (o.number.integer && !Number.isInteger(n)))
        throw new UsageError(USAGE.notANumber(name, raw, o.number));
    return n;
}

/** A stray word: `dev` is most likely meant as `--stack dev`, `none` as `--nat none`. */
function positionalMessage(word: string, spec: CommandSpec, options: Record<string, OptionSpec>, root: string): string {
    let meant: string | undefined;
    if (spec.stack && knownStacks(root).includes(word)) meant = `--stack ${word}`;
    else {
        const owner = Object.entries(options).find(([, o]) => o.choices?.includes(word));
        if (owner) meant = `--${owner[0]} ${word}`;
    }
    return USAGE.unexpected(word, meant);
}

function usageMessage(e: Error & { code?: string }, options: Record<string, OptionSpec>, argv: string[]): string {
    const flag = /'(-{1,2}[\w-]+)/.exec(e.message)?.[1];
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && flag) {
        const name = flag.replace(/^-+/, "").split("=")[0];
        // `-s dev` (the Pulumi CLI's short form): the one option that starts with that letter.
        const initial = /^-[A-Za-z]$/.test(flag) ? Object.keys(options).filter((k) => k.startsWith(name)) : [];
        return USAGE.unknownOption(flag, initial.length === 1 ? initial[0] : didYouMean(name, Object.keys(options)));
    }
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && flag) {
        const name = flag.replace(/^-+/, "").split(" ")[0];
        const o = options[name];
        if (o?.type !== "string") return USAGE.takesNoValue(name);
        // `--gb -1`: node reads -1 as an option; for a number say what is allowed, as for --gb=-1.
        const next = argv[argv.indexOf(`--${name}`) + 1];
        if (o.number && next !== undefined && /^-\d/.test(next)) return USAGE.notANumber(name, next, o.number);
        const value = o.value ?? "VALUE";
        return /ambiguous/.test(e.message) ? USAGE.needsDashValue(name, value) : USAGE.needsValue(name, value);
    }
    return e.message.split("\n")[0];
}

/** Where a command writes: the process's streams, or a caller's buffers. */
export interface Io {
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
}

/** A script's entry: its arguments in, its exit code out; what it prints goes to `io` (default: the process's). */
export type Main = (argv: string[], io?: Io) => Promise<number>;

/** A failure a command knows and explains in one line (exit 1): its own error classes. */
export type KnownError = new (...args: never[]) => Error;

/**
 * A command's main: `--help` prints and returns 0; usage errors return 2 and other known failures
 * 1, each with one line on stderr; an unexpected failure shows its stack (1). `run` returns its exit
 * code (none: 0).
 */
export function command(
    spec: CommandSpec,
    run: (args: Parsed, io: Io) => Promise<number | void>,
    known: KnownError[] = [],
): Main {
    return async (argv, io = { stdout: process.stdout, stderr: process.stderr }) => {
        try {
            const args = parseCommand(spec, argv);
            if (args.help !== undefined) {
                io.stdout.write(args.help);
                return 0;
            }
            return (await run(args, io)) ?? 0;
        } catch (e) {
            if (e instanceof UsageError) {
                io.stderr.write(`usage: ${e.message}\n`);
                return 2;
            }
            if (known.some((k) => e instanceof k)) {
                io.stderr.write(`error: ${(e as Error).message}\n`);
                return 1;
            }
            io.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
            return 1;
        }
    };
}

/** Runs `main` as this process's command (a script's `if (require.main === module)`): its code is the exit code. */
export function runAsScript(main: Main): void {
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}

/** Runs `main` in this process and keeps what it printed: its exit code, stdout and stderr. */
export async function runCaptured(
    main: Main,
    argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
    });
    return { code, stdout, stderr };
}
