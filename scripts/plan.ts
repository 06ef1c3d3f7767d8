// npm run -s plan -- [--stack dev] [--nat gateway|instance|none] [--gb N] [--json] [--mermaid FILE]
import { accessSync, constants, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError, NAT_STRATEGIES, type NatStrategy } from "../program/config/config";
import { runCli, UsageError, type CommandSpec } from "./lib/args";
import { planStack, renderText } from "./lib/plan";

const spec: CommandSpec = {
    name: "plan",
    summary:
        "Offline plan of a stack, without the Pulumi CLI or AWS: the resources the program would create (its real graph, run under " +
        "Pulumi's mocks), the monthly cost of each NAT strategy side by side, and a diagram. --json prints one JSON document and nothing else.",
    stack: true,
    options: {
        nat: { type: "string", choices: NAT_STRATEGIES, help: "plan this NAT strategy instead of the stack's" },
        gb: {
            type: "string",
            value: "N",
            number: { min: 0 },
            default: "0",
            help: "GB a month through the NAT, for the data charges",
        },
        json: { type: "boolean", help: "print the plan as JSON (use `npm run -s` so npm prints no banner)" },
        mermaid: {
            type: "string",
            value: "FILE",
            help: "also write the diagram: raw Mermaid for .mmd/.mermaid, else Markdown",
        },
    },
    examples: [
        "npm run -s plan -- --stack dev",
        "npm run -s plan -- --stack prod --nat instance --gb 5",
        "npm run -s plan -- --stack dev --json | jq .costs",
        "npm run -s plan -- --stack dev --mermaid plan.md",
    ],
};

/** Refuses a --mermaid path that cannot be written, before the (20-second) planning starts. */
function checkWritable(file: string): void {
    const folder = dirname(resolve(file));
    const stat = (p: string) => {
        try {
            return statSync(p);
        } catch {
            return undefined;
        }
    };
    const dir = stat(folder);
    if (!dir) throw new UsageError(`--mermaid ${file}: the folder ${folder} does not exist`);
    if (!dir.isDirectory()) throw new UsageError(`--mermaid ${file}: ${folder} is not a folder`);
    const existing = stat(file);
    if (existing?.isDirectory())
        throw new UsageError(`--mermaid ${file}: that is a folder; give a file name (.md, or .mmd for raw Mermaid)`);
    try {
        accessSync(existing ? file : folder, constants.W_OK);
    } catch {
        throw new UsageError(`--mermaid ${file}: ${existing ? "the file" : `the folder ${folder}`} is not writable`);
    }
}

runCli(
    spec,
    async ({ values, stack }) => {
        const mermaid = values.mermaid as string | undefined;
        if (mermaid !== undefined) checkWritable(mermaid);
        const report = await planStack({
            stack: stack!,
            nat: values.nat as NatStrategy | undefined,
            gb: values.gb as number,
        });
        if (mermaid !== undefined) {
            const raw = /\.(mmd|mermaid)$/.test(mermaid);
            writeFileSync(
                mermaid,
                raw
                    ? report.mermaid
                    : `# aligo-sms ${report.stack} (nat=${report.nat})\n\n\`\`\`mermaid\n${report.mermaid}\`\`\`\n`,
            );
        }
        process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
        if (mermaid !== undefined && !values.json) process.stdout.write(`\nDiagram written to ${mermaid}\n`);
    },
    [ConfigError],
);
