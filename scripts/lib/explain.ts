// A failed invocation in readable words, for the send, remain and list commands, and whether a
// failed send may still have gone out.
import { explainAwsFailure, failureKind, rerun, type OpsContext } from "./diagnose";
import { FAILED } from "./diagnosis-messages";
import type { FunctionError, Invocation, StackOutputs } from "./ops";

/**
 * Aligo's refusal of the function's address, as the SMS function answers it: `-101` with the
 * addresses to register (it adds `egressIps` to that refusal only, having read Aligo's whole
 * message), or, from an older function, "IP" in the quoted message.
 */
export function isIpRefusalResult(e: { code?: unknown; message?: unknown; egressIps?: unknown }): boolean {
    return Number(e.code) === -101 && (Array.isArray(e.egressIps) || /IP/i.test(String(e.message)));
}

/** Aligo's own refusal, as the SMS function answers it: Aligo's negative result_code, `source: "aligo"`. */
const isAligoRefusal = (e: { code?: unknown; source?: unknown } | undefined): boolean =>
    e?.source === "aligo" && Number(e.code) < 0;

/**
 * Whether a failed send certainly did not go out. Only when nothing ran: the invocation never
 * reached Lambda (no or refused credentials, no region, a name that did not resolve or a connection
 * that was never made), Lambda refused it before running the function (no such function, no
 * permission, throttled, no network interfaces), or the function answered `maybeSent: false` (bad
 * input, no connection ever made) or with Aligo's own refusal (`source: "aligo"` and a negative
 * code: the request reached Aligo, so `maybeSent` is true, but Aligo says it sent nothing).
 * Everything else, a Lambda timeout, a crash, a timeout after connecting to Aligo, a connection to
 * Lambda that broke or went silent after the request was written, may have sent it.
 */
export function certainlyNotSent(inv: Invocation): boolean {
    switch (inv.kind) {
        case "result":
            return inv.result?.error?.maybeSent === false || isAligoRefusal(inv.result?.error);
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
                case "no-network": // failed in DNS or connect (failedBeforeSending): nothing was written
                    return true;
                case "connection-lost":
                case "no-answer":
                case "lambda":
                    return false;
            }
    }
}

/**
 * What a failed send prints: "Not sent" only when nothing can have gone out (sending again is then
 * safe); otherwise "May have been sent" with the complete command that lists Aligo's recent messages,
 * because sending again could deliver it twice. Then why it failed.
 */
export function explainSendFailure(inv: Invocation, shown: string, outputs: StackOutputs, ctx: OpsContext): string {
    const head = certainlyNotSent(inv) ? FAILED.notSent(shown) : FAILED.maybeSent(shown, rerun(ctx, "list"));
    return `${head}\n${explainFailure(inv, outputs, ctx)}`;
}

export function explainFailure(inv: Invocation, outputs: StackOutputs, ctx: OpsContext): string {
    const fn = outputs.smsFunctionName ?? "the SMS function";
    switch (inv.kind) {
        case "invoke-error":
            return `${explainAwsFailure(inv, fn, outputs.smsFunctionArn, ctx)}\n`;
        case "function-error": {
            const timedOut = /timed out/i.test(inv.errorMessage);
            return (
                FAILED.functionFailed(inv.errorType, inv.errorMessage) +
                (timedOut ? FAILED.couldNotFinish(rerun(ctx, "smoke")) : "")
            );
        }
        case "result":
            return explainError(inv.result.error ?? {}, outputs, ctx);
    }
}

/** The function's own error: its code and message, the field and hint it gives, and what to do. */
function explainError(e: FunctionError, outputs: StackOutputs, ctx: OpsContext): string {
    const lines = [`Error ${e.code}: ${e.message}`];
    if (e.field) lines.push(`  field: ${e.field}`);
    if (e.hint) lines.push(`  hint: ${e.hint}`);
    else if (isIpRefusalResult(e) && outputs.egressIps) lines.push(FAILED.registerHint(outputs.egressIps));
    if (e.code === "TIMEOUT" || e.code === "CONNECTION_ERROR") lines.push(FAILED.runSmoke(rerun(ctx, "smoke")));
    return `${lines.join("\n")}\n`;
}
