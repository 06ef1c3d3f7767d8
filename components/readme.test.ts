// The package reference (docs/components.md) must say what the package really is: its tables list
// exactly the schema's inputs and outputs, and its TypeScript example runs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { expectInstanceExample, runDocExample } from "../testing/components";
import { packageSchema } from "../testing/package-schema";

const reference = readFileSync(join(__dirname, "..", "docs", "components.md"), "utf8");

/** The first-column names of the table that follows `heading` and starts with `| first |`. */
function tableNames(after: string, first: "input" | "output"): string[] {
    const rest = reference.split(after)[1] ?? "";
    const table = rest.split(`| ${first} |`)[1]?.split(/\n\n/)[0] ?? "";
    return [...table.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
}

let schema: any;
beforeAll(async () => {
    schema = await packageSchema();
}, 60_000);

describe("the component reference in docs/components.md", () => {
    it.each([["Network"], ["Nat"]])("%s: the tables list exactly the schema's inputs and outputs", (name) => {
        const r = schema.resources[`aligo-sms:index:${name}`];
        const heading = `\`${name}\` (\`aligo-sms:index:${name}\`):`;
        expect(reference).toContain(heading);
        expect(tableNames(heading, "input").sort()).toEqual(Object.keys(r.inputProperties).sort());
        expect(tableNames(heading, "output").sort()).toEqual(Object.keys(r.properties).sort());
    });

    it("the TypeScript example builds a NAT instance and exports the addresses", async () => {
        const code = /TypeScript:\n\n```ts\n([\s\S]*?)```/.exec(reference)?.[1];
        expect(code).toContain('from "@pulumi/aligo-sms"');
        const { run: r, exported } = await runDocExample(code!);
        expectInstanceExample(r, exported);
    });
});
