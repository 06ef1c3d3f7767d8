// Minimal flag parsing for the npm scripts: --name value, --flag; unknown flags are errors.

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: Record<string, "string" | "boolean">): Record<string, string | boolean | undefined> {
    const out: Record<string, string | boolean | undefined> = {};
    for (let i = 0; i < argv.length; i++) {
        const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
        if (!m || !(m[1] in spec)) throw new UsageError(`unknown argument ${JSON.stringify(argv[i])}; known: ${Object.keys(spec).map((k) => `--${k}`).join(", ")}`);
        if (spec[m[1]] === "boolean") {
            out[m[1]] = true;
        } else {
            const value = m[2] ?? argv[++i];
            if (value === undefined || value.startsWith("--")) throw new UsageError(`--${m[1]} needs a value`);
            out[m[1]] = value;
        }
    }
    return out;
}

/** Runs a command's main: usage errors exit 2, other failures 1, each with one line on stderr. */
export function runCli(main: () => Promise<void>, known: (new (...a: any[]) => Error)[] = []): void {
    main().catch((e) => {
        const prefix = e instanceof UsageError ? "usage: " : known.some((k) => e instanceof k) ? "error: " : "";
        process.stderr.write(`${prefix}${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = e instanceof UsageError ? 2 : 1;
    });
}
