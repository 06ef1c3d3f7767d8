// Builds the real-engine run's binaries from Go modules only, once: each is rebuilt only when what
// it is built from (its module's go.mod, go.sum and Go files, the Go version, the build flags)
// changed since the cache's copy was built.
import { createHash } from "node:crypto";
import {
    chmodSync,
    cpSync,
    existsSync,
    mkdirSync,
    readFileSync,
    readdirSync,
    rmSync,
    statSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { run } from "./exec";
import { progress } from "./log";
import { AWS_PROVIDER_VERSION, BIN, E2E_DIR, GO_BUILD_CACHE, GO_MOD_CACHE, PULUMI_VERSION, UPSTREAM } from "./paths";

/** The Go environment of every build: the cache's module and build caches, the machine's own Go. */
export function goEnv(): NodeJS.ProcessEnv {
    return {
        ...process.env,
        GOMODCACHE: GO_MOD_CACHE,
        GOCACHE: GO_BUILD_CACHE,
        GOFLAGS: "-buildvcs=false",
        GOTOOLCHAIN: "local",
    };
}

interface Binary {
    name: string;
    /** The Go module folder it is built in. */
    module: string;
    /** The package to build. */
    target: string;
    ldflags: string;
    /** Work before the build (e.g. the provider's upstream copy). */
    prepare?: () => Promise<void>;
}

const VERSION_FLAG = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

/** Every binary the run needs, in the order they are built. */
export const BINARIES: Binary[] = [
    {
        name: "pulumi",
        module: join(E2E_DIR, "go"),
        target: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
        ldflags: `-s -w -X ${VERSION_FLAG}=${PULUMI_VERSION}`,
    },
    {
        name: "pulumi-language-nodejs",
        module: join(E2E_DIR, "go"),
        target: "aligo-sms.local/e2e/cmd/pulumi-language-nodejs",
        ldflags: `-s -w -X main.version=${PULUMI_VERSION}`,
    },
    {
        name: "pulumi-language-yaml",
        module: join(E2E_DIR, "go-yaml"),
        target: "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
        ldflags: "-s -w",
    },
    {
        name: "pulumi-resource-aws",
        module: join(E2E_DIR, "provider"),
        target: ".",
        ldflags: `-s -w -X aligo-sms.local/e2e-provider/mapping.Version=${AWS_PROVIDER_VERSION}`,
        prepare: prepareUpstream,
    },
];

/** The Go files and module files of a folder, recursively (not the upstream copy it links to). */
function goFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        if (entry === "upstream" || entry.startsWith(".")) return [];
        if (statSync(path).isDirectory()) return goFiles(path);
        return /\.go$|^go\.(mod|sum)$/.test(entry) ? [path] : [];
    });
}

async function stampOf(b: Binary): Promise<string> {
    const hash = createHash("sha256");
    hash.update((await run("go", ["version"], { env: goEnv() })).stdout)
        .update(b.target)
        .update(b.ldflags);
    for (const file of goFiles(b.module).sort()) hash.update(relative(b.module, file)).update(readFileSync(file));
    if (b.prepare) hash.update(readFileSync(join(b.module, "shim", "shim.go")));
    return hash.digest("hex");
}

/** Builds each binary whose stamp changed; returns how long each build took (seconds; 0 when cached). */
export async function buildAll(): Promise<Record<string, number>> {
    mkdirSync(BIN, { recursive: true });
    const times: Record<string, number> = {};
    for (const b of BINARIES) {
        const out = join(BIN, b.name);
        const stampFile = `${out}.stamp`;
        const stamp = await stampOf(b);
        if (existsSync(out) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) {
            times[b.name] = 0;
            continue;
        }
        const started = Date.now();
        progress(`building ${b.name} (${b.target} in ${relative(E2E_DIR, b.module)}); a cold build takes long`);
        await b.prepare?.();
        await run("go", ["build", "-p", "2", "-ldflags", b.ldflags, "-o", out, b.target], {
            cwd: b.module,
            env: goEnv(),
            stream: true,
        });
        writeFileSync(stampFile, stamp);
        times[b.name] = Math.round((Date.now() - started) / 1000);
        progress(`built ${b.name} in ${times[b.name]} s`);
    }
    return times;
}

/**
 * terraform-provider-aws at the pinned commit, extracted from the Go module cache into the cache
 * folder (writable), with this repository's shim package added (e2e/provider/shim: the only
 * addition); e2e/provider/go.mod replaces the module with it through the e2e/provider/upstream link.
 */
async function prepareUpstream(): Promise<void> {
    const module = join(E2E_DIR, "provider");
    const version = /github\.com\/hashicorp\/terraform-provider-aws (v\S+)/.exec(
        readFileSync(join(module, "go.mod"), "utf8"),
    )?.[1];
    if (!version) throw new Error("e2e/provider/go.mod does not require github.com/hashicorp/terraform-provider-aws");
    const downloaded = JSON.parse(
        (
            await run("go", ["mod", "download", "-json", `github.com/hashicorp/terraform-provider-aws@${version}`], {
                env: goEnv(),
            })
        ).stdout,
    ) as { Dir: string };
    rmSync(UPSTREAM, { recursive: true, force: true });
    cpSync(downloaded.Dir, UPSTREAM, { recursive: true });
    makeWritable(UPSTREAM);
    mkdirSync(join(UPSTREAM, "shim"), { recursive: true });
    cpSync(join(module, "shim", "shim.go"), join(UPSTREAM, "shim", "shim.go"));
    const link = join(module, "upstream");
    rmSync(link, { force: true });
    symlinkSync(UPSTREAM, link);
}

function makeWritable(dir: string): void {
    chmodSync(dir, 0o755);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) makeWritable(path);
        else chmodSync(path, 0o644);
    }
}
