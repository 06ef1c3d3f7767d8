// npm run -s smoke -- [--stack dev] [--outputs-file FILE]
// Checks a deployed stack end to end; exit code 0 only when all is well.
import { command, runAsScript, type CommandSpec } from "./lib/args";
import { SUMMARY } from "./lib/messages";
import { clientFor, loadOutputs, opsContext, OpsError, OUTPUTS_FILE_OPTION } from "./lib/ops";
import { renderSmoke, runSmoke } from "./lib/smoke";

const spec: CommandSpec = {
    name: "smoke",
    summary: SUMMARY.smoke,
    stack: true,
    options: { "outputs-file": OUTPUTS_FILE_OPTION },
    examples: [
        "npm run -s smoke -- --stack dev",
        "pulumi stack output --json --stack dev > dev.json && npm run -s smoke -- --stack dev --outputs-file dev.json",
    ],
};

export const main = command(
    spec,
    async (args, io) => {
        const ctx = opsContext("smoke", args);
        const outputs = await loadOutputs(ctx.stack, ctx.outputsFile);
        const report = await runSmoke(outputs, clientFor(outputs, ctx), ctx);
        io.stdout.write(renderSmoke(report));
        return report.ok ? 0 : 1;
    },
    [OpsError],
);

if (require.main === module) runAsScript(main);
