// The metrics the stack's log filters make from the functions' JSON log lines. Pure (no Pulumi):
// the functions' tests read the patterns to check that their log lines match.

/** The metrics a log filter makes from the functions' JSON lines (no default value: nothing is emitted when nothing matches). */
export const LOG_METRICS = {
    failedSends: {
        metric: "FailedSends",
        pattern: '{ $.level = "error" && ($.action = "send" || $.action = "sendMass") }',
    },
    // The SMS function marks Aligo's refusal of its address as refusal "ip" (functions/sms/index.ts).
    ipRefusals: { metric: "AligoIpRefusals", pattern: '{ $.refusal = "ip" }' },
    warmerFailures: { metric: "WarmerFailures", pattern: '{ $.level = "error" }' },
} as const;
