// npm run -s send -- [--stack dev] --to 010-1234-5678[,010…] --msg "…" [--title "…"] [--test] [--outputs-file FILE]
import { eucKrBytes } from "../functions/shared/bytes";
import { maskPhone } from "../functions/shared/log";
import { runCli, type CommandSpec } from "./lib/args";
import type { OpsContext } from "./lib/diagnose";
import { explainSendFailure } from "./lib/explain";
import { clientFor, invoke, loadOutputs, OpsError, OUTPUTS_FILE_OPTION } from "./lib/ops";

const spec: CommandSpec = {
    name: "send",
    summary:
        "Sends one SMS or LMS through the deployed SMS function. A failure says whether the message certainly did not go out " +
        '("Not sent") or may have ("May have been sent": check with the list command before sending again).',
    stack: true,
    options: {
        to: {
            type: "string",
            value: "NUMBERS",
            required: true,
            help: "one mobile number, or several separated by commas",
        },
        msg: {
            type: "string",
            value: "TEXT",
            required: true,
            help: "the message; over 90 bytes (EUC-KR) it goes as an LMS",
        },
        title: { type: "string", value: "TEXT", help: "an LMS title (at most 44 bytes)" },
        test: { type: "boolean", help: "Aligo's test mode: accepted and checked, nothing delivered, nothing billed" },
        "outputs-file": OUTPUTS_FILE_OPTION,
    },
    examples: [
        'npm run -s send -- --stack dev --to 010-1234-5678 --msg "배송이 시작되었습니다" --test',
        'npm run -s send -- --stack prod --to 01012345678,01098765432 --msg "점검 안내" --title "공지"',
    ],
};

runCli(
    spec,
    async ({ values, stackRef }) => {
        const ctx: OpsContext = {
            script: "send",
            stack: stackRef!,
            outputsFile: values["outputs-file"] as string | undefined,
        };
        const msg = values.msg as string;
        const outputs = await loadOutputs(ctx.stack, ctx.outputsFile);
        if (!outputs.smsFunctionName)
            throw new OpsError(`the stack has no smsFunctionName output; run \`pulumi up --stack ${ctx.stack}\` first`);
        const receivers = (values.to as string)
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
        const event = {
            action: "send",
            receiver: receivers,
            msg,
            ...(typeof values.title === "string" ? { title: values.title } : {}),
            ...(values.test ? { testMode: true } : {}),
        };
        // One attempt only: a retried invocation could send the message twice. The client gives up when
        // Lambda has not answered within the function's timeout plus 5 s (a network that drops silently).
        const inv = await invoke(clientFor(outputs, ctx, { once: true }), outputs.smsFunctionName, event);
        const shown = receivers.map((r) => maskPhone(r.replace(/[-\s.]/g, ""))).join(", ");
        if (inv.kind === "result" && inv.result.ok) {
            const r = inv.result;
            process.stdout.write(
                `${values.test ? "Test-mode send accepted (nothing delivered, nothing billed)" : "Sent"}: msg_id ${r.msg_id} to ${shown}; ${r.msg_type}, ${eucKrBytes(msg)} bytes; ${r.success_cnt} accepted, ${r.error_cnt} failed.\n`,
            );
            return;
        }
        // "Not sent" only when nothing can have gone out; otherwise sending again could deliver it twice.
        process.stdout.write(explainSendFailure(inv, shown, outputs, ctx));
        process.exitCode = 1;
    },
    [OpsError],
);
