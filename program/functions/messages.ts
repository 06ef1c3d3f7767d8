// What the functions' wiring tells people: the functions' descriptions, and why a deployment stops.

export const FUNCTION_MESSAGES = {
    description: {
        sms: "Sends SMS through Aligo from the stack's fixed egress IP",
        warmer: "Keeps the SMS function warm",
    },
    secretInEnvironment: (fn: string, names: string[]) =>
        `${fn}: the environment variable${names.length > 1 ? "s" : ""} ${names.join(", ")} would hold a secret, ` +
        `which anyone allowed lambda:GetFunctionConfiguration can read; ` +
        `keep secrets in SSM Parameter Store and pass the parameter's name`,
} as const;
