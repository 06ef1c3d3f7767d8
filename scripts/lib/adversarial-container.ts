// A "container" of `npm run adversarial`: a child Node process (scripts/adversarial/child.mjs) that
// has imported one built bundle and runs calls one after another; its stdout (the handler's log
// lines) is kept, cut per message at the child's marker line.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../../program/functions/bundle";
import type { Outcome } from "./adversarial-judge";

const CHILD = join(REPO_ROOT, "scripts", "adversarial", "child.mjs");

export interface Call {
    /** The event as JSON text. */
    payload: string;
    remainingMs: number;
    /** Set in the child's environment before the call; null unsets. */
    env?: Record<string, string | null>;
}

interface Reply {
    id?: number;
    ready?: boolean;
    results?: Outcome[];
}

export class Container {
    /** What the child wrote on stderr (nothing, when all is well). */
    stderr = "";
    private stdout = "";
    private nextId = 1;
    private waiting: ((r: Reply) => void) | undefined;
    private failed: ((e: Error) => void) | undefined;

    private constructor(private readonly child: ChildProcess) {
        child.stdout!.setEncoding("utf8").on("data", (d: string) => (this.stdout += d));
        child.stderr!.setEncoding("utf8").on("data", (d: string) => (this.stderr += d));
        child.on("message", (m: Reply) => this.waiting?.(m));
        child.on("exit", (code) => this.failed?.(new Error(`the child exited (${code}): ${this.stderr.slice(-500)}`)));
    }

    /** Starts a child on `bundle` with only `env` (and PATH) in its environment. */
    static async start(bundle: string, env: Record<string, string>): Promise<Container> {
        const child = spawn(process.execPath, [CHILD, bundle], {
            env: { PATH: process.env.PATH ?? "", ...env },
            stdio: ["ignore", "pipe", "pipe", "ipc"],
        });
        const c = new Container(child);
        await c.reply();
        return c;
    }

    private reply(): Promise<Reply> {
        return new Promise<Reply>((resolve, reject) => {
            this.waiting = resolve;
            this.failed = reject;
        });
    }

    /** Runs `calls` in order; their outcomes and the log lines they wrote. */
    async run(calls: Call[]): Promise<{ results: Outcome[]; log: string[] }> {
        const id = this.nextId++;
        const answered = this.reply();
        this.child.send({ id, calls });
        const reply = await answered;
        if (reply.id !== id || !reply.results)
            throw new Error(`the child answered out of turn: ${JSON.stringify(reply)}`);
        const marker = `\n@@adversarial ${id}\n`;
        // The marker was written before the reply was sent; its bytes may still be in the pipe.
        while (!this.stdout.includes(marker)) {
            if (this.child.exitCode !== null) throw new Error(`the child exited: ${this.stderr.slice(-500)}`);
            await new Promise((r) => setTimeout(r, 1));
        }
        const at = this.stdout.indexOf(marker);
        const log = this.stdout.slice(0, at).split("\n").filter(Boolean);
        this.stdout = this.stdout.slice(at + marker.length);
        return { results: reply.results, log };
    }

    /** Ends the child (this process started it). */
    stop(): void {
        this.failed = undefined;
        if (this.child.exitCode === null) this.child.kill();
    }
}
