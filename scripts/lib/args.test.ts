// The one parser every script uses, and the scripts as a user runs them: `npm run -s <script> -- …`.
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "../../program/stack-config";
import { didYouMean, knownStacks, parseCommand, runCaptured, UsageError, type CommandSpec, type Main } from "./args";

const spec: CommandSpec = {
    name: "demo",
    summary: "A command for the tests.",
    stack: true,
    options: {
        nat: { type: "string", choices: ["gateway", "instance", "none"], help: "strategy" },
        runs: { type: "string", value: "N", number: { min: 1, integer: true }, default: "9", help: "runs" },
        gb: { type: "string", value: "N", number: { min: 0 }, help: "GB" },
        json: { type: "boolean", help: "JSON" },
        to: { type: "string", value: "NUMBERS", required: true, help: "receivers" },
    },
    examples: ["npm run -s demo -- --stack dev --to 01012345678"],
};

/**
 * A stand-in for the Pulumi CLI's `pulumi stack --show-name` and `pulumi stack ls --json` as each
 * version answers them, with `selected` (org/project/stack) the selected stack. 3.113.0 brought the
 * global --fully-qualify-stack-names flag (-Q; pulumi/pulumi#15857), and only from 3.122.0 does
 * `--show-name` follow it (pulumi/pulumi#16453); before 3.113.0 the CLI refuses the flag as unknown.
 * `stack ls` names a stack in full but for a stack of the default organisation (`listsQualified` false).
 */
function pulumiCli(cli: { version: string; selected: string; listsQualified?: boolean; lsFails?: boolean }): string {
    const [, minor] = cli.version.split(".").map(Number);
    const short = cli.selected.split("/").at(-1);
    const listed = cli.listsQualified === false ? short : cli.selected;
    const showName = minor >= 122 ? cli.selected : short;
    return [
        "#!/bin/sh",
        'case "$*" in',
        minor >= 113
            ? `  "stack --show-name --fully-qualify-stack-names --non-interactive") echo ${showName} ;;`
            : `  *--fully-qualify-stack-names*) echo "error: unknown flag: --fully-qualify-stack-names" >&2; exit 255 ;;`,
        `  "stack --show-name --non-interactive") echo ${short} ;;`,
        cli.lsFails
            ? `  "stack ls --json --non-interactive") echo "error: could not reach the backend" >&2; exit 255 ;;`
            : `  "stack ls --json --non-interactive") echo '[{"name":"${listed === "dev" ? "prod" : "dev"}","current":false},{"name":"${listed}","current":true}]' ;;`,
        '  *) echo "error: unknown command $*" >&2; exit 255 ;;',
        "esac",
        "",
    ].join("\n");
}

/** Two dots, kept apart from the slash so that no relative path stands in this file. */
const UP = "..";

const refused = (argv: string[]) => {
    try {
        parseCommand(spec, argv);
    } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
    }
    throw new Error(`accepted: ${argv.join(" ")}`);
};

const savedPath = process.env.PATH;
afterEach(() => {
    process.env.PATH = savedPath;
});

describe("parseCommand", () => {
    it("parses typed values, applies defaults, and takes --stack", () => {
        expect(parseCommand(spec, ["--stack", "dev", "--to", "010", "--gb", "2.5", "--json"])).toEqual({
            values: { to: "010", runs: 9, gb: 2.5, json: true },
            stack: "dev",
            stackRef: "dev",
        });
        expect(parseCommand(spec, ["--stack=prod", "--to=010", "--runs=3", "--nat", "none"]).values).toMatchObject({
            runs: 3,
            nat: "none",
        });
    });

    it("--help and -h return the help text, whatever else is wrong", () => {
        for (const argv of [["--help"], ["-h"], ["--stack", "nope", "--help"]]) {
            const { help } = parseCommand(spec, argv);
            expect(help).toMatch(
                /^usage: npm run -s demo -- \[--stack STACK\] \[--nat gateway\|instance\|none\] \[--runs N\] \[--gb N\] \[--json\] --to NUMBERS\n/,
            );
            expect(help).toContain("examples:\n  npm run -s demo -- --stack dev --to 01012345678");
            expect(help).toContain("(default 9)");
        }
    });

    it.each<[string[], string]>([
        [["--stak", "dev"], "unknown option --stak; did you mean --stack? (--help lists the options)"],
        [
            ["--stack", "dev", "--to", "1", "--jsno"],
            "unknown option --jsno; did you mean --json? (--help lists the options)",
        ],
        [["--stack", "dev", "--to", "1", "--verbose"], "unknown option --verbose (--help lists the options)"],
        [["--stack", "dev", "--to", "1", "--runs", "x"], '--runs "x" is not a whole number of at least 1'],
        [["--stack", "dev", "--to", "1", "--runs", "0"], '--runs "0" is not a whole number of at least 1'],
        [["--stack", "dev", "--to", "1", "--runs", "2.5"], '--runs "2.5" is not a whole number of at least 1'],
        [["--stack", "dev", "--to", "1", "--gb", "1e3"], '--gb "1e3" is not a number of at least 0'],
        [["--stack", "dev", "--to", "1", "--gb", "-1"], '--gb "-1" is not a number of at least 0'],
        [
            ["--stack", "dev", "--to", "-x"],
            '--to needs a value (NUMBERS); one that starts with "-" is written --to=VALUE',
        ],
        [
            ["--stack", "dev", "--to", "1", "--nat", "gatway"],
            '--nat "gatway" is not one of gateway, instance, none (did you mean gateway?)',
        ],
        [["--stack", "dev", "--to", "1", "--json=yes"], "--json takes no value"],
        [["--stack", "dev", "--to"], "--to needs a value (NUMBERS)"],
        [["--stack", "dev"], "--to is required: receivers"],
        [["--stack", "dev", "--to", "1", "extra"], 'unexpected argument "extra"; options start with --'],
        [["dev", "--to", "1"], 'unexpected argument "dev"; options start with -- (did you mean --stack dev?)'],
        [
            ["--stack", "dev", "--to", "1", "none"],
            'unexpected argument "none"; options start with -- (did you mean --nat none?)',
        ],
        [["-s", "dev", "--to", "1"], "unknown option -s; did you mean --stack? (--help lists the options)"],
        [["--stack", "dev", "--stack", "prod", "--to", "1"], '--stack is given 2 times ("dev", "prod"); give it once'],
        [["--stack", "dev", "--to", "1", "--to=2"], '--to is given 2 times ("1", "2"); give it once'],
        [
            ["--stack", `${UP}/dev`, "--to", "1"],
            `--stack "${UP}/dev" is not a stack name: a stack is STACK, ORG/STACK or ORG/aligo-sms/STACK, each part letters, digits, "-", "_" or "."`,
        ],
        [
            ["--stack", "a/b/aligo-sms/dev", "--to", "1"],
            '--stack "a/b/aligo-sms/dev" is not a stack name: a stack is STACK, ORG/STACK or ORG/aligo-sms/STACK, each part letters, digits, "-", "_" or "."',
        ],
        [
            ["--stack", "acme//dev", "--to", "1"],
            '--stack "acme//dev" is not a stack name: a stack is STACK, ORG/STACK or ORG/aligo-sms/STACK, each part letters, digits, "-", "_" or "."',
        ],
        [
            ["--stack", "acme/other-project/dev", "--to", "1"],
            '--stack "acme/other-project/dev" names the project "other-project", but this one is "aligo-sms": a stack is STACK, ORG/STACK or ORG/aligo-sms/STACK',
        ],
        [
            ["--stack", "dve", "--to", "1"],
            'unknown stack "dve" (did you mean dev?); stacks here (each has a Pulumi.<stack>.yaml): dev, prod',
        ],
        [
            ["--stack", "staging", "--to", "1"],
            'unknown stack "staging"; stacks here (each has a Pulumi.<stack>.yaml): dev, prod',
        ],
    ])("%j → %s", (argv, message) => {
        process.env.PATH = ""; // no Pulumi CLI
        expect(refused(argv)).toBe(message);
    });

    it("a qualified stack name (org/stack, org/project/stack): the short name goes on, the name as given is kept for the Pulumi CLI", () => {
        expect(parseCommand(spec, ["--stack", "acme/aligo-sms/prod", "--to", "1"])).toMatchObject({
            stack: "prod",
            stackRef: "acme/aligo-sms/prod",
        });
        expect(parseCommand(spec, ["--stack", "acme/prod", "--to", "1"])).toMatchObject({
            stack: "prod",
            stackRef: "acme/prod",
        });
    });

    it("--stack defaults to the Pulumi CLI's selected stack; without a selection, or without the CLI, it says which and lists the stacks", () => {
        const fakeCli = (script: string) => {
            const bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
            writeFileSync(join(bin, "pulumi"), script);
            chmodSync(join(bin, "pulumi"), 0o755);
            return [bin, dirname(process.execPath)].join(delimiter);
        };
        process.env.PATH = fakeCli(pulumiCli({ version: "3.122.0", selected: "acme/aligo-sms/prod" }));
        expect(parseCommand(spec, ["--to", "1"])).toMatchObject({ stack: "prod", stackRef: "acme/aligo-sms/prod" });
        process.env.PATH = fakeCli("#!/bin/sh\necho 'error: no stack selected' >&2\nexit 255\n");
        expect(refused(["--to", "1"])).toBe(
            "--stack is required (no stack is selected in the Pulumi CLI); stacks here: dev, prod",
        );
        process.env.PATH = dirname(process.execPath);
        expect(refused(["--to", "1"])).toBe(
            "--stack is required (the Pulumi CLI is not installed, so there is no selected stack to default to); stacks here: dev, prod",
        );
    });

    it.each<[string, Parameters<typeof pulumiCli>[0], string]>([
        // `--show-name` follows --fully-qualify-stack-names (pulumi/pulumi#16453).
        [
            "3.122.0 and later: `stack --show-name -Q`",
            { version: "3.122.0", selected: "acme/aligo-sms/prod" },
            "acme/aligo-sms/prod",
        ],
        [
            "a stack of the default organisation is qualified all the same",
            { version: "3.122.0", selected: "me/aligo-sms/dev" },
            "me/aligo-sms/dev",
        ],
        // The flag exists (pulumi/pulumi#15857) but --show-name prints the short name: `stack ls --json` names the current stack.
        [
            "3.113.0 to 3.121.x: the current entry of `stack ls --json`",
            { version: "3.113.0", selected: "acme/aligo-sms/prod" },
            "acme/aligo-sms/prod",
        ],
        [
            "older than 3.113.0 (no such flag): the current entry of `stack ls --json`",
            { version: "3.112.0", selected: "acme/aligo-sms/prod" },
            "acme/aligo-sms/prod",
        ],
        [
            "older, a stack of the default organisation: `stack ls` lists it by its short name",
            { version: "3.112.0", selected: "prod", listsQualified: false },
            "prod",
        ],
        [
            "older, and `stack ls` fails (offline): the short name",
            { version: "3.112.0", selected: "acme/aligo-sms/prod", lsFails: true },
            "prod",
        ],
    ])("the selected stack from a Pulumi CLI %s", (_label, cli, stackRef) => {
        const bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
        writeFileSync(join(bin, "pulumi"), pulumiCli(cli));
        chmodSync(join(bin, "pulumi"), 0o755);
        process.env.PATH = [bin, dirname(process.execPath)].join(delimiter);
        // The short name for the program (plan, the stack file), the qualified one for the Pulumi CLI.
        expect(parseCommand(spec, ["--to", "1"])).toMatchObject({ stack: stackRef.split("/").at(-1), stackRef });
    });

    it("knownStacks lists the Pulumi.<stack>.yaml files; didYouMean allows one edit in short names, two (a swap counts one) from four letters", () => {
        expect(knownStacks()).toEqual(["dev", "prod"]);
        expect(didYouMean("rusn", ["runs", "calls", "json"])).toBe("runs");
        expect(didYouMean("jsn", ["json"])).toBe("json");
        expect(didYouMean("x", ["nat", "gb"])).toBeUndefined();
        expect(didYouMean("verbose", ["stack", "json"])).toBeUndefined();
    });
});

/** Each script's main, called in this process: what the command does, without a process of its own. */
const mains: Record<string, () => Promise<Main>> = {
    plan: async () => (await import("../plan")).main,
    smoke: async () => (await import("../smoke")).main,
    send: async () => (await import("../send")).main,
    remain: async () => (await import("../remain")).main,
    list: async () => (await import("../list")).main,
    bench: async () => (await import("../bench")).main,
    adversarial: async () => (await import("../adversarial")).main,
};

describe("every script's main, as `npm run -s <script> -- …` runs it", () => {
    it.each(Object.keys(mains))("%s --help: a usage line, options and examples on stdout, exit 0", async (script) => {
        const r = await runCaptured(await mains[script](), ["--help"]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^usage: npm run -s ${script} -- `));
        expect(r.stdout).toMatch(/\noptions:\n[\s\S]*-h, --help\s+show this help\n\nexamples:\n {2}npm run -s /);
        expect(r.stderr).toBe("");
    });

    it("a mistyped flag: one line on stderr with the likely flag, exit 2", async () => {
        const r = await runCaptured(await mains.remain(), ["--stak", "dev"]);
        expect(r).toEqual({
            code: 2,
            stdout: "",
            stderr: "usage: unknown option --stak; did you mean --stack? (--help lists the options)\n",
        });
    });
});

const exec = promisify(execFile);
/** `npm run -s …` in a fresh process, as a user types it (npm and tsx start in 2-3 s alone, more when busy). */
const npm = (args: string[]) =>
    exec("npm", ["run", "-s", ...args], {
        cwd: ROOT,
        env: {
            ...process.env,
            PATH: [dirname(process.execPath), ...(savedPath ?? "").split(delimiter)].join(delimiter),
        },
        maxBuffer: 16 * 1024 * 1024,
    }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
    );

// One real run of each of these entry points (plan, smoke, send and list have theirs beside their
// tests): the script runs as the process's command, and its exit code is the process's.
describe("the real entry points, through npm", () => {
    it("bench --help: the help on stdout, nothing else, exit 0", async () => {
        const r = await npm(["bench", "--", "--help"]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^usage: npm run -s bench -- /);
        expect(r.stdout).toMatch(/\noptions:\n[\s\S]*-h, --help\s+show this help\n\nexamples:\n {2}npm run -s /);
        expect(r.stderr).toBe("");
    }, 120_000);

    it("remain with a mistyped flag: one line on stderr with the likely flag, exit 2", async () => {
        const r = await npm(["remain", "--", "--stak", "dev"]);
        expect(r).toMatchObject({
            code: 2,
            stdout: "",
            stderr: "usage: unknown option --stak; did you mean --stack? (--help lists the options)\n",
        });
    }, 120_000);
});
