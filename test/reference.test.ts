// The component package's reference page (docs/components-reference.md) is written from the schema
// the package infers (npm run reference): the committed page must be what it would write now, from
// the schema the suite inferred once (testing/package-schema.ts). Its examples are held to the same
// schema: the TypeScript one runs under the mocks, the others name only what the schema has.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { expectInstanceExample, runDocExample } from "../testing/components";
import { packageSchema } from "../testing/package-schema";
import {
    GENERATED_MARKER,
    REFERENCE_PAGE,
    pageHeader,
    referencePage,
    type PackageSchema,
} from "../scripts/lib/reference";

const ROOT = join(__dirname, "..");
const page = readFileSync(join(ROOT, REFERENCE_PAGE), "utf8");
const header = pageHeader(page) ?? "";

let schema: PackageSchema;
beforeAll(async () => {
    schema = (await packageSchema()) as PackageSchema;
}, 60_000);

/** The code of the example that follows `label` in the page's header. */
function example(label: string, lang: string): string {
    const code = new RegExp(`\\n${label}:\\n\\n\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(header)?.[1];
    if (code === undefined) throw new Error(`no ${label} example in ${REFERENCE_PAGE}`);
    return code;
}

const short = (token: string) => token.split(":").pop()!;
/** Every property name the schema has: resources' inputs and outputs, object types' properties. */
function propertyNames(): string[] {
    const names = new Set<string>();
    for (const r of Object.values(schema.resources ?? {}))
        for (const k of [...Object.keys(r.inputProperties ?? {}), ...Object.keys(r.properties ?? {})]) names.add(k);
    for (const t of Object.values(schema.types ?? {})) for (const k of Object.keys(t.properties ?? {})) names.add(k);
    return [...names];
}
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const pascal = (name: string) => name[0].toUpperCase() + name.slice(1);
const strategyValues = () => schema.types!["aligo-sms:index:NatStrategy"].enum!;

describe(`${REFERENCE_PAGE}, written from the package's schema`, () => {
    it("is what `npm run reference` writes from the schema the package infers now", () => {
        expect(page).toContain(GENERATED_MARKER);
        // On failure: run `npm run -s reference` and commit the page (change descriptions in components/, not there).
        expect(referencePage(schema, page)).toBe(page);
    });

    it("would be stale after a change to the schema (the check can fail)", () => {
        const changed = structuredClone(schema);
        const vpcCidr = changed.resources!["aligo-sms:index:Network"].inputProperties!.vpcCidr;
        vpcCidr.description = vpcCidr.description!.replace("`10.0.0.0/16`", "`10.1.0.0/16`");
        expect(referencePage(changed, page)).not.toBe(page);
        expect(referencePage(changed, page)).toContain("| `vpcCidr` | `string` (plain) | no | `10.1.0.0/16` |");
    });

    it("lists every resource's inputs and outputs, every type's properties and every enum value, in their own section", () => {
        const section = (name: string) => page.split(`\n### ${name}\n`)[1]?.split("\n### ")[0] ?? "";
        /** A resource's section holds its inputs' table, then "Outputs:" and the outputs' table. */
        const table = (name: string, part: "inputs" | "outputs") =>
            section(name).split("\nOutputs:\n")[part === "inputs" ? 0 : 1] ?? "";
        const missing: string[] = [];
        const rowOf = (where: string, text: string, name: string, required?: boolean) => {
            const row = text.split("\n").find((l) => l.startsWith(`| \`${name}\` |`));
            if (!row) missing.push(`${where}.${name}`);
            else if (required !== undefined && !row.includes(` | ${required ? "yes" : "no"} | `))
                missing.push(`${where}.${name} required`);
        };
        for (const [token, r] of Object.entries(schema.resources ?? {})) {
            const name = short(token);
            for (const k of Object.keys(r.inputProperties ?? {}))
                rowOf(`${name} input`, table(name, "inputs"), k, (r.requiredInputs ?? []).includes(k));
            for (const k of Object.keys(r.properties ?? {}))
                rowOf(`${name} output`, table(name, "outputs"), k, (r.required ?? []).includes(k));
        }
        for (const [token, t] of Object.entries(schema.types ?? {})) {
            const name = short(token);
            for (const k of Object.keys(t.properties ?? {}))
                rowOf(name, section(name), k, (t.required ?? []).includes(k));
            for (const e of t.enum ?? []) rowOf(name, section(name), String(e.value));
        }
        expect(missing).toEqual([]);
        // The defaults come from the descriptions' "Default:" lines.
        expect(section("NatInstanceSettings")).toContain("| `instanceType` | `string` (plain) | no | `t3.nano` |");
        expect(section("Network")).toContain("Inputs (none is required):");
    });
});

describe(`the examples in ${REFERENCE_PAGE}`, () => {
    it("adds the package from a subfolder of a Git repository at the tag of the package's version", () => {
        expect(header).toContain(`pulumi package add github.com/<owner>/aligo-sms/components@v${schema.version}\n`);
    });

    it("TypeScript: a Network with no subnet lists and a NAT instance, under the mocks", async () => {
        const code = example("TypeScript", "ts");
        expect(code).toContain('from "@pulumi/aligo-sms"');
        expect(code).not.toMatch(/SubnetCidrs:\s*\[/);
        const { run: r, exported } = await runDocExample(code);
        expect(r.ofType("aws:ec2/subnet:Subnet").map((s) => s.inputs.cidrBlock)).toHaveLength(4);
        expectInstanceExample(r, exported);
    });

    it("Python: keyword arguments, classes and enum members the generated SDK has (snake_case, ARGS classes)", () => {
        const code = example("Python", "python");
        const names = new Set(propertyNames().map(snake));
        const unknown = [...code.matchAll(/\b([a-z][a-z0-9_]*)=/g)].map((m) => m[1]).filter((k) => !names.has(k));
        expect(unknown).toEqual([]);
        const classes = new Set([
            ...Object.keys(schema.resources ?? {}).map(short),
            ...Object.keys(schema.types ?? {}).map((t) => `${short(t)}Args`),
        ]);
        expect([...code.matchAll(/\baligo\.(\w+)\(/g)].map((m) => m[1]).filter((c) => !classes.has(c))).toEqual([]);
        const members = strategyValues().map((e) => e.name!.toUpperCase());
        for (const m of code.matchAll(/NatStrategy\.(\w+)/g)) expect(members).toContain(m[1]);
        expect(code).toMatch(/\baligo\.Network\("net", az_count=2\)/);
    });

    it("Go: struct fields, constructors, types and enum constants the generated SDK has (PascalCase)", () => {
        const code = example("Go", "go");
        const fields = new Set(propertyNames().map(pascal));
        const unknown = [...code.matchAll(/^\s*([A-Z]\w*):/gm)].map((m) => m[1]).filter((f) => !fields.has(f));
        expect(unknown).toEqual([]);
        const resources = Object.keys(schema.resources ?? {}).map(short);
        const types = Object.keys(schema.types ?? {}).map(short);
        const known = new Set([
            ...resources.flatMap((r) => [`New${r}`, `${r}Args`]),
            ...types.flatMap((t) => [t, `${t}Args`]),
            ...strategyValues().map((e) => `NatStrategy${e.name}`),
        ]);
        expect([...code.matchAll(/\baligosms\.(\w+)/g)].map((m) => m[1]).filter((x) => !known.has(x))).toEqual([]);
        expect(code).toContain('"example.com/pulumi-aligo-sms/sdk/go/aligosms"');
    });

    it("YAML: type tokens, properties and the strategy value the schema has", () => {
        const program = parse(example("YAML", "yaml")) as {
            resources: Record<string, { type: string; properties: Record<string, unknown> }>;
        };
        for (const [name, r] of Object.entries(program.resources)) {
            const resource = schema.resources?.[r.type];
            expect(resource, `${name}: ${r.type}`).toBeDefined();
            expect(Object.keys(r.properties).filter((k) => !(k in resource!.inputProperties!))).toEqual([]);
        }
        const nat = program.resources.egress.properties;
        expect(strategyValues().map((e) => e.value)).toContain(nat.strategy);
        const settings = schema.types!["aligo-sms:index:NatInstanceSettings"].properties!;
        expect(Object.keys(nat.instance as object).filter((k) => !(k in settings))).toEqual([]);
        expect(Object.keys(program.resources.net.properties)).toEqual(["azCount"]);
    });
});
