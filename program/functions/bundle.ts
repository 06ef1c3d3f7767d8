// Bundles a Lambda handler with esbuild at program time, in memory. The same sources always give
// the same bytes (no timestamps, paths relative to the repository, no source maps), so an
// unchanged handler never shows a diff in `pulumi preview`.
//
// A bundle is built once per process. Where many processes run the program (the test suite's
// workers), a folder named by ALIGO_SMS_BUNDLE_CACHE keeps each bundle with the hash of every file
// esbuild read for it (the handler's sources and the packages it bundles): a bundle is reused only
// while every one of those files is unchanged, else built again. Without the variable nothing is
// written anywhere.
import { buildSync, version as esbuildVersion, type BuildOptions } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const REPO_ROOT = join(__dirname, "..", "..");

export type FunctionName = "sms" | "warmer";

export interface Bundle {
    /** ESM source for `index.mjs`. */
    code: string;
    bytes: number;
}

/** The environment variable that names the folder of bundles kept between processes (tests only). */
export const BUNDLE_CACHE_ENV = "ALIGO_SMS_BUNDLE_CACHE";

// Bundled CommonJS dependencies (undici, the AWS SDK) call require() for Node built-ins; an ES
// module has no require of its own, so give it one.
const ESM_REQUIRE_SHIM =
    'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);';

const OPTIONS: BuildOptions = {
    absWorkingDir: REPO_ROOT,
    bundle: true,
    write: false,
    platform: "node",
    target: "node22",
    // ES module builds first where a package has one (the AWS SDK's and @smithy's do): they
    // tree-shake, where the CommonJS builds drag whole packages in (@smithy/signature-v4 alone:
    // 14 KB as ESM, 143 KB through its CommonJS entry, measured 2026-11-25).
    mainFields: ["module", "main"],
    format: "esm",
    minify: true,
    legalComments: "none",
    sourcemap: false,
    banner: { js: ESM_REQUIRE_SHIM },
    logLevel: "silent",
};

const built = new Map<string, Bundle>();

/** The function's bundle: built once per process (see the file comment for the folder kept between processes). */
export function bundleFunction(name: FunctionName): Bundle {
    return bundleEntry(`functions/${name}/index.ts`);
}

/** Bundles any entry point (relative to the repository) the way the functions are bundled, once per process. */
export function bundleEntry(entry: string): Bundle {
    let bundle = built.get(entry);
    if (!bundle) {
        const folder = process.env[BUNDLE_CACHE_ENV];
        bundle = folder ? cachedBuild(entry, folder) : buildEntry(entry).bundle;
        built.set(entry, bundle);
    }
    return bundle;
}

/** Builds `entry` now, whatever was built before; also returns the files esbuild read (relative to the repository). */
export function buildEntry(entry: string): { bundle: Bundle; inputs: string[] } {
    const result = buildSync({ ...OPTIONS, entryPoints: [entry], metafile: true });
    const code = result.outputFiles?.[0]?.text;
    if (code === undefined) throw new Error(`esbuild wrote no output for ${entry}`);
    // Inputs such as `(disabled):fs` are esbuild's own stand-ins, not files.
    const inputs = Object.keys(result.metafile.inputs).filter((p) => !/^\(\w+\):/.test(p));
    return { bundle: { code, bytes: Buffer.byteLength(code) }, inputs };
}

interface CacheEntry {
    /** Each file esbuild read, relative to the repository, with its SHA-256. */
    inputs: Record<string, string>;
    code: string;
}

const fileHash = (path: string) =>
    createHash("sha256")
        .update(readFileSync(join(REPO_ROOT, path)))
        .digest("hex");

function cachedBuild(entry: string, folder: string): Bundle {
    const key = createHash("sha256")
        .update(JSON.stringify([esbuildVersion, entry, OPTIONS]))
        .digest("hex")
        .slice(0, 16);
    const file = join(folder, `${key}.json`);
    try {
        const kept = JSON.parse(readFileSync(file, "utf8")) as CacheEntry;
        if (Object.entries(kept.inputs).every(([path, hash]) => fileHash(path) === hash)) {
            return { code: kept.code, bytes: Buffer.byteLength(kept.code) };
        }
    } catch {
        // No entry yet, a file it lists is gone, or the entry is unreadable: build again.
    }
    const { bundle, inputs } = buildEntry(entry);
    const fresh: CacheEntry = { inputs: Object.fromEntries(inputs.map((p) => [p, fileHash(p)])), code: bundle.code };
    mkdirSync(folder, { recursive: true });
    // Written aside and renamed: a process reading at the same time sees the old entry or the new one.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(fresh));
    renameSync(temporary, file);
    return bundle;
}
