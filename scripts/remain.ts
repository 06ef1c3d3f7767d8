// npm run remain -- --stack dev [--outputs-file FILE]
import { parseArgs, runCli, UsageError } from "./lib/args";
import { explainFailure } from "./lib/explain";
import { clientFor, invoke, loadOutputs, OpsError } from "./lib/ops";

async function main() {
    const args = parseArgs(process.argv.slice(2), { stack: "string", "outputs-file": "string" });
    if (typeof args.stack !== "string") throw new UsageError("--stack is required, e.g. --stack dev");
    const outputs = await loadOutputs(args.stack, args["outputs-file"] as string | undefined);
    if (!outputs.smsFunctionName) throw new OpsError("the stack has no smsFunctionName output; run `pulumi up` first");
    const inv = await invoke(clientFor(outputs), outputs.smsFunctionName, { action: "remain" });
    if (inv.kind === "result" && inv.result.ok) {
        const r = inv.result;
        process.stdout.write(`Aligo balance (messages you can still send): SMS ${r.SMS_CNT}, LMS ${r.LMS_CNT}, MMS ${r.MMS_CNT}\n`);
        return;
    }
    process.stdout.write(explainFailure(inv, outputs));
    process.exitCode = 1;
}

runCli(main, [OpsError]);
