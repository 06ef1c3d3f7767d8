// Runs a dynamic provider the way the Pulumi CLI does at deploy time: serialized by Pulumi's own
// closure serializer, then loaded in a separate Node process with require-from-string from the
// program's folder (node_modules/@pulumi/pulumi/cmd/dynamic-provider does exactly this), and one
// of its methods called there. What the provider needs must survive serialization, or this fails.
import * as pulumi from "@pulumi/pulumi";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const ROOT = join(__dirname, "..");
const REQUIRE_FROM_STRING = require.resolve("require-from-string", {
    paths: [dirname(require.resolve("@pulumi/pulumi/package.json"))],
});

const CHILD = `
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", async () => {
  const { text, method, args, loader } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const started = Date.now();
  try {
    const provider = require(loader)(text).handler();
    const result = await provider[method](...args);
    process.stdout.write(JSON.stringify({ result: result === undefined ? null : result, ms: Date.now() - started }));
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String(e && e.message || e), ms: Date.now() - started }));
  }
});
`;

export interface HostCall {
    result?: unknown;
    error?: string;
    /** How long the method ran in the child. */
    ms: number;
}

/** The provider's serialized text, as Pulumi stores it in the resource's `__provider` input. */
export async function serializeProvider(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
    return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

/**
 * Calls `method(...args)` on the serialized provider in a fresh Node process with `env`, run from
 * `programFolder` (the folder Pulumi runs a dynamic provider from: the program's; by default this
 * repository's).
 */
export async function callInHost(
    text: string,
    method: string,
    args: unknown[],
    env: Record<string, string | undefined>,
    programFolder = ROOT,
): Promise<HostCall> {
    const child = spawn(process.execPath, ["-e", CHILD], {
        cwd: programFolder,
        env,
        stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.stdin.end(JSON.stringify({ text, method, args, loader: REQUIRE_FROM_STRING }));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (!out) throw new Error(`dynamic provider host exited ${code} with no answer: ${err}`);
    return JSON.parse(out) as HostCall;
}

/**
 * A new program folder whose node_modules holds only `packages` (linked from this repository's):
 * what a program in another language has after `npm install` of just those, or a TypeScript
 * program whose generated SDK brought only @pulumi/pulumi. The caller removes it.
 */
export function programFolderWith(packages: string[]): string {
    const folder = mkdtempSync(join(tmpdir(), "pulumi-program-"));
    for (const name of packages) {
        const link = join(folder, "node_modules", name);
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(dirname(require.resolve(`${name}/package.json`)), link, "dir");
    }
    return folder;
}
