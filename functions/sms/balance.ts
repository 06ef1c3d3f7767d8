// Aligo's remaining SMS count as a CloudWatch metric, through Embedded Metric Format: one JSON log
// line that CloudWatch Logs turns into a metric, so no SDK and no PutMetricData permission are
// needed (CloudWatch User Guide, "Specification: Embedded metric format", read 2026-11-25). Looked
// up only when the warmer asks, at most once an hour per container.

/** The shortest time between two balance look-ups in one container. */
export const BALANCE_EVERY_MS = 3_600_000;

/** The metric's name; its namespace comes from METRICS_NAMESPACE (one per stack). */
export const BALANCE_METRIC = "AligoSmsRemaining";

let lastLookup = 0;

/** Whether this container should look the balance up now (and, if so, notes that it does). */
export function balanceDue(now: number): boolean {
    if (lastLookup !== 0 && now - lastLookup < BALANCE_EVERY_MS) return false;
    lastLookup = now;
    return true;
}

/** The EMF log line for `remaining` SMS in `namespace` (no dimensions: one metric per stack). */
export function balanceLine(namespace: string, remaining: number, now: number): string {
    return JSON.stringify({
        _aws: {
            Timestamp: now,
            CloudWatchMetrics: [
                { Namespace: namespace, Dimensions: [[]], Metrics: [{ Name: BALANCE_METRIC, Unit: "Count" }] },
            ],
        },
        [BALANCE_METRIC]: remaining,
        level: "info",
        msg: "aligo balance",
    });
}
