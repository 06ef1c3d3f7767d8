// What the functions' alarms say when they fire: what is wrong and what to do, one entry per alarm.

export const ALARM_MESSAGES = {
    smsErrors: (stack: string) =>
        "The SMS function failed (Lambda Errors: a crash or a timeout, not an answer with ok false). " +
        `Its log group shows why; \`npm run -s smoke -- --stack ${stack}\` checks the path end to end.`,
    smsThrottles:
        "Lambda throttled the SMS function (Throttles): calls were refused before they ran. " +
        "Raise the account's concurrency or the function's reserved concurrency.",
    failedSends: (stack: string) =>
        "A send failed (the SMS function logged a send or sendMass error: Aligo refused, timed out, or could not be reached). " +
        "Each log line says why, and whether the request may have reached Aligo (maybeSent); " +
        `source "aligo" with a negative code is Aligo's refusal, nothing sent. \`npm run -s smoke -- --stack ${stack}\` checks the path.`,
    ipRefused: (stack: string, egressIps: string[]) =>
        "Aligo refuses the function's address (-101 인증오류입니다.-IP). " +
        `Register every address in \`pulumi stack output egressIps --stack ${stack}\` (${egressIps.join(", ")}) ` +
        "in the Aligo console: 연동형 API → 발송 IP.",
    warmerFailures: (when: string) =>
        `The warmer failed ${when} (its summary line says which pings failed and why: ` +
        "the Lambda API unreachable through the NAT, throttling, or the SMS function failing). " +
        "Sends still work, but cold starts come back.",
    warmerErrors: (when: string) => `The warmer crashed or timed out ${when} (Lambda Errors). Its log group shows why.`,
    balanceLow: (below: number, stack: string) =>
        `Aligo's remaining SMS count is below ${below}: top up the prepaid balance in the Aligo console before sends start failing. ` +
        `\`npm run -s remain -- --stack ${stack}\` shows the count now.`,
    balanceStale: (hours: number) =>
        `No Aligo balance figure for at least ${hours} hours (INSUFFICIENT_DATA): ` +
        `the look-ups fail (the SMS function's "aligo balance failed" log lines say why), ` +
        "or the warmer is not running. Until figures come again, the balance alarm cannot tell a low balance.",
} as const;
