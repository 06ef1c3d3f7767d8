// Timing for tests that assert "fast enough" on a machine that may be busy (the suite runs beside
// other builds): never a wall-clock limit, but how two costs compare when measured side by side.
// Both are timed in turn, several times, and each keeps its best run, the one least disturbed by
// whatever else the machine was doing; a busy machine slows both alike, so the ratio holds.

/** Milliseconds `f` takes for `reps` calls in a row. */
function timeOf(f: () => unknown, reps: number): number {
    const started = performance.now();
    for (let i = 0; i < reps; i++) f();
    return performance.now() - started;
}

export interface RatioOptions {
    /** Runs of each, taken in turn; the best of each counts. Default 9. */
    rounds?: number;
    /** Calls per run, so that a very quick `f` takes long enough to be timed. Default 1. */
    reps?: number;
}

/** How many times as long `a` takes as `b`, each the best of `rounds` runs taken in turn. */
export function costRatio(a: () => unknown, b: () => unknown, options: RatioOptions = {}): number {
    const { rounds = 9, reps = 1 } = options;
    // Once each, untimed: the first calls compile the code they run.
    a();
    b();
    let bestA = Infinity;
    let bestB = Infinity;
    for (let i = 0; i < rounds; i++) {
        bestA = Math.min(bestA, timeOf(a, reps));
        bestB = Math.min(bestB, timeOf(b, reps));
    }
    // A run too quick for the clock to see counts as the clock's resolution, not as zero.
    return Math.max(bestA, 1e-3) / Math.max(bestB, 1e-3);
}

/** Async {@link costRatio}: for costs that wait on something (a handler's answer). */
export async function costRatioAsync(
    a: () => Promise<unknown>,
    b: () => Promise<unknown>,
    options: RatioOptions = {},
): Promise<number> {
    const { rounds = 9, reps = 1 } = options;
    const time = async (f: () => Promise<unknown>) => {
        const started = performance.now();
        for (let i = 0; i < reps; i++) await f();
        return performance.now() - started;
    };
    await a();
    await b();
    let bestA = Infinity;
    let bestB = Infinity;
    for (let i = 0; i < rounds; i++) {
        bestA = Math.min(bestA, await time(a));
        bestB = Math.min(bestB, await time(b));
    }
    return Math.max(bestA, 1e-3) / Math.max(bestB, 1e-3);
}
