// Progress goes to stderr; the step lines and the closing count to stdout.

export const progress = (message: string): void => {
    process.stderr.write(`[e2e] ${message}\n`);
};

export interface StepResult {
    name: string;
    ok: boolean;
    seconds: number;
    detail: string;
}

/** Runs one step, prints its line (PASS/FAIL, seconds, what it checked or why it failed), and records it. */
export async function step(results: StepResult[], name: string, run: () => Promise<string>): Promise<boolean> {
    const started = Date.now();
    let ok = true;
    let detail: string;
    try {
        detail = await run();
    } catch (e) {
        ok = false;
        detail = e instanceof Error ? e.message : String(e);
    }
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    results.push({ name, ok, seconds, detail });
    process.stdout.write(
        `${ok ? "PASS" : "FAIL"} ${name} (${seconds} s): ${detail.replace(/\s+/g, " ").slice(0, 2000)}\n`,
    );
    return ok;
}
