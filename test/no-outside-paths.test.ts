// Nothing in the repository points outside it: every source a price, a rule or a comment relies on
// is a public page or a file in the repository. A relative path that climbs out of the repository,
// a path on a build machine, or a notes file that is not here fails this test.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../program/stack-config";

/** Tracked text files, but lock files and recorded fixtures. */
const files = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => f && !/(^|\/)package-lock\.json$|^test\/fixtures\//.test(f) && existsSync(join(ROOT, f)));

/** Every place in `text` that leaves the repository, as "line: what". */
function outsidePaths(file: string, text: string): string[] {
    const found: string[] = [];
    text.split("\n").forEach((line, i) => {
        for (const m of line.matchAll(/(?:\.\.\/)+[\w@.-]*[\w@./-]*/g)) {
            const target = relative(ROOT, resolve(dirname(join(ROOT, file)), m[0]));
            if (target.startsWith("..")) found.push(`${i + 1}: ${m[0]} (resolves outside the repository)`);
        }
        for (const m of line.matchAll(/(?<![\w.:/-])\/(?:work|home|Users|root|mnt|tmp\/[\w-]+)\/[\w./-]+/g)) found.push(`${i + 1}: ${m[0]} (a path on a machine)`);
        for (const m of line.matchAll(/(?<!\.\.\/)\bshared\/[\w-]+\.md\b/g)) {
            if (!existsSync(join(ROOT, m[0])) && !existsSync(join(ROOT, "functions", m[0]))) found.push(`${i + 1}: ${m[0]} (not in the repository)`);
        }
    });
    return found;
}

describe("nothing points outside the repository", () => {
    it("finds such a reference when there is one (the rule itself works)", () => {
        // Built from pieces, so that this file itself does not hold such references.
        const sample = ["see ../sh" + "ared/house-style.md", "and /" + "work/notes/x.md", "or shared/" + "nat-notes.md"].join("\n");
        expect(outsidePaths("README.md", sample)).toHaveLength(3);
        expect(outsidePaths("functions/sms/aligo.ts", 'import { log } from "../shared/log";')).toEqual([]);
    });

    it("no tracked file refers to a path outside the repository", () => {
        expect(files.length).toBeGreaterThan(50);
        const offenders = files.flatMap((f) => outsidePaths(f, readFileSync(join(ROOT, f), "utf8")).map((x) => `${f}:${x}`));
        expect(offenders).toEqual([]);
    });
});
