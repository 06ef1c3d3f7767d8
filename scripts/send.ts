// npm run -s send -- [--stack dev] --to 010-1234-5678[,010…] --msg "…" [--title "…"] [--test] [--outputs-file FILE]
import { eucKrBytes } from "../functions/shared/bytes";
import { maskPhone } from "../functions/shared/log";
import { InvalidInput, planRequest } from "../functions/sms/validate";
import { command, runAsScript, type CommandSpec } from "./lib/args";
import { explainSendFailure } from "./lib/explain";
import { REPORT, SUMMARY } from "./lib/messages";
import {
    clientFor,
    deployedFunction,
    invoke,
    opsContext,
    OpsError,
    OUTPUTS_FILE_OPTION,
    type FunctionError,
} from "./lib/ops";

const spec: CommandSpec = {
    name: "send",
    summary: SUMMARY.send,
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

export const main = command(
    spec,
    async (args, io) => {
        const { values } = args;
        const ctx = opsContext("send", args);
        const msg = values.msg as string;
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
        const shown = receivers.map((r) => maskPhone(r.replace(/[-\s.]/g, ""))).join(", ");
        // What the function would refuse is refused here, by its own rules, before the stack is read
        // or the function invoked: answered exactly as the function answers it.
        const refused = refusal(event);
        if (refused) {
            io.stdout.write(
                explainSendFailure({ kind: "result", result: { ok: false, error: refused } }, shown, {}, ctx),
            );
            return 1;
        }
        const { outputs, fn } = await deployedFunction(ctx);
        // One attempt only: a retried invocation could send the message twice. The client gives up when
        // Lambda has not answered within the function's timeout plus 5 s (a network that drops silently).
        const inv = await invoke(clientFor(outputs, ctx, { once: true }), fn, event);
        if (inv.kind === "result" && inv.result.ok) {
            io.stdout.write(REPORT.sent(values.test === true, inv.result, shown, eucKrBytes(msg)));
            return 0;
        }
        // "Not sent" only when nothing can have gone out; otherwise sending again could deliver it twice.
        io.stdout.write(explainSendFailure(inv, shown, outputs, ctx));
        return 1;
    },
    [OpsError],
);

/**
 * The SMS function's own refusal of a send event (functions/sms/validate.ts, the code the function
 * runs: receivers, text, title), as it answers one; undefined when it would take it.
 */
function refusal(event: Record<string, unknown>): FunctionError | undefined {
    try {
        planRequest("send", event, new Date());
        return undefined;
    } catch (e) {
        if (!(e instanceof InvalidInput)) throw e;
        return { code: "INVALID_INPUT", message: e.message, field: e.field, maybeSent: false };
    }
}

if (require.main === module) runAsScript(main);
