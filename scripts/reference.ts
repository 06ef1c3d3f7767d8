// npm run -s reference [-- --check]
// Writes the component package's reference page (docs/components-reference.md) from the schema that
// Pulumi's TypeScript component host infers from components/, the schema `pulumi package add` reads.
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as pkg from "../components/index";
import { command, runAsScript, type CommandSpec } from "./lib/args";
import { REFERENCE_PAGE, referencePage, type PackageSchema } from "./lib/reference";

const ROOT = join(__dirname, "..");
const PACKAGE_DIR = join(ROOT, "components");

const spec: CommandSpec = {
    name: "reference",
    summary:
        "Writes docs/components-reference.md from the schema Pulumi's component host infers from components/ " +
        "(inputs, outputs, types, enums, defaults and descriptions; about 15 s). The page's header is kept.",
    stack: false,
    options: {
        check: { type: "boolean", help: "write nothing; exit 1 when the page is not what would be written" },
    },
    examples: ["npm run -s reference", "npm run -s reference -- --check"],
};

/** The schema as the component host infers it (it compiles the package with TypeScript). */
async function inferSchema(): Promise<PackageSchema> {
    const { name } = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as { name: string };
    const provider = new ComponentProvider({ components: getPulumiComponents(pkg), dirname: PACKAGE_DIR, name });
    return JSON.parse(await provider.getSchema()) as PackageSchema;
}

function readPage(path: string): string | undefined {
    try {
        return readFileSync(path, "utf8");
    } catch {
        return undefined;
    }
}

export const main = command(spec, async (args, io) => {
    const path = join(ROOT, REFERENCE_PAGE);
    const current = readPage(path);
    const page = referencePage(await inferSchema(), current);
    if (args.values.check === true) {
        if (page === current) return 0;
        io.stderr.write(`${REFERENCE_PAGE} is not what the schema says now; run: npm run -s reference\n`);
        return 1;
    }
    if (page !== current) writeFileSync(path, page);
    io.stdout.write(`${REFERENCE_PAGE}: ${page === current ? "unchanged" : "written"}\n`);
    return 0;
});

if (require.main === module) runAsScript(main);
