// Pulumi.yaml, the config module and the README's config table must describe the same settings, and
// the README's stack outputs table the outputs the program exports.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_NAT_IMAGE, DEFAULT_NAT_INSTANCE_TYPE } from "../components/index";
import { CONFIG_KEYS, NAT_STRATEGIES } from "../program/config/config";
import { ROOT, readProject } from "../program/stack-config";
import { runProgram } from "./harness";

const project = readProject();

const readme = readFileSync(join(ROOT, "README.md"), "utf8");

/** The README's text from `heading` (a whole line) to the next heading of the same or a higher level. */
function readmeSection(heading: string): string {
    const level = /^#+/.exec(heading)![0].length;
    const rest = readme.split("\n" + heading + "\n")[1] ?? "";
    return rest.split(new RegExp(`^#{1,${level}} `, "m"))[0];
}

/** Rows of the README table under "## Configuration": key, type, default. */
function readmeRows(): Map<string, { type: string; default: string }> {
    const section = readmeSection("## Configuration");
    const rows = new Map<string, { type: string; default: string }>();
    for (const line of section.split("\n")) {
        const m = /^\| `([A-Za-z]+)` \| (\w+) \| ([^|]+) \|/.exec(line);
        if (m) rows.set(m[1], { type: m[2], default: m[3].trim() });
    }
    return rows;
}

describe("configuration is declared in one consistent way", () => {
    it("Pulumi.yaml declares exactly the keys the program reads, with the same types", () => {
        const declared = Object.fromEntries(Object.entries(project.config).map(([k, d]) => [k, d.type]));
        const read = Object.fromEntries(Object.entries(CONFIG_KEYS).map(([k, d]) => [k, d.type]));
        expect(declared).toEqual(read);
    });

    it("secrets are declared secret and have no default; required keys have no default", () => {
        for (const [key, decl] of Object.entries(CONFIG_KEYS)) {
            if (decl.secret) expect(project.config[key].secret, key).toBe(true);
            if (decl.required) expect(project.config[key].default, key).toBeUndefined();
        }
    });

    it("every optional key has a default, because the CLI demands a value for a declared key without one", () => {
        for (const [key, decl] of Object.entries(CONFIG_KEYS)) {
            if (!decl.required) expect(project.config[key].default, key).not.toBeUndefined();
        }
    });

    it("the stack's NAT defaults are the component's: a program user and a package user get the same instance", () => {
        expect(project.config.natInstanceType.default).toBe(DEFAULT_NAT_INSTANCE_TYPE);
        expect(project.config.natImage.default).toBe(DEFAULT_NAT_IMAGE);
    });

    it("`pulumi new` asks for every key without a default (secret ones as secrets), each with a description; its defaults are valid", () => {
        const template = (
            project as unknown as {
                template?: { config?: Record<string, { description?: string; default?: unknown; secret?: boolean }> };
            }
        ).template;
        const asked = template?.config ?? {};
        for (const [key, decl] of Object.entries(CONFIG_KEYS)) {
            if (!decl.required) continue;
            // Unqualified: `pulumi new` puts them under the project name the user chooses.
            expect(asked[key], key).toBeDefined();
            expect(asked[key].secret ?? false, key).toBe(decl.secret ?? false);
        }
        for (const [key, entry] of Object.entries(asked)) {
            expect(entry.description, key).toMatch(/\w{3,}/);
            if (!key.includes(":")) expect(Object.keys(CONFIG_KEYS), key).toContain(key);
        }
        expect(NAT_STRATEGIES).toContain(asked.nat?.default);
        expect(asked["aws:region"]?.default).toBe("ap-northeast-2");
    });

    it("egressIpStandby says, where a user reads it (Pulumi.yaml and the README table), that without it a switch takes two pulumi ups through nat none", () => {
        const rows = readme.split("\n").filter((l) => l.startsWith("| `egressIpStandby` |"));
        for (const text of [project.config.egressIpStandby.description ?? "", rows[0] ?? ""]) {
            expect(text).toMatch(/two(\*\*)? `?pulumi up`?s? through `?nat:? none`?/);
        }
    });

    it("every declaration has a description", () => {
        for (const [key, decl] of Object.entries(project.config)) expect(decl.description, key).toMatch(/\w{3,}/);
    });

    it("the README table lists every key with its type and the Pulumi.yaml default", () => {
        const rows = readmeRows();
        expect([...rows.keys()].sort()).toEqual(Object.keys(CONFIG_KEYS).sort());
        for (const [key, decl] of Object.entries(project.config)) {
            const row = rows.get(key)!;
            expect(row.type, key).toBe(decl.type);
            const shown =
                decl.default === undefined
                    ? "—"
                    : `\`${typeof decl.default === "string" ? (decl.default === "" ? '""' : decl.default) : JSON.stringify(decl.default)}\``;
            expect(row.default, key).toBe(shown);
        }
    });
});

describe("the stack outputs are documented where a user reads them", () => {
    it("the README's stack outputs table lists exactly the outputs the program exports", async () => {
        // Every output is a key of the program's result, also when its value is absent (undefined).
        const { outputs, error } = await runProgram();
        expect(error).toBeUndefined();
        const table = readmeSection("### Stack outputs");
        const documented = [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((row) =>
            [...row[1].matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]),
        );
        expect(documented.sort()).toEqual(Object.keys(outputs).sort());
    });
});
