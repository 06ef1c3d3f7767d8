// The run's workspace: a temporary copy of the project (so that the e2e stacks' files and
// Pulumi's state never land in the repository), a local file backend, a Pulumi home of its own,
// and the environment every Pulumi command runs with: the cache's binaries first on PATH, the
// emulator's endpoint and test keys, no update checks, no plugin downloads.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { run, type Ran } from "./exec";
import { progress } from "./log";
import { AWS_PROVIDER_VERSION, BIN, COMPONENT_MODULES, POLICY_MODULES, REPO_ROOT } from "./paths";

export interface Workspace {
    root: string;
    /** The project's copy (Pulumi.yaml, index.ts, program/, components/, functions/, policy/). */
    project: string;
    home: string;
    state: string;
    endpoint: string;
    env: NodeJS.ProcessEnv;
}

/** What of the repository the program needs to run (no tests, no e2e, no docs). */
const PROJECT_PARTS =
    /^(Pulumi\.yaml|index\.ts|tsconfig\.json|package(-lock)?\.json|(components|program|functions|policy)\/)/;

/** Creates the workspace and its environment for an emulator at `endpoint`. */
export function createWorkspace(endpoint: string): Workspace {
    const root = mkdtempSync(join(tmpdir(), "aligo-sms-e2e-"));
    const project = join(root, "project");
    for (const file of execFileSync("git", ["ls-files"], { cwd: REPO_ROOT, encoding: "utf8" }).split("\n")) {
        if (!PROJECT_PARTS.test(file) || /\.test\.ts$/.test(file)) continue;
        mkdirSync(dirname(join(project, file)), { recursive: true });
        cpSync(join(REPO_ROOT, file), join(project, file));
    }
    symlinkSync(join(REPO_ROOT, "node_modules"), join(project, "node_modules"));
    const home = join(root, "pulumi-home");
    const state = join(root, "state");
    mkdirSync(home);
    mkdirSync(state);
    return { root, project, home, state, endpoint, env: environment(project, home, state, endpoint) };
}

function environment(project: string, home: string, state: string, endpoint: string): NodeJS.ProcessEnv {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|PULUMI_)/.test(k)));
    return {
        ...inherited,
        // The cache's CLI, language hosts and provider; @pulumi/pulumi's dynamic-provider script; node.
        PATH: [
            BIN,
            join(project, "node_modules", "@pulumi", "pulumi"),
            dirname(process.execPath),
            process.env.PATH,
        ].join(":"),
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: "e2e-only-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "1",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "1",
        // The deploy-time waits (dynamic providers) use the AWS SDK's default chain: the emulator here.
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_REGION: "ap-northeast-2",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
}

/** Runs the Pulumi CLI in `cwd` (the project by default); non-interactive, colourless. */
export function pulumi(ws: Workspace, args: string[], opts: { cwd?: string; okCodes?: number[] } = {}): Promise<Ran> {
    return run(join(BIN, "pulumi"), [...args, "--non-interactive", "--color", "never"], {
        cwd: opts.cwd ?? ws.project,
        env: ws.env,
        okCodes: opts.okCodes,
    });
}

/** Installs a package folder's dependencies once per lock file into the cache, and links them into `folder`. */
export async function linkModules(folder: string, cache: string): Promise<void> {
    const lock = readFileSync(join(folder, "package-lock.json"));
    const stamp = createHash("sha256").update(lock).digest("hex");
    const stampFile = join(cache, "lock.sha256");
    if (!existsSync(stampFile) || readFileSync(stampFile, "utf8") !== stamp) {
        progress(`installing the dependencies of ${folder.split("/").pop()} into the cache`);
        rmSync(cache, { recursive: true, force: true });
        mkdirSync(cache, { recursive: true });
        cpSync(join(folder, "package.json"), join(cache, "package.json"));
        cpSync(join(folder, "package-lock.json"), join(cache, "package-lock.json"));
        await run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: cache, stream: true });
        writeFileSync(stampFile, stamp);
    }
    symlinkSync(join(cache, "node_modules"), join(folder, "node_modules"));
}

/**
 * The policy pack's and the component package's dependencies, linked into the workspace's copies;
 * the stand-in AWS provider installed as plugin aws at the version @pulumi/aws asks for. A program's
 * run finds it on PATH, but `pulumi package add` installs the package's required plugins and would
 * download that one (get.pulumi.com, not reachable here): `pulumi plugin install --file` puts the
 * binary where the CLI looks first (pkg/cmd/pulumi/plugin/plugin_install.go, v3.248.0).
 */
export async function installPackages(ws: Workspace): Promise<void> {
    await linkModules(join(ws.project, "policy"), POLICY_MODULES);
    await linkModules(join(ws.project, "components"), COMPONENT_MODULES);
    await pulumi(ws, [
        "plugin",
        "install",
        "resource",
        "aws",
        AWS_PROVIDER_VERSION,
        "--file",
        join(BIN, "pulumi-resource-aws"),
    ]);
}
