// Nothing in the repository points outside it: every source a price, a rule or a comment relies on
// is a public page or a file in the repository. This test fails on:
// - a relative path (starting with a dot and a slash, or two dots and a slash) whose target does not exist: one that climbs out of the
//   repository, or one that stays inside but names a file that is not here (an import counts when
//   it resolves to a real file, with or without its extension);
//   The same with backslashes (a Windows path), and after `file:` or `=`;
// - a path through a folder named `shared` (`shared/…`, `a/b/shared/…`) that is not a file of the
//   repository, read from the repository root (or, for `shared/…` alone, from the file's folder or
//   functions/), whatever its extension;
// - a path on someone's machine: under /tmp, /opt, /var, /srv, /home, /root, /work, /Users, /mnt
//   (also as a file URL), or under ~/, $HOME/ or ${HOME}/ (but for a tool's own dot-folder, ~/.aws or
//   ~/.pulumi, and for a clone of this repository, ~/…/aligo-sms/…, which the README tells the reader to make).
// Not flagged: http(s) URLs, API and parameter paths (`/send/`, `/aws/lambda/…`, `/aligo-sms/dev/…`),
// system paths a program uses (/etc, /usr), and package paths (`node_modules/…`, `@aws-sdk/core`).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readProject, ROOT } from "../program/stack-config";

/** The repository's text files (tracked, and new ones not ignored), but lock files and recorded fixtures. */
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
})
    .split("\n")
    .filter((f) => f && !/(^|\/)package-lock\.json$|^test\/fixtures\//.test(f) && existsSync(join(ROOT, f)));

const PROJECT = readProject().name;

/** How an import names a file: as it is, or without its extension, or as a folder's index. */
const IMPORT_FORMS = ["", ".ts", ".mts", ".cts", ".d.ts", ".js", ".mjs", ".cjs", ".json", "/index.ts", "/index.js"];
const exists = (path: string) => IMPORT_FORMS.some((ext) => existsSync(path + ext));

/** Machine folders a repository never refers to (a citation of someone's notes, a build machine's path). */
const MACHINE = /(?<![\w./~-])\/(?:tmp|opt|var|srv|home|root|work|Users|mnt)\/[\w.@-]+(?:\/[\w.@-]+)*/g;
/** The same folders in a file URL (three slashes, or `file://localhost/`). */
const FILE_URL = /\bfile:\/\/(?:localhost)?\/(?:tmp|opt|var|srv|home|root|work|Users|mnt)\/[\w.@-]+(?:\/[\w.@-]+)*/g;
/** A path under someone's home folder: `~/…`, `$HOME/…`, `${HOME}/…`. */
const HOME = /(?<![\w./-])(?:~|\$HOME\b|\$\{HOME\})\/[\w.@-]+(?:\/[\w.@-]+)*/g;
/**
 * A relative path, starting with one or two dots and a slash (not inside a URL or another path; one
 * after `file:` or `=` counts: URLs are told apart by their `//`).
 */
const RELATIVE = /(?<![\w./@-])(?:\.{1,2}\/)+[\w@-][\w@.-]*(?:\/[\w@.-]+)*/g;
/**
 * The same with backslashes, single or doubled as in a string literal (a Windows path): one that
 * climbs (two dots), or one dot and at least two parts, so that a full stop before an escape (a
 * sentence ending in `.\n`) is not taken for a path.
 */
const RELATIVE_BACKSLASH =
    /(?<![\w.\\/@-])(?:(?:\.\.\\{1,2})+[\w@-][\w@.-]*(?:\\{1,2}[\w@.-]+)*|\.\\{1,2}[\w@-][\w@.-]*(?:\\{1,2}[\w@.-]+)+)/g;
/**
 * A path through a folder named `shared`: `shared/…` on its own or after other folders (`a/b/shared/…`),
 * not one that starts with dots (a relative path, above) nor one inside a URL or another path.
 */
const SHARED = /(?<![\w./@-])(?:(?!\.{1,2}\/)[\w.-]+\/)*shared\/[\w@.-]+(?:\/[\w@.-]+)*/g;

/** The folder (relative to the repository) of the Go module a file belongs to, if any. */
function goModule(file: string): string | undefined {
    for (let dir = dirname(file); dir !== "."; dir = dirname(dir))
        if (existsSync(join(ROOT, dir, "go.mod"))) return dir;
    return undefined;
}

/** Whether a path inside the repository is one git ignores (made by a build, e.g. a link into the e2e cache). */
function ignored(path: string): boolean {
    if (relative(ROOT, path).startsWith("..")) return false;
    try {
        execFileSync("git", ["check-ignore", "-q", relative(ROOT, path)], { cwd: ROOT });
        return true;
    } catch {
        return false;
    }
}

/** Every place in `text` (the content of `file`) that leaves the repository, as "line: what (why)". */
function outsidePaths(file: string, text: string): string[] {
    const found: string[] = [];
    const here = dirname(join(ROOT, file));
    text.split("\n").forEach((line, i) => {
        const at = (path: string, why: string) => found.push(`${i + 1}: ${path} (${why})`);
        const relativePath = (written: string, path: string) => {
            const target = resolve(here, path);
            // In a Go module, the go command reads relative paths (packages, replace targets) from the module's folder.
            const inModule = goModule(file) && resolve(join(ROOT, goModule(file)!), path);
            if (relative(ROOT, target).startsWith("..")) at(written, "resolves outside the repository");
            else if (!exists(target) && !(inModule && (exists(inModule) || ignored(inModule))))
                at(written, "not in the repository");
        };
        // A sentence's full stop is not part of the path.
        for (const m of line.matchAll(RELATIVE)) relativePath(m[0].replace(/[.]+$/, ""), m[0].replace(/[.]+$/, ""));
        for (const m of line.matchAll(RELATIVE_BACKSLASH))
            relativePath(m[0].replace(/[.]+$/, ""), m[0].replace(/[.]+$/, "").replace(/\\+/g, "/"));
        for (const m of line.matchAll(SHARED)) {
            const path = m[0].replace(/[.]+$/, "");
            // A path that starts at the shared folder may be relative to the file's folder or to functions/; a longer one is read from the root (or the file's folder).
            const bases = path.startsWith("shared/") ? [here, ROOT, join(ROOT, "functions")] : [here, ROOT];
            if (!bases.some((base) => exists(join(base, path)))) at(path, "not in the repository");
        }
        for (const m of line.matchAll(MACHINE)) at(m[0], "a path on a machine");
        for (const m of line.matchAll(FILE_URL)) at(m[0], "a path on a machine");
        for (const m of line.matchAll(HOME)) {
            const parts = m[0].split("/").slice(1);
            const toolFolder = parts[0].startsWith(".");
            const clone = parts.indexOf(PROJECT);
            const inClone =
                clone >= 0 && (clone === parts.length - 1 || existsSync(join(ROOT, ...parts.slice(clone + 1))));
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
            // Gaps a review found: after `file:` or `=`, after folders, with backslashes, under $HOME.
            ["README.md", `see file:${up}/${shared}/api-notes.md`],
            ["README.md", `notes=${up}/${shared}/api-notes.md`],
            ["README.md", `in functions/${shared}/api-notes.md`], // functions/shared exists, that file does not
            ["README.md", `in ${"work"}/${shared}/api-notes.md`],
            ["README.md", `in a/b/${shared}/api-notes.md`],
            ["README.md", `see ${up}\\${shared}\\api-notes.md`],
            ["functions/sms/aligo.ts", `// "${up}\\\\${shared}\\\\api-notes.md"`], // doubled, as in a string literal
            ["README.md", `in $${"HOME"}/notes/aligo.md`],
            ["README.md", `in $\{${"HOME"}}/notes/aligo.md`],
            ["README.md", `see ${"file"}:///${"work"}/${shared}/api-notes.md`],
        ];
        for (const [file, line] of bad) expect(outsidePaths(file, line), `${file}: ${line}`).toHaveLength(1);

        const fine: [string, string][] = [
            ["functions/sms/aligo.ts", `import { echo } from "${up}/shared/echo";`],
            ["scripts/lib/plan.ts", `import { mermaid } from ".${"/"}plan";`],
            ["README.md", "`functions/" + "shared/http.test.ts`, `" + "shared/echo.test.ts`"],
            [
                "README.md",
                "https://www.pulumi.com/docs/iac/concepts/stacks/ and https://github.com/pulumi/pulumi/blob/master/a/../b.md",
            ],
            [
                "README.md",
                "Aligo's `/send/` and `/remain/`; log group `/aws/lambda/aligo-sms-dev-sms`; parameter `/aligo-sms/dev/aligo-api-key`",
            ],
            ["scripts/lib/ops.ts", "// node_" + "modules/@aws-sdk/core/dist-cjs/index.js, @aws-sdk/client-lambda"],
            ["README.md", "`~/.aws/config`, `~/.pulumi`, `pulumi new ~/src/aligo-sms`, `~/src/aligo-sms/components`"],
            ["components/images.ts", "echo 1 > /etc/sysctl.d/90-nat.conf; #!/usr/bin/env bash"],
            ["README.md", "`functions/" + `${shared}/echo.ts\`, \`scripts/lib/ops.ts\`, file:.${"/"}README.md`],
            ["README.md", `\`$${"HOME"}/.aws/config\`, \`$\{${"HOME"}}/src/aligo-sms/README.md\``],
            [
                "README.md",
                `https://github.com/pulumi/pulumi/tree/master/${shared}/x.md and node_${"modules"}/@aws-sdk/core`,
            ],
            ["functions/sms/aligo.ts", String.raw`const re = /^\.\\d+$/; "a.\\b"`],
            ["scripts/lib/ops.test.ts", String.raw`"see \`npm run -s list\`.\n" + "x"`], // a full stop before an escape
            ["functions/sms/handler.test.ts", `${"file"}:///etc/passwd is refused`], // a system path, as above
        ];
        for (const [file, line] of fine) expect(outsidePaths(file, line), `${file}: ${line}`).toEqual([]);
    });

    it("no tracked file refers to a path outside the repository", () => {
        expect(files.length).toBeGreaterThan(50);
        const offenders = files.flatMap((f) =>
            outsidePaths(f, readFileSync(join(ROOT, f), "utf8")).map((x) => `${f}:${x}`),
        );
        expect(offenders).toEqual([]);
    });
});
