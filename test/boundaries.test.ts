// The folders show the architecture, and the imports keep to it: the product never reaches into the
// tests' helpers, the program reaches the component package only through its entry, the package
// stands on its own, and handler code never imports Pulumi.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..");

/** Every TypeScript file git knows (tracked, or new and not ignored). */
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts", "*.mts"], {
    cwd: ROOT,
    encoding: "utf8",
})
    .split("\n")
    .filter((f) => f !== "" && !f.includes("node_modules/"));

/** Module specifiers a file imports or requires (static, dynamic, require, export-from). */
function specifiers(source: string): string[] {
    const found: string[] = [];
    const patterns = [
        /\bimport\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/g,
        /\bexport\s+(?:type\s+)?[^'";]*?\s+from\s+["']([^"']+)["']/g,
        /\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g,
    ];
    for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[1]);
    return found;
}

/** Where a relative specifier of `file` points, relative to the repository; undefined for a package. */
function target(file: string, specifier: string): string | undefined {
    if (!specifier.startsWith(".")) return undefined;
    return relative(ROOT, normalize(join(ROOT, dirname(file), specifier)));
}

const isTest = (f: string) => /\.test\.ts$/.test(f) || f.startsWith("test/");
const under = (f: string, ...folders: string[]) => folders.some((d) => f.startsWith(`${d}/`));

/** Every import of the files matched by `from`, as "file → target" (relative targets) or "file → package". */
function imports(from: (f: string) => boolean): { file: string; specifier: string; to?: string }[] {
    return files.filter(from).flatMap((file) =>
        specifiers(readFileSync(join(ROOT, file), "utf8")).map((specifier) => ({
            file,
            specifier,
            to: target(file, specifier),
        })),
    );
}

describe("import boundaries", () => {
    it("finds the imports it checks (the scanner works)", () => {
        // Sample specifiers built from pieces, so that the repository's own path check does not take them for paths.
        const [helper, sibling, pkg] = [["..", "testing", "x"].join("/"), [".", "y"].join("/"), "z"];
        const source = `import { a } from "${helper}";\nexport { b } from "${sibling}";\nrequire("${pkg}");`;
        expect(specifiers(source)).toEqual([helper, sibling, pkg]);
        expect(imports((f) => f === "index.ts").map((i) => i.to)).toContain("components/index");
    });

    it("nothing in components/, program/, functions/, scripts/, offline/ or fakes/ imports testing/ or a test file", () => {
        const product = (f: string) =>
            !isTest(f) &&
            (under(f, "components", "program", "functions", "scripts", "offline", "fakes") || f === "index.ts");
        const bad = imports(product).filter(
            (i) =>
                i.to !== undefined &&
                (i.to === "testing" || i.to.startsWith("testing/") || /\.test$/.test(i.to) || i.to.startsWith("test/")),
        );
        expect(bad.map((i) => `${i.file} → ${i.specifier}`)).toEqual([]);
    });

    it("the program, the scripts and the offline engine reach the component package only through components/index.ts", () => {
        const users = (f: string) => !isTest(f) && (under(f, "program", "scripts", "offline") || f === "index.ts");
        const bad = imports(users).filter((i) => i.to?.startsWith("components/") && i.to !== "components/index");
        expect(bad.map((i) => `${i.file} → ${i.specifier}`)).toEqual([]);
    });

    it("nothing imports the components folder itself: its package.json main is the plugin, which starts a provider server", () => {
        const bad = imports((f) => !under(f, "components")).filter((i) => i.to === "components");
        expect(bad.map((i) => `${i.file} → ${i.specifier}`)).toEqual([]);
    });

    it("the component package imports nothing outside its folder but its own dependencies", () => {
        const pkg = JSON.parse(readFileSync(join(ROOT, "components", "package.json"), "utf8")) as {
            dependencies: Record<string, string>;
        };
        const allowed = (name: string) =>
            name.startsWith("node:") ||
            Object.keys(pkg.dependencies).some((d) => name === d || name.startsWith(`${d}/`));
        const bad = imports((f) => under(f, "components") && !isTest(f)).filter((i) =>
            i.to === undefined ? !allowed(i.specifier) : !i.to.startsWith("components/"),
        );
        expect(bad.map((i) => `${i.file} → ${i.specifier}`)).toEqual([]);
    });

    it("handler code never imports Pulumi, the program or the components (it runs in Lambda alone)", () => {
        const bad = imports((f) => under(f, "functions") && !isTest(f)).filter(
            (i) => i.specifier.startsWith("@pulumi/") || (i.to !== undefined && !i.to.startsWith("functions/")),
        );
        expect(bad.map((i) => `${i.file} → ${i.specifier}`)).toEqual([]);
    });

    it("the policy pack stands alone: nothing outside policy/ and its own dependencies", () => {
        const pkg = JSON.parse(readFileSync(join(ROOT, "policy", "package.json"), "utf8")) as {
            dependencies: Record<string, string>;
        };
        const allowed = (name: string) =>
            name.startsWith("node:") ||
            Object.keys(pkg.dependencies).some((d) => name === d || name.startsWith(`${d}/`));
        const bad = imports((f) => under(f, "policy") && !isTest(f)).filter((i) =>
            i.to === undefined ? !allowed(i.specifier) : !i.to.startsWith("policy/"),
        );
        expect(bad.map((i) => `${i.file} → ${i.specifier}`)).toEqual([]);
    });
});
