// The warmer's longer texts: what its answer and its log line say when a run is misconfigured or
// fails. The WarmerFailures alarm and the docs read these, so changing one changes what people see.

export const MESSAGES = {
    badConcurrency: (raw: string, max: number) =>
        `WARM_CONCURRENCY ${JSON.stringify(raw)} is not a whole number from 1 to ${max}`,
    noAnswer: (budgetMs: number) => `no answer within the warmer's ${budgetMs} ms`,
    notWarmAnswer: (said: string) => `not a warm-up answer: ${said}`,
    runFailed: (failed: number, invoked: number, first: { code: string; message: string }) =>
        `${failed} of ${invoked} warm-up pings failed; first: ${first.code}: ${first.message}`,
};
