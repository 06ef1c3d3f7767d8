// Nothing in the repository points outside it: every source a price, a rule or a comment relies on
// is a public page or a file in the repository. This test fails on:
// - a relative path (starting with a dot and a slash, or two dots and a slash) whose target does not exist: one that climbs out of the
//   repository, or one that stays inside but names a file that is not here (an import counts when
//   it resolves to a real file, with or without its extension);
// - a `shared/…` path that is in no shared folder of the repository (whatever its extension);
// - a path on someone's machine: under /tmp, /opt, /var, /srv, /home, /root, /work, /Users, /mnt,
//   or under ~/ (but for a tool's own dot-folder, ~/.aws or ~/.pulumi, and for a clone of this
//   repository, ~/…/aligo-sms/…, which the README tells the reader to make).
// Not flagged: URLs, API and parameter paths (`/send/`, `/aws/lambda/…`, `/aligo-sms/dev/…`),
// system paths a program uses (/etc, /usr), and package paths (`node_modules/…`, `@aws-sdk/core`).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readProject, ROOT } from "../program/stack-config";

/** The repository's text files (tracked, and new ones not ignored), but lock files and recorded fixtures. */
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => f && !/(^|\/)package-lock\.json$|^test\/fixtures\//.test(f) && existsSync(join(ROOT, f)));

const PROJECT = readProject().name;

/** How an import names a file: as it is, or without its extension, or as a folder's index. */
const IMPORT_FORMS = ["", ".ts", ".mts", ".cts", ".d.ts", ".js", ".mjs", ".cjs", ".json", "/index.ts", "/index.js"];
const exists = (path: string) => IMPORT_FORMS.some((ext) => existsSync(path + ext));

/** Machine folders a repository never refers to (a citation of someone's notes, a build machine's path). */
const MACHINE = /(?<![\w.:/~-])\/(?:tmp|opt|var|srv|home|root|work|Users|mnt)\/[\w.@-]+(?:\/[\w.@-]+)*/g;
/** A path under someone's home folder. */
const HOME = /(?<![\w.:/-])~\/[\w.@-]+(?:\/[\w.@-]+)*/g;
/** A relative path, starting with one or two dots and a slash (not inside a URL or another path). */
const RELATIVE = /(?<![\w.:/@-])(?:\.{1,2}\/)+[\w@-][\w@.-]*(?:\/[\w@.-]+)*/g;
/** A `shared/…` path standing on its own (one after two dots and a slash is a relative path, above). */
const SHARED = /(?<![\w.:/@-])shared\/[\w@.-]+(?:\/[\w@.-]+)*/g;

/** Every place in `text` (the content of `file`) that leaves the repository, as "line: what (why)". */
function outsidePaths(file: string, text: string): string[] {
    const found: string[] = [];
    const here = dirname(join(ROOT, file));
    text.split("\n").forEach((line, i) => {
        const at = (path: string, why: string) => found.push(`${i + 1}: ${path} (${why})`);
        for (const m of line.matchAll(RELATIVE)) {
            const path = m[0].replace(/[.]+$/, ""); // a sentence's full stop is not part of the path
            const target = resolve(here, path);
            if (relative(ROOT, target).startsWith("..")) at(path, "resolves outside the repository");
            else if (!exists(target)) at(path, "not in the repository");
        }
        for (const m of line.matchAll(SHARED)) {
            const path = m[0].replace(/[.]+$/, "");
            if (![here, ROOT, join(ROOT, "functions")].some((base) => exists(join(base, path)))) at(path, "not in the repository");
        }
        for (const m of line.matchAll(MACHINE)) at(m[0], "a path on a machine");
        for (const m of line.matchAll(HOME)) {
            const parts = m[0].split("/").slice(1);
            const toolFolder = parts[0].startsWith(".");
            const clone = parts.indexOf(PROJECT);
            const inClone = clone >= 0 && (clone === parts.length - 1 || existsSync(join(ROOT, ...parts.slice(clone + 1))));
            if (!toolFolder && !inClone) at(m[0], "a path on a machine");
        }
    });
    return found;
}

describe("nothing points outside the repository", () => {
    it("finds such a reference when there is one (the rule itself works)", () => {
        // Built from pieces, so that this file itself does not hold such references.
        const up = "..";
        const shared = "shared";
        const bad: [string, string][] = [
            ["functions/sms/aligo.ts", `// see ${up}/${shared}/notes.md`], // resolves inside, to nothing
            ["functions/sms/aligo.ts", `// see ${up}/${up}/${shared}/costs.md`],
            ["README.md", `prices: ${up}/${up}/${shared}/costs.md`], // climbs out
            ["README.md", `see /${"tmp"}/notes.md`],
            ["README.md", `from /${"opt"}/notes/aligo.md`],
            ["program/cost/prices.ts", `// ${"shared"}/prices.txt`],
            ["README.md", `in ~/${"notes"}/aligo.md`],
            ["README.md", `and /${"work"}/notes/x.md`],
            ["scripts/lib/plan.ts", `// ${up}/${shared}/notes.md`],
            ["scripts/lib/plan.ts", `import { x } from "./${"missing"}";`],
        ];
        for (const [file, line] of bad) expect(outsidePaths(file, line), `${file}: ${line}`).toHaveLength(1);

        const fine: [string, string][] = [
            ["functions/sms/aligo.ts", `import { echo } from "${up}/shared/echo";`],
            ["scripts/lib/plan.ts", `import { mermaid } from ".${"/"}plan";`],
            ["README.md", "`functions/" + "shared/http.test.ts`, `" + "shared/echo.test.ts`"],
            ["README.md", "https://www.pulumi.com/docs/iac/concepts/stacks/ and https://github.com/pulumi/pulumi/blob/master/a/../b.md"],
            ["README.md", "Aligo's `/send/` and `/remain/`; log group `/aws/lambda/aligo-sms-dev-sms`; parameter `/aligo-sms/dev/aligo-api-key`"],
            ["scripts/lib/ops.ts", "// node_" + "modules/@aws-sdk/core/dist-cjs/index.js, @aws-sdk/client-lambda"],
            ["README.md", "`~/.aws/config`, `~/.pulumi`, `pulumi new ~/src/aligo-sms`, `~/src/aligo-sms/components`"],
            ["components/images.ts", "echo 1 > /etc/sysctl.d/90-nat.conf; #!/usr/bin/env bash"],
        ];
        for (const [file, line] of fine) expect(outsidePaths(file, line), `${file}: ${line}`).toEqual([]);
    });

    it("no tracked file refers to a path outside the repository", () => {
        expect(files.length).toBeGreaterThan(50);
        const offenders = files.flatMap((f) => outsidePaths(f, readFileSync(join(ROOT, f), "utf8")).map((x) => `${f}:${x}`));
        expect(offenders).toEqual([]);
    });
});
