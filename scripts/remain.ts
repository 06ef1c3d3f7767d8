// npm run -s remain -- [--stack dev] [--outputs-file FILE]
import { command, runAsScript, type CommandSpec } from "./lib/args";
import { explainFailure } from "./lib/explain";
import { REPORT, SUMMARY } from "./lib/messages";
import { clientFor, deployedFunction, invoke, opsContext, OpsError, OUTPUTS_FILE_OPTION } from "./lib/ops";

const spec: CommandSpec = {
    name: "remain",
    summary: SUMMARY.remain,
    stack: true,
    options: { "outputs-file": OUTPUTS_FILE_OPTION },
    examples: ["npm run -s remain -- --stack prod"],
};

export const main = command(
    spec,
    async (args, io) => {
        const ctx = opsContext("remain", args);
        const { outputs, fn } = await deployedFunction(ctx);
        const inv = await invoke(clientFor(outputs, ctx), fn, { action: "remain" });
        if (inv.kind === "result" && inv.result.ok) {
            io.stdout.write(REPORT.balance(inv.result));
            return 0;
        }
        io.stdout.write(explainFailure(inv, outputs, ctx));
        return 1;
    },
    [OpsError],
);

if (require.main === module) runAsScript(main);
