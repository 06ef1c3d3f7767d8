// Existing stacks must update in place: every resource the previous release (0.1.0) recorded is
// either recorded again under the same URN, or reachable through an alias the way the engine
// resolves them: a component's alias (its old type token) is inherited by its children, and a
// child's own alias (an adopted NAT instance's old name) combines with its parent's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runProgram, type RunResult } from "./harness";

const before = JSON.parse(readFileSync(join(__dirname, "fixtures", "urns-0.1.0.json"), "utf8")) as Record<
    string,
    string[]
>;

/** The URNs a resource answers to: its own, and what its and its parents' aliases make of it. */
function reachable(r: RunResult): Set<string> {
    const byUrn = new Map(r.resources.map((x) => [x.urn, x]));
    const typeAliases = new Map<string, string>(); // new component type → old
    for (const x of r.resources) {
        for (const a of x.aliases) {
            const spec = (JSON.parse(a) as { spec?: { type?: string; name?: string } }).spec;
            if (!x.custom && spec?.type) typeAliases.set(x.type, spec.type);
        }
    }
    const out = new Set<string>();
    for (const x of r.resources) {
        const names = [x.name];
        for (const a of x.aliases) {
            const spec = (JSON.parse(a) as { spec?: { name?: string } }).spec;
            if (x.custom && spec?.name) names.push(spec.name);
        }
        const parent = byUrn.get(x.parent);
        const parentTypes = parent
            ? [parent.type, ...(typeAliases.has(parent.type) ? [typeAliases.get(parent.type)!] : [])]
            : [undefined];
        const ownTypes = [x.type, ...(typeAliases.has(x.type) ? [typeAliases.get(x.type)!] : [])];
        const prefix = x.urn.slice(0, x.urn.indexOf("::", x.urn.indexOf("::") + 2) + 2); // urn:pulumi:<stack>::<project>::
        for (const name of names)
            for (const p of parentTypes) for (const t of ownTypes) out.add(`${prefix}${p ? `${p}$` : ""}${t}::${name}`);
    }
    return out;
}

describe("URNs across the rename to aligo-sms:index:* tokens", () => {
    it.each([
        ["dev", "instance"],
        ["prod", "gateway"],
        ["dev", "none"],
    ] as const)("%s with nat=%s: every resource of 0.1.0 is kept or aliased", async (stack, nat) => {
        // A 0.1.0 instance stack runs t3.micro (its default) on the newest vpc-nat image: say so,
        // and that instance is adopted. (With other settings it would be replaced blue/green, on purpose.)
        const r = await runProgram({
            stack,
            config: { nat, ...(nat === "instance" ? { natInstanceType: "t3.micro" } : {}) },
            world: {
                instances: [
                    {
                        id: "i-0ddddddddddddddd1",
                        ami: "ami-0a1b2c3d4e5f60002",
                        instanceType: "t3.micro",
                        state: "running",
                        tags: { Name: `aligo-sms-${stack}-nat-instance` },
                    },
                ],
            },
        });
        if (r.error) throw r.error;
        const now = reachable(r);
        const lost = before[`${stack}/${nat}`].filter((urn) => !now.has(urn));
        expect(lost).toEqual([]);
    });

    it("the components carry their old type tokens as aliases", async () => {
        const r = await runProgram({});
        const alias = (name: string) =>
            r.byName(name).aliases.map((a) => (JSON.parse(a) as { spec: { type: string } }).spec.type);
        expect(r.byName("network").type).toBe("aligo-sms:index:Network");
        expect(alias("network")).toEqual(["aligo-sms:network:Network"]);
        expect(r.byName("nat").type).toBe("aligo-sms:index:Nat");
        expect(alias("nat")).toEqual(["aligo-sms:nat:Nat"]);
        expect(r.byName("functions").type).toBe("aligo-sms:index:SmsFunctions");
        expect(alias("functions")).toEqual(["aligo-sms:functions:SmsFunctions"]);
    });
});
