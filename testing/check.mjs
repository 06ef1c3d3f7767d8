// The static half of `npm test`, in one process: the typecheck (one TypeScript program over
// tsconfig.json, which includes every TypeScript file), ESLint's type-checked rules on that same
// program (typescript-eslint's parserOptions.programs: the program is built once, not twice), and
// prettier --check. Exits 1 on any type error, lint error or warning, or unformatted file.
// `npm run typecheck` and `npm run lint` run the same checks one by one.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import * as prettier from "prettier";
import ts from "typescript";

const ROOT = join(import.meta.dirname, "..");

/** The typecheck: the program of tsconfig.json and its errors, printed as tsc prints them. */
function typecheck() {
    const configPath = join(ROOT, "tsconfig.json");
    const parsed = ts.getParsedCommandLineOfConfigFile(
        configPath,
        {},
        { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    if (!parsed) throw new Error("tsconfig.json could not be read");
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    if (diagnostics.length > 0) {
        const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" };
        process.stdout.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
    }
    return { program, failed: diagnostics.length > 0 };
}

/** ESLint over the repository, typed rules on the program built above; any warning fails, as --max-warnings 0. */
async function lint(program) {
    const eslint = new ESLint({
        cwd: ROOT,
        overrideConfig: {
            files: ["**/*.ts", "**/*.mts"],
            languageOptions: { parserOptions: { programs: [program], project: null } },
        },
    });
    const results = await eslint.lintFiles(["."]);
    const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
    if (problems > 0) process.stdout.write(await (await eslint.loadFormatter("stylish")).format(results));
    return problems > 0;
}

/** prettier --check over every file git knows (tracked, or new and not ignored), .prettierignore applied. */
async function format() {
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
        cwd: ROOT,
        encoding: "utf8",
    })
        .split("\n")
        .filter(Boolean);
    const unformatted = [];
    for (const file of files) {
        const path = join(ROOT, file);
        const info = await prettier.getFileInfo(path, { ignorePath: join(ROOT, ".prettierignore") });
        if (info.ignored || !info.inferredParser) continue;
        const options = { ...(await prettier.resolveConfig(path)), filepath: path };
        if (!(await prettier.check(readFileSync(path, "utf8"), options))) unformatted.push(file);
    }
    for (const file of unformatted) process.stdout.write(`[warn] ${file}\n`);
    if (unformatted.length > 0) process.stdout.write("[warn] Code style issues found; run `npm run format`.\n");
    return unformatted.length > 0;
}

const { program, failed: typeErrors } = typecheck();
const lintErrors = await lint(program);
const formatErrors = await format();
if (typeErrors || lintErrors || formatErrors) process.exit(1);
