// The component package speaks its own words: its messages, descriptions and comments name its
// arguments (strategy, instance.imageRefresh, ...), never this program's config keys, `pulumi config
// set`, or Aligo (a user of the package has no stack config called nat and may not use Aligo).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../program/config/config";
import { packageSchema } from "../testing/package-schema";

const ROOT = join(__dirname, "..");

/** The package's own files: its sources, manifest and plugin file (not its tests or lock file). */
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "components"], {
    cwd: ROOT,
    encoding: "utf8",
})
    .split("\n")
    .filter((f) => f !== "" && !f.endsWith(".test.ts") && !f.endsWith("package-lock.json"));

/** Every line of the package's files that says `pattern`, as file:line: text. */
function said(pattern: RegExp): string[] {
    return files.flatMap((f) =>
        readFileSync(join(ROOT, f), "utf8")
            .split("\n")
            .flatMap((line, i) => (pattern.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
}

describe("the component package's own words", () => {
    it("finds what it looks for (the scan reads the package)", () => {
        expect(files).toContain("components/nat/messages.ts");
        expect(said(/NAT_MESSAGES/).length).toBeGreaterThan(0);
    });

    it("never says Aligo (the package's name and type tokens, aligo-sms, aside)", () => {
        expect(said(/aligo(?!-sms)/i)).toEqual([]);
    });

    it("never tells to run `pulumi config set`, nor names the program's `nat` setting", () => {
        expect(said(/pulumi config set|`nat`|(?<![-\w])nat (none|gateway|instance)\b|nat=/)).toEqual([]);
    });

    it("never names a config key of the program that is not also one of its own arguments", async () => {
        const schema = await packageSchema();
        const own = new Set<string>();
        for (const r of Object.values<any>(schema.resources))
            for (const k of Object.keys(r.inputProperties)) own.add(k);
        for (const t of Object.values<any>(schema.types)) for (const k of Object.keys(t.properties ?? {})) own.add(k);
        const theirs = Object.keys(CONFIG_KEYS).filter((k) => !own.has(k) && k !== "nat");
        expect(theirs).toContain("natImageRefresh"); // the list is the program's, not empty
        expect(said(new RegExp(`\\b(${theirs.join("|")})\\b`))).toEqual([]);
    });
});
