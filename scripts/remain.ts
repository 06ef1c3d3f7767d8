// npm run -s remain -- [--stack dev] [--outputs-file FILE]
import { runCli, type CommandSpec } from "./lib/args";
import type { OpsContext } from "./lib/diagnose";
import { explainFailure } from "./lib/explain";
import { clientFor, invoke, loadOutputs, OpsError, OUTPUTS_FILE_OPTION } from "./lib/ops";

const spec: CommandSpec = {
    name: "remain",
    summary: "Asks Aligo, through the deployed SMS function, how many messages the account can still send.",
    stack: true,
    options: { "outputs-file": OUTPUTS_FILE_OPTION },
    examples: ["npm run -s remain -- --stack prod"],
};

runCli(
    spec,
    async ({ values, stackRef }) => {
        const ctx: OpsContext = {
            script: "remain",
            stack: stackRef!,
            outputsFile: values["outputs-file"] as string | undefined,
        };
        const outputs = await loadOutputs(ctx.stack, ctx.outputsFile);
        if (!outputs.smsFunctionName)
            throw new OpsError(`the stack has no smsFunctionName output; run \`pulumi up --stack ${ctx.stack}\` first`);
        const inv = await invoke(clientFor(outputs, ctx), outputs.smsFunctionName, { action: "remain" });
        if (inv.kind === "result" && inv.result.ok) {
            const r = inv.result;
            process.stdout.write(
                `Aligo balance (messages you can still send): SMS ${r.SMS_CNT}, LMS ${r.LMS_CNT}, MMS ${r.MMS_CNT}\n`,
            );
            return;
        }
        process.stdout.write(explainFailure(inv, outputs, ctx));
        process.exitCode = 1;
    },
    [OpsError],
);
