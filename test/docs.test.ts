// No link in the README or in docs/ is dead: a relative link names a file or folder of the
// repository, and a `#anchor` names a heading of its target page as GitHub slugs it (the text
// lower-cased, punctuation dropped but for `-` and `_`, each space a `-`, letters of every script
// kept, so Korean headings keep their Hangul; a repeated heading gets `-1`, `-2`, …). Every page of
// docs/ is linked from the README, so none is lost. Links inside code are not links.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, normalize, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../program/stack-config";

/** The pages whose links are checked: the README and every Markdown page under docs/. */
const PAGES = [
    "README.md",
    ...readdirSync(join(ROOT, "docs"))
        .filter((f) => f.endsWith(".md"))
        .map((f) => `docs/${f}`),
];

/** A page's lines outside fenced code blocks (a `# comment` in a shell block is no heading). */
function proseLines(text: string): string[] {
    let fence: string | undefined;
    return text.split("\n").map((line) => {
        const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
        if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length))) {
            fence = fence === undefined ? marker : undefined;
            return "";
        }
        return fence === undefined ? line : "";
    });
}

/** GitHub's anchor for a heading's text (github-slugger's rule, over the rendered text). */
function slug(heading: string): string {
    return heading
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link shows its text
        .replace(/<[^>]+>/g, "") // so does inline HTML
        .toLowerCase()
        .replace(/[^\p{L}\p{M}\p{N}_\- ]/gu, "")
        .replace(/ /g, "-");
}

/** Every anchor a page offers: its headings' slugs (repeats numbered) and explicit `id`/`name` attributes. */
function anchorsOf(text: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    for (const line of proseLines(text)) {
        const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
        if (heading !== undefined) {
            const base = slug(heading);
            const n = seen.get(base) ?? 0;
            seen.set(base, n + 1);
            anchors.add(n === 0 ? base : `${base}-${n}`);
        }
        for (const m of line.matchAll(/<a\s[^>]*\b(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
    }
    return anchors;
}

/** The link targets of a page, outside code: inline links and images (their text may wrap), and reference definitions. */
function linksOf(text: string): { line: number; target: string }[] {
    // Code spans (which may wrap, but not across a blank line) blanked, keeping the line breaks.
    const prose = proseLines(text)
        .join("\n")
        .replace(/`(?:[^`\n]|\n(?!\n))*`/g, (code) => code.replace(/[^\n]/g, " "));
    const lineAt = (offset: number) => prose.slice(0, offset).split("\n").length;
    const links: { line: number; target: string }[] = [];
    for (const m of prose.matchAll(/!?\[(?:[^\]\n]|\n(?!\n))*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
        links.push({ line: lineAt(m.index), target: m[1] });
    for (const m of prose.matchAll(/^ {0,3}\[[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:[ \t]+"[^"\n]*")?[ \t]*$/gm))
        links.push({ line: lineAt(m.index), target: m[1] });
    return links.sort((a, b) => a.line - b.line);
}

/** A file's text, "" for a folder, undefined when nothing is there. */
type Reader = (path: string) => string | undefined;

const readRepository: Reader = (path) => {
    const full = join(ROOT, path);
    if (!existsSync(full)) return undefined;
    return statSync(full).isDirectory() ? "" : readFileSync(full, "utf8");
};

/** The dead links of `page` (a path from the repository root), as "page:line: target (why)". */
function deadLinks(page: string, read: Reader): string[] {
    const text = read(page) ?? "";
    const dead: string[] = [];
    for (const { line, target } of linksOf(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not ours to check
        const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
        const path = pathPart === "" ? page : normalize(join(dirname(page), decodeURIComponent(pathPart)));
        const why = (reason: string) => dead.push(`${page}:${line}: ${target} (${reason})`);
        if (path === ".." || path.startsWith(`..${sep}`)) {
            why("outside the repository");
            continue;
        }
        const targetText = read(path);
        if (targetText === undefined) why(`${path} does not exist`);
        else if (anchor !== undefined && path.endsWith(".md") && !anchorsOf(targetText).has(decodeURIComponent(anchor)))
            why(`no heading in ${path} has the anchor #${decodeURIComponent(anchor)}`);
    }
    return dead;
}

describe("links in the README and docs/", () => {
    it.each([
        ["Switch safely: changing `nat` on a live stack", "switch-safely-changing-nat-on-a-live-stack"],
        ["Monthly cost in Seoul (ap-northeast-2), idle", "monthly-cost-in-seoul-ap-northeast-2-idle"],
        [
            "`-101 인증오류입니다.-IP`: the address is not registered",
            "-101-인증오류입니다-ip-the-address-is-not-registered",
        ],
        ["`CONFIG_ERROR`: the API key could not be read", "config_error-the-api-key-could-not-be-read"],
        ['`pulumi up` stops: `natImage: no "…" image … found`', "pulumi-up-stops-natimage-no--image--found"],
        ["A VPC of /21 or smaller", "a-vpc-of-21-or-smaller"],
        ["See [Upgrading](docs/upgrading.md) **first**", "see-upgrading-first"],
        ["발송 IP 등록", "발송-ip-등록"],
    ])("GitHub's anchor for %j is %j", (heading, anchor) => {
        expect(slug(heading)).toBe(anchor);
    });

    it("finds a dead link when there is one (the check itself works)", () => {
        const up = ".."; // built from pieces, so that this file itself points nowhere outside
        const pages: Record<string, string> = {
            "README.md": [
                "# Title",
                "## Cost",
                "## Cost",
                "[ok](docs/a.md) [ok](docs/a.md#섹션-하나) [ok](#cost-1) [ok](docs) [ok](https://example.com/x#y)",
                "[gone](docs/missing.md) [no heading](docs/a.md#nothing) [no heading](#cost-2)",
                "`[in code](docs/missing.md)`",
                "```sh",
                "# not a heading",
                "[in a block](docs/missing.md)",
                "```",
                `[up](${up}/elsewhere.md)`,
                "[ref]: docs/gone-too.md",
                "a link whose text [wraps onto",
                "the next line](docs/wrapped.md), and code that `wraps [x](docs/none.md)",
                "onto the next` line",
            ].join("\n"),
            "docs/a.md": "# 섹션 하나\n[back](../README.md#title) [back](../README.md#not-a-heading)\n",
            docs: "",
        };
        const read: Reader = (path) => pages[path];
        expect(deadLinks("README.md", read)).toEqual([
            "README.md:5: docs/missing.md (docs/missing.md does not exist)",
            "README.md:5: docs/a.md#nothing (no heading in docs/a.md has the anchor #nothing)",
            "README.md:5: #cost-2 (no heading in README.md has the anchor #cost-2)",
            `README.md:11: ${up}/elsewhere.md (outside the repository)`,
            "README.md:12: docs/gone-too.md (docs/gone-too.md does not exist)",
            "README.md:13: docs/wrapped.md (docs/wrapped.md does not exist)",
        ]);
        expect(deadLinks("docs/a.md", read)).toEqual([
            "docs/a.md:2: ../README.md#not-a-heading (no heading in README.md has the anchor #not-a-heading)",
        ]);
    });

    it("no link in README.md or docs/*.md is dead", () => {
        expect(PAGES.length).toBeGreaterThan(1);
        expect(PAGES.flatMap((page) => deadLinks(page, readRepository))).toEqual([]);
    });

    it("every page of docs/ is linked from the README", () => {
        const linked = new Set(
            linksOf(readFileSync(join(ROOT, "README.md"), "utf8")).map((l) => normalize(l.target.split("#")[0])),
        );
        expect(PAGES.filter((page) => page !== "README.md" && !linked.has(page))).toEqual([]);
    });
});
