// Pulumi.yaml, the config module and the README's config table must describe the same settings.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_NAT_IMAGE, DEFAULT_NAT_INSTANCE_TYPE } from "../components";
import { CONFIG_KEYS, NAT_STRATEGIES } from "../program/config/config";
import { ROOT, readProject } from "../program/stack-config";

const project = readProject();

/** Rows of the README table under "## Configuration": key, type, default. */
function readmeRows(): Map<string, { type: string; default: string }> {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? "";
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
        const rows = readFileSync(join(ROOT, "README.md"), "utf8")
            .split("\n")
            .filter((l) => l.startsWith("| `egressIpStandby` |"));
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
