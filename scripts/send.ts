// npm run send -- --stack dev --to 010-1234-5678[,010…] --msg "…" [--title "…"] [--test] [--outputs-file FILE]
import { eucKrBytes } from "../functions/shared/bytes";
import { maskPhone } from "../functions/shared/log";
import { parseArgs, runCli, UsageError } from "./lib/args";
import { clientFor, invoke, loadOutputs, OpsError } from "./lib/ops";
import { explainFailure } from "./lib/explain";

async function main() {
    const args = parseArgs(process.argv.slice(2), { stack: "string", to: "string", msg: "string", title: "string", test: "boolean", "outputs-file": "string" });
    if (typeof args.stack !== "string") throw new UsageError("--stack is required, e.g. --stack dev");
    if (typeof args.to !== "string") throw new UsageError("--to is required: one number or several separated by commas");
    if (typeof args.msg !== "string") throw new UsageError('--msg is required, e.g. --msg "안녕하세요"');
    const outputs = await loadOutputs(args.stack, args["outputs-file"] as string | undefined);
    if (!outputs.smsFunctionName) throw new OpsError("the stack has no smsFunctionName output; run `pulumi up` first");
    const receivers = args.to.split(",").map((s) => s.trim()).filter(Boolean);
    const event = { action: "send", receiver: receivers, msg: args.msg, ...(typeof args.title === "string" ? { title: args.title } : {}), ...(args.test ? { testMode: true } : {}) };
    const inv = await invoke(clientFor(outputs), outputs.smsFunctionName, event);
    const shown = receivers.map((r) => maskPhone(r.replace(/[-\s.]/g, ""))).join(", ");
    if (inv.kind === "result" && inv.result.ok) {
        const r = inv.result;
        process.stdout.write(`${args.test ? "Test-mode send accepted (nothing delivered, nothing billed)" : "Sent"}: msg_id ${r.msg_id} to ${shown}; ${r.msg_type}, ${eucKrBytes(args.msg)} bytes; ${r.success_cnt} accepted, ${r.error_cnt} failed.\n`);
        return;
    }
    process.stdout.write(`Not sent to ${shown}.\n${explainFailure(inv, outputs)}`);
    process.exitCode = 1;
}

runCli(main, [OpsError]);
