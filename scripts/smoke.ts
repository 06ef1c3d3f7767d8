// npm run -s smoke -- [--stack dev] [--outputs-file FILE]
// Checks a deployed stack end to end; exit code 0 only when all is well.
import { runCli, type CommandSpec } from "./lib/args";
import type { OpsContext } from "./lib/diagnose";
import { clientFor, loadOutputs, OpsError, OUTPUTS_FILE_OPTION } from "./lib/ops";
import { renderSmoke, runSmoke } from "./lib/smoke";

const spec: CommandSpec = {
    name: "smoke",
    summary:
        "Checks a deployed stack from this machine: the SMS function leaves from one of the stack's egressIps, and Aligo accepts it " +
        "(its balance). On failure it says why, local causes (credentials, network) first. Exit 0 only when all is well. " +
        "Needs AWS credentials that may invoke the function, and the stack's outputs (from the Pulumi CLI, or a file).",
    stack: true,
    options: { "outputs-file": OUTPUTS_FILE_OPTION },
    examples: [
        "npm run -s smoke -- --stack dev",
        "pulumi stack output --json --stack dev > dev.json && npm run -s smoke -- --stack dev --outputs-file dev.json",
    ],
};

runCli(
    spec,
    async ({ values, stackRef }) => {
        const ctx: OpsContext = {
            script: "smoke",
            stack: stackRef!,
            outputsFile: values["outputs-file"] as string | undefined,
        };
        const outputs = await loadOutputs(ctx.stack, ctx.outputsFile);
        const report = await runSmoke(outputs, clientFor(outputs, ctx), ctx);
        process.stdout.write(renderSmoke(report));
        process.exitCode = report.ok ? 0 : 1;
    },
    [OpsError],
);
