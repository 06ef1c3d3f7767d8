// Bundles a Lambda handler with esbuild at program time, in memory. The same sources always give
// the same bytes (no timestamps, paths relative to the repository, no source maps), so an
// unchanged handler never shows a diff in `pulumi preview`.
import { buildSync } from "esbuild";
import { join } from "node:path";

export const REPO_ROOT = join(__dirname, "..", "..");

export type FunctionName = "sms" | "warmer";

export interface Bundle {
    /** ESM source for `index.mjs`. */
    code: string;
    bytes: number;
}

// Bundled CommonJS dependencies (undici, the AWS SDK) call require() for Node built-ins; an ES
// module has no require of its own, so give it one.
const ESM_REQUIRE_SHIM =
    'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);';

export function bundleFunction(name: FunctionName): Bundle {
    return bundleEntry(`functions/${name}/index.ts`);
}

/** Bundles any entry point (relative to the repository) the way the functions are bundled. */
export function bundleEntry(entry: string): Bundle {
    const result = buildSync({
        absWorkingDir: REPO_ROOT,
        entryPoints: [entry],
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
    });
    const code = result.outputFiles[0].text;
    return { code, bytes: Buffer.byteLength(code) };
}
