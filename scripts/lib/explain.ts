// A failed invocation in readable words, for the send and remain commands.
import { explainAwsFailure, rerun, type OpsContext } from "./diagnose";
import type { Invocation, StackOutputs } from "./ops";

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
            if (e.maybeSent === true) lines.push("  The message may have reached Aligo: check with the list action before sending again.");
            if (["TIMEOUT", "CONNECTION_ERROR"].includes(e.code)) lines.push(`  Run \`${rerun(ctx, "smoke")}\` for a diagnosis.`);
            return `${lines.join("\n")}\n`;
        }
    }
}
