// A vitest setup file: the suite runs its files in shared workers (isolate: false in
// vitest.config.mts: loading @pulumi/aws once per worker instead of once per file halved the
// suite's CPU). What one file changes of the process must not reach the next: after each file its
// environment variables are put back as they were, timers are real again, and spies restored.
import { afterAll, vi } from "vitest";

const saved = { ...process.env };

afterAll(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    vi.useRealTimers();
    vi.restoreAllMocks();
});
