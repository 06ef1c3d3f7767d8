// The SMS function's longer texts, in one table: the answers and hints a caller or an operator reads.
// Each is a function of what it quotes (already masked and bounded by the caller). The scripts, the
// docs and other tests quote these words, so changing one changes what people are told.

/** Where an Aligo account registers the addresses it accepts calls from. */
const ALIGO_IP_CONSOLE = "the Aligo console: 연동형 API → 발송 IP";

/** Why the key could not be read, by the failure's type (SSM's error type, or the transport's). */
const SSM_REASONS: Record<string, string> = {
    ParameterNotFound: "it does not exist (was the stack deployed to this account and region?)",
    AccessDeniedException: "the function's role may not ssm:GetParameter it",
    NO_CREDENTIALS: "the function has no AWS credentials",
    TIMEOUT: "SSM did not answer in time (no route to SSM from the private subnets? the NAT must be on)",
    CONNECTION_ERROR: "SSM could not be reached (no route to SSM from the private subnets? the NAT must be on)",
};

export const MESSAGES = {
    // Aligo refused the caller's IP: which address to register, with the evidence at hand.
    ipNotThroughNat: (current: string, registered: string[]) =>
        `This function leaves from ${current}, which is not one of the stack's egressIps (${registered.join(", ")}): ` +
        "its traffic is not going through the stack's NAT. " +
        "Check the function's VPC settings and the private route tables.",
    ipRegisterAll: (current: string | undefined, registered: string[]) =>
        `Aligo does not accept calls from ${current ?? "this function's address"}. ` +
        `Register every address in the stack output egressIps (${registered.join(", ")}) in ${ALIGO_IP_CONSOLE}.`,
    ipRegisterIt: (current: string | undefined) =>
        `Aligo does not accept calls from ${current ?? "this function's address"}. ` +
        `Register it (see \`pulumi stack output egressIps\`) in ${ALIGO_IP_CONSOLE}.`,

    busy:
        "another call is in flight in this container and its requests are under way; " +
        "nothing was sent for this one: call again once the first has answered " +
        "(Lambda runs one invocation per container at a time: this happens only outside Lambda)",
    sentToNobody: (errorCount: number, msgId: string) =>
        `Aligo took the request (msg_id ${msgId || "none"}) but sent it to none of its receivers ` +
        `(success_cnt 0, error_cnt ${errorCount}); { action: "detail", mid } lists each receiver's state`,
    noTimeForKey: (parameter: string) =>
        `no time was left to read the Aligo API key from SSM parameter ${parameter}: the invocation had ` +
        "too little of its time left to make a request, so SSM was not asked; nothing was sent to Aligo",

    egressIpUrlInvalid: (quoted: string) => `EGRESS_IP_URL ${quoted} is not an http(s) URL`,

    keyUnreadable: (parameter: string, type: string, detail: string) =>
        `the Aligo API key could not be read from SSM parameter ${parameter}: ` +
        `${Object.prototype.hasOwnProperty.call(SSM_REASONS, type) ? SSM_REASONS[type] : "SSM refused"} ` +
        `(${type}: ${detail}); nothing was sent to Aligo`,

    // Refusals of the caller's input (INVALID_INPUT), after the field's name.
    notMobile: (quoted: string, length: number) =>
        `${quoted} (${length} characters) is not a Korean mobile number such as 010-1234-5678`,
    blank: (length: number) =>
        `is blank: its ${length} characters are all white space or invisible ` +
        "(zero-width, format or filler characters); there is nothing to read",
    tooManyBytes: (bytes: number, max: number) =>
        `is ${bytes} bytes as carriers count them (Hangul 2, ASCII 1); at most ${max}`,
    smsTooLong: (smsMax: number, field: string, bytes: number) =>
        `SMS holds ${smsMax} bytes but ${field} is ${bytes}; use LMS or leave msgType out`,
    notIsoWithZone: (quoted: string) => `${quoted} is not an ISO date-time with a zone, e.g. 2026-12-01T09:30:00+09:00`,
    offsetNoPlaceUses: (quoted: string) =>
        `${quoted} has an offset no place uses; ` +
        "offsets run from -12:00 to +14:00, in hours or with :30 or :45 minutes",
    noSuchDateTime: (quoted: string) =>
        `${quoted} is not a date and time that exists (check the day of the month and the hour)`,
    reservedTooSoon: (quoted: string, minutes: number) =>
        `${quoted} is ${minutes} minutes from now; Aligo needs at least 10`,
    reservedTooFar: (quoted: string) =>
        `${quoted} is more than a year ahead; reservations are taken up to one year ahead`,
    dateOutOfRange: (quoted: string, first: string, last: string, given: string) =>
        `${quoted} is ${given < first ? `before ${first}` : `after ${last}`}; ` +
        `dates from ${first} to ${last} (the end of next year) are taken`,
    notMessageId: (quoted: string, tooLargeAsNumber: boolean) =>
        `${quoted} is not an Aligo message id (digits)` +
        (tooLargeAsNumber ? " (too large to be exact as a number: pass it as a string)" : ""),
    notAFieldOf: (action: string, allowed: string[]) =>
        `is not a field of action ${action} (allowed: ${allowed.join(", ")})`,
    tooManyFields: (count: number, max: number, unknown: string) =>
        `has ${count} fields; an event has at most ${max}` + (unknown ? ` (no event has ${unknown}, …)` : ""),
    notPingFields: (others: string, otherCount: number, allowed: readonly string[]) =>
        "is not a field of a warm-up ping" +
        (otherCount === 0 ? "" : `, nor ${otherCount === 1 ? "is" : "are"} ${others}`) +
        ` (a ping has only ${allowed.join(", ")}; any other event needs an action)`,
    pingNotTrue: (quoted: string) => `${quoted} is not true: a warm-up ping is { warmer: true }, nothing else`,
    receiverTwice: (masked: string) => `lists ${masked} more than once; each number would be sent the message again`,
    massRepeat: (masked: string) => `repeats the same message to ${masked}; it would arrive twice`,
};
