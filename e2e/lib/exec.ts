// Running the tools the real-engine run needs (go, pip, npm, the Pulumi CLI): output captured,
// or passed to stderr as progress; a failure names the command and ends with its output's tail.
import { spawn } from "node:child_process";

export interface RunOptions {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    /** Pass the command's output to stderr as it comes (long builds), besides capturing it. */
    stream?: boolean;
    /** Exit codes that are not failures. @default [0] */
    okCodes?: number[];
    /** Text written to the command's stdin. */
    input?: string;
}

export interface Ran {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs `command args`, resolving with its output; rejects when it exits with a code not in okCodes. */
export function run(command: string, args: string[], opts: RunOptions = {}): Promise<Ran> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: "pipe" });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (b: Buffer) => {
            stdout += b.toString("utf8");
            if (opts.stream) process.stderr.write(b);
        });
        child.stderr.on("data", (b: Buffer) => {
            stderr += b.toString("utf8");
            if (opts.stream) process.stderr.write(b);
        });
        child.on("error", reject);
        child.on("close", (code) => {
            const result = { code: code ?? -1, stdout, stderr };
            if ((opts.okCodes ?? [0]).includes(result.code)) resolve(result);
            else reject(new Error(`${command} ${args.join(" ")} exited with ${result.code}: ${tail(stdout + stderr)}`));
        });
        child.stdin.end(opts.input ?? "");
    });
}

/** The last lines of a command's output, for an error message. */
export function tail(text: string, lines = 25): string {
    const all = text.trim().split("\n");
    // Pulumi prints its errors among the diagnostics, above the outputs and the summary: they come
    // first, then the last lines.
    const errors = all.filter((l) => /\berror\b/i.test(l)).slice(0, 15);
    return [...errors, ...(errors.length ? ["…"] : []), ...all.slice(-lines)].join("\n");
}
