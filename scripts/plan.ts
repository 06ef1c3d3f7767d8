// npm run -s plan -- [--stack dev] [--nat gateway|instance|none] [--gb N] [--json] [--mermaid FILE]
import { writeFileSync } from "node:fs";
import { ConfigError, NAT_STRATEGIES, type NatStrategy } from "../program/config/config";
import { runCli, type CommandSpec } from "./lib/args";
import { planStack, renderText } from "./lib/plan";

const spec: CommandSpec = {
    name: "plan",
    summary:
        "Offline plan of a stack, without the Pulumi CLI or AWS: the resources the program would create (its real graph, run under " +
        "Pulumi's mocks), the monthly cost of each NAT strategy side by side, and a diagram. --json prints one JSON document and nothing else.",
    stack: true,
    options: {
        nat: { type: "string", choices: NAT_STRATEGIES, help: "plan this NAT strategy instead of the stack's" },
        gb: { type: "string", value: "N", number: { min: 0 }, default: "0", help: "GB a month through the NAT, for the data charges" },
        json: { type: "boolean", help: "print the plan as JSON (use `npm run -s` so npm prints no banner)" },
        mermaid: { type: "string", value: "FILE", help: "also write the diagram: raw Mermaid for .mmd/.mermaid, else Markdown" },
    },
    examples: ["npm run -s plan -- --stack dev", "npm run -s plan -- --stack prod --nat instance --gb 5", "npm run -s plan -- --stack dev --json | jq .costs", "npm run -s plan -- --stack dev --mermaid plan.md"],
};

runCli(spec, async ({ values, stack }) => {
    const report = await planStack({ stack: stack!, nat: values.nat as NatStrategy | undefined, gb: values.gb as number });
    const mermaid = values.mermaid as string | undefined;
    if (mermaid !== undefined) {
        const raw = /\.(mmd|mermaid)$/.test(mermaid);
        writeFileSync(mermaid, raw ? report.mermaid : `# aligo-sms ${report.stack} (nat=${report.nat})\n\n\`\`\`mermaid\n${report.mermaid}\`\`\`\n`);
    }
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
    if (mermaid !== undefined && !values.json) process.stdout.write(`\nDiagram written to ${mermaid}\n`);
}, [ConfigError]);
