// The tests' entry to the mocked program: the dev/prod stack files plus harmless per-user
// settings, a fake AWS account with known AMIs and Elastic IPs, and lookup helpers on the result.
import { OfflineAccount, type World } from "../offline/account";
import { defaultWorld } from "../testing/world";
import { runMockProgram, type Recorded } from "../offline/engine";
import { loadStackConfig } from "../program/stack-config";

export { archiveTexts, type Recorded } from "../offline/engine";
export type { FakeEip, FakeImage, World } from "../offline/account";
export { defaultWorld } from "../testing/world";

export interface RunOptions {
    stack?: "dev" | "prod";
    /** Config overrides by short key (or `aws:region`); `undefined` removes a key. */
    config?: Record<string, string | undefined>;
    /** Keys (short) to mark as not secret even though tests normally set them as secrets. */
    plaintext?: string[];
    /** Further keys (short, or with their namespace, e.g. `aws:secretKey`) to mark secret. */
    secrets?: string[];
    world?: Partial<World>;
    /** Run against this fake account (e.g. the one of an earlier run, to model state kept between deployments). */
    fake?: OfflineAccount;
    preview?: boolean;
    /** Run the program again even if this file already ran it with the same options (see runProgram). */
    fresh?: boolean;
}

export interface RunResult {
    resources: Recorded[];
    outputs: Record<string, any>;
    error?: Error;
    /** The warnings the program logged, each as often as it was logged. */
    warnings: string[];
    fake: OfflineAccount;
    byName(name: string): Recorded;
    ofType(type: string): Recorded[];
    find(name: string): Recorded | undefined;
}

/** Settings a user must give per stack; tests supply harmless ones. */
export const TEST_SECRETS = { aligoApiKey: "k3y0f32charactersxxxxxxxxxxxxxxxx" };
const TEST_REQUIRED = { aligoUserId: "testuser", aligoSender: "02-1234-5678" };
const PROJECT = "aligo-sms";

/** This file's runs by their options: the program is deterministic, so a second run with the same options is the first one. */
const runs = new Map<string, Promise<RunResult>>();

/**
 * Runs the program under mocks with a stack's configuration. A run without a fake account of the
 * test's own (which keeps state between runs) is shared by every test of the file that asks for the
 * same options; `fresh` runs it again (for tests about two runs agreeing).
 */
export function runProgram(opts: RunOptions = {}): Promise<RunResult> {
    if (opts.fake || opts.fresh) return runOnce(opts);
    const key = JSON.stringify({ ...opts, stack: opts.stack ?? "dev" });
    let run = runs.get(key);
    if (!run) {
        run = runOnce(opts);
        runs.set(key, run);
    }
    return run;
}

async function runOnce(opts: RunOptions): Promise<RunResult> {
    const stack = opts.stack ?? "dev";
    const merged: Record<string, string | undefined> = { ...loadStackConfig(stack).values };
    for (const [k, v] of Object.entries({ ...TEST_REQUIRED, ...TEST_SECRETS, ...opts.config })) {
        merged[k.includes(":") ? k : `${PROJECT}:${k}`] = v;
    }
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(merged)) if (v !== undefined) config[k] = v;
    const secretKeys = [...Object.keys(TEST_SECRETS), ...(opts.secrets ?? [])]
        .filter((k) => !(opts.plaintext ?? []).includes(k))
        .map((k) => (k.includes(":") ? k : `${PROJECT}:${k}`));
    const fake = opts.fake ?? new OfflineAccount({ ...defaultWorld(), ...opts.world });
    if (opts.fake && opts.world) Object.assign(fake.world, opts.world);
    const run = await runMockProgram({
        project: PROJECT,
        stack,
        config,
        secretKeys,
        mocks: fake,
        preview: opts.preview,
    });
    // Component resources are recorded too; tests about "nothing registered" count them.
    const resources = run.resources;
    const byName = (name: string) => {
        const r = resources.find((x) => x.name === name);
        if (!r) throw new Error(`no resource named ${name}; have: ${resources.map((x) => x.name).join(", ")}`);
        return r;
    };
    return {
        ...run,
        fake,
        byName,
        find: (name) => resources.find((x) => x.name === name),
        ofType: (type) => resources.filter((r) => r.type === type),
    };
}
