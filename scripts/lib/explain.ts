// A failed invocation in readable words, for the send, remain and list commands, and whether a
// failed send may still have gone out.
import { explainAwsFailure, failureKind, rerun, type OpsContext } from "./diagnose";
import type { Invocation, StackOutputs } from "./ops";

/** Network failures that happen before a request is written: the invocation cannot have reached Lambda. */
const BEFORE_CONNECTING = /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH)$/;

/**
 * Whether a failed send certainly did not go out. Only when nothing ran: the invocation never
 * reached Lambda (no or refused credentials, no region, no connection), Lambda refused it before
 * running the function (no such function, no permission, throttled, no network interfaces), or the
 * function answered `maybeSent: false` (bad input, Aligo's own refusal, no request written).
 * Everything else, a Lambda timeout, a crash, a timeout after connecting to Aligo, a broken
 * connection to Lambda after the request was written, may have sent it.
 */
export function certainlyNotSent(inv: Invocation): boolean {
    switch (inv.kind) {
        case "result":
            return inv.result?.error?.maybeSent === false;
        case "function-error":
            return false;
        case "invoke-error":
            switch (failureKind(inv)) {
                case "no-credentials":
                case "expired-credentials":
                case "invalid-credentials":
                case "no-region":
                case "not-found":
                case "access-denied":
                case "throttled":
                case "vpc-permissions":
                case "no-room-for-interfaces":
                    return true;
                case "no-network":
                    return inv.code !== undefined ? BEFORE_CONNECTING.test(inv.code) : /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH)\b|getaddrinfo/.test(inv.message);
                case "lambda":
                    return false;
            }
    }
}

export function explainFailure(inv: Invocation, outputs: StackOutputs, ctx: OpsContext): string {
    const fn = outputs.smsFunctionName ?? "the SMS function";
    switch (inv.kind) {
        case "invoke-error":
            return `${explainAwsFailure(inv, fn, outputs.smsFunctionArn, ctx)}\n`;
        case "function-error":
            return `The function failed: ${inv.errorType}: ${inv.errorMessage}\n${/timed out/i.test(inv.errorMessage) ? `It could not finish in time: run \`${rerun(ctx, "smoke")}\` for a diagnosis.\n` : ""}`;
        case "result": {
            const e = inv.result.error ?? {};
            const lines = [`Error ${e.code}: ${e.message}`];
            if (e.field) lines.push(`  field: ${e.field}`);
            if (e.hint) lines.push(`  hint: ${e.hint}`);
            else if (Number(e.code) === -101 && /IP/i.test(String(e.message)) && outputs.egressIps) lines.push(`  hint: register ${outputs.egressIps.join(", ")} in the Aligo console (연동형 API → 발송 IP)`);
            if (["TIMEOUT", "CONNECTION_ERROR"].includes(e.code)) lines.push(`  Run \`${rerun(ctx, "smoke")}\` for a diagnosis.`);
            return `${lines.join("\n")}\n`;
        }
    }
}
