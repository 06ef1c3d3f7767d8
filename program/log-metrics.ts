// The metrics the stack's log filters make from the functions' JSON log lines. Pure (no Pulumi):
// the functions' tests read the patterns to check that their log lines match.
//
// The patterns keep to the part of CloudWatch Logs' JSON filter syntax that the AWS docs show in
// their own examples: `$.field = "text"` (string equality; metric filters are case sensitive), `&&`
// and `||`, and parentheses grouping each side of an `&&`, as in
// `{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }` (Amazon CloudWatch Logs User
// Guide, "Filter pattern syntax for metric filters, subscription filters, filter log events, and Live
// Tail", section "Using filter patterns to match terms in JSON log events",
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html, read
// 2026-12-07). The functions' tests run these patterns on the functions' real log lines
// (testing/log-filter.ts reads this syntax).

/** The metrics a log filter makes from the functions' JSON lines (no default value: nothing is emitted when nothing matches). */
export const LOG_METRICS = {
    // A send that failed (level error: NOT_SENT, a refusal, a timeout, ...), or that Aligo delivered
    // to only some of its receivers (logged as a warning, `outcome: "partial"`: functions/sms/index.ts).
    // Refused input and a call refused while another was in flight (BUSY) are warnings: not counted.
    failedSends: {
        metric: "FailedSends",
        pattern: '{ ($.action = "send" || $.action = "sendMass") && ($.level = "error" || $.outcome = "partial") }',
    },
    // The SMS function marks Aligo's refusal of its address as refusal "ip" (functions/sms/index.ts).
    ipRefusals: { metric: "AligoIpRefusals", pattern: '{ $.refusal = "ip" }' },
    warmerFailures: { metric: "WarmerFailures", pattern: '{ $.level = "error" }' },
} as const;
