// The component package as Pulumi's TypeScript component host sees it (the ComponentProvider of
// @pulumi/pulumi/provider/experimental), with its schema inferred once per suite run: inference
// compiles the package with TypeScript (about 15 s of CPU), and three test files need it. vitest's
// globalSetup infers it and writes it to a file keyed by the hash of the package's sources; the test
// files take it from there, so what they check is the real inference of the sources as they are.
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as pkg from "../components/index";
import { TEST_SCHEMA_CACHE } from "./cache";

const PACKAGE_DIR = join(__dirname, "..", "components");
const CACHE_DIR = TEST_SCHEMA_CACHE;

/** The package's own sources (not tests, not its node_modules), which the inference reads. */
function sources(dir = PACKAGE_DIR): string[] {
    return readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        if (entry === "node_modules") return [];
        if (statSync(path).isDirectory()) return sources(path);
        return /\.ts$/.test(entry) && !entry.endsWith(".test.ts") ? [path] : entry === "package.json" ? [path] : [];
    });
}

function sourceHash(): string {
    const hash = createHash("sha256");
    for (const path of sources().sort())
        hash.update(relative(PACKAGE_DIR, path)).update("\0").update(readFileSync(path));
    return hash.digest("hex").slice(0, 16);
}

/** What the provider keeps once it has inferred the schema (its private fields, plain JSON). */
interface Inferred {
    cachedSchema: string;
    componentDefinitions: unknown;
}

const newProvider = () =>
    new ComponentProvider({ components: getPulumiComponents(pkg), dirname: PACKAGE_DIR, name: "aligo-sms" });

/** Infers the schema unless this very source already has one on file (globalSetup calls this once). */
export async function inferPackageSchema(): Promise<string> {
    const file = join(CACHE_DIR, `${sourceHash()}.json`);
    try {
        statSync(file);
        return file;
    } catch {
        // Not inferred for these sources yet.
    }
    const provider = newProvider();
    await provider.getSchema();
    const kept = provider as unknown as Inferred;
    const inferred: Inferred = { cachedSchema: kept.cachedSchema, componentDefinitions: kept.componentDefinitions };
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(inferred));
    renameSync(`${file}.${process.pid}.tmp`, file);
    return file;
}

/** A component provider for the package whose schema is already inferred (from the suite's file when there is one). */
export async function packageProvider(): Promise<ComponentProvider> {
    const provider = newProvider();
    try {
        const inferred = JSON.parse(readFileSync(join(CACHE_DIR, `${sourceHash()}.json`), "utf8")) as Inferred;
        Object.assign(provider, inferred);
    } catch {
        // Run outside the suite's globalSetup (or the sources changed since): infer here.
    }
    await provider.getSchema();
    return provider;
}

/** The package's schema as `pulumi package get-schema` would print it. */
export async function packageSchema(): Promise<any> {
    return JSON.parse(await (await packageProvider()).getSchema());
}
