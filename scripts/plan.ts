// npm run -s plan -- [--stack dev] [--nat gateway|instance|none] [--gb N] [--json] [--mermaid FILE]
import { accessSync, constants, statSync, writeFileSync, type Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError, NAT_STRATEGIES, type NatStrategy } from "../program/config/config";
import { command, runAsScript, UsageError, type CommandSpec } from "./lib/args";
import { SUMMARY } from "./lib/messages";

const spec: CommandSpec = {
    name: "plan",
    summary: SUMMARY.plan,
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

const statOf = (p: string): Stats | undefined => {
    try {
        return statSync(p);
    } catch {
        return undefined;
    }
};

/** Refuses a --mermaid path that cannot be written, before the (20-second) planning starts. */
function checkWritable(file: string): void {
    const folder = dirname(resolve(file));
    const dir = statOf(folder);
    if (!dir) throw new UsageError(`--mermaid ${file}: the folder ${folder} does not exist`);
    if (!dir.isDirectory()) throw new UsageError(`--mermaid ${file}: ${folder} is not a folder`);
    const existing = statOf(file);
    if (existing?.isDirectory())
        throw new UsageError(`--mermaid ${file}: that is a folder; give a file name (.md, or .mmd for raw Mermaid)`);
    try {
        accessSync(existing ? file : folder, constants.W_OK);
    } catch {
        throw new UsageError(`--mermaid ${file}: ${existing ? "the file" : `the folder ${folder}`} is not writable`);
    }
}

export const main = command(
    spec,
    async ({ values, stack }, io) => {
        const mermaid = values.mermaid as string | undefined;
        if (mermaid !== undefined) checkWritable(mermaid);
        // Loaded here, so that --help and a wrong command line answer without loading the program.
        const { planStack, renderText } = await import("./lib/plan");
        const report = await planStack({
            stack: stack!,
            nat: values.nat as NatStrategy | undefined,
            gb: values.gb as number,
        });
        if (mermaid !== undefined) {
            const raw = /\.(mmd|mermaid)$/.test(mermaid);
            const title = `# aligo-sms ${report.stack} (nat=${report.nat})`;
            writeFileSync(mermaid, raw ? report.mermaid : `${title}\n\n\`\`\`mermaid\n${report.mermaid}\`\`\`\n`);
        }
        io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
        if (mermaid !== undefined && !values.json) io.stdout.write(`\nDiagram written to ${mermaid}\n`);
    },
    [ConfigError],
);

if (require.main === module) runAsScript(main);
