// npm run smoke -- --stack dev [--outputs-file FILE]
// Checks a deployed stack end to end; exit code 0 only when all is well.
import { parseArgs, runCli, UsageError } from "./lib/args";
import { clientFor, loadOutputs, OpsError } from "./lib/ops";
import { renderSmoke, runSmoke } from "./lib/smoke";

async function main() {
    const args = parseArgs(process.argv.slice(2), { stack: "string", "outputs-file": "string" });
    if (typeof args.stack !== "string") throw new UsageError("--stack is required, e.g. --stack dev");
    const outputs = await loadOutputs(args.stack, args["outputs-file"] as string | undefined);
    const report = await runSmoke(outputs, clientFor(outputs));
    process.stdout.write(renderSmoke(report));
    process.exitCode = report.ok ? 0 : 1;
}

runCli(main, [OpsError]);
