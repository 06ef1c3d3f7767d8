// npm run plan -- --stack dev [--nat gateway|instance|none] [--gb N] [--json] [--mermaid FILE]
import { writeFileSync } from "node:fs";
import { NAT_STRATEGIES, type NatStrategy } from "../program/config/config";
import { parseArgs, runCli, UsageError } from "./lib/args";
import { planStack, renderText } from "./lib/plan";

async function main() {
    const args = parseArgs(process.argv.slice(2), { stack: "string", nat: "string", gb: "string", json: "boolean", mermaid: "string" });
    if (typeof args.stack !== "string") throw new UsageError("--stack is required, e.g. --stack dev");
    if (args.nat !== undefined && !(NAT_STRATEGIES as readonly unknown[]).includes(args.nat)) {
        throw new UsageError(`--nat ${JSON.stringify(args.nat)} is not one of ${NAT_STRATEGIES.join(", ")}`);
    }
    const gb = args.gb === undefined ? 0 : Number(args.gb);
    if (!Number.isFinite(gb) || gb < 0) throw new UsageError(`--gb ${JSON.stringify(args.gb)} is not a number of GB ≥ 0`);
    const report = await planStack({ stack: args.stack, nat: args.nat as NatStrategy | undefined, gb });
    if (typeof args.mermaid === "string") {
        const raw = /\.(mmd|mermaid)$/.test(args.mermaid);
        writeFileSync(args.mermaid, raw ? report.mermaid : `# aligo-sms ${report.stack} (nat=${report.nat})\n\n\`\`\`mermaid\n${report.mermaid}\`\`\`\n`);
    }
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
    if (typeof args.mermaid === "string" && !args.json) process.stdout.write(`\nDiagram written to ${args.mermaid}\n`);
}

runCli(main);
