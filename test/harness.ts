// The tests' entry to the mocked program: the dev/prod stack files plus harmless per-user
// settings, a fake AWS account with known AMIs and Elastic IPs, and lookup helpers on the result.
import { FakeAws, type World } from "../testing/fake-aws";
import { runMockProgram, type Recorded } from "../testing/mock-program";
import { loadStackConfig } from "../program/stack-config";

export { archiveTexts, type Recorded } from "../testing/mock-program";
export type { FakeEip, FakeImage, World } from "../testing/fake-aws";

export const defaultWorld = (): World => ({
    zones: ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"],
    images: [
        { id: "ami-0a1b2c3d4e5f60001", name: "amzn-ami-vpc-nat-hvm-2018.03.0.20181116-x86_64-ebs", architecture: "x86_64", owner: "amazon", created: "2018-11-16", deprecated: true },
        { id: "ami-0a1b2c3d4e5f60002", name: "amzn-ami-vpc-nat-2018.03.0.20230807.0-x86_64-ebs", architecture: "x86_64", owner: "amazon", created: "2023-08-07", deprecated: true },
        { id: "ami-0f0f0f0f0f0f00001", name: "fck-nat-al2023-hvm-1.3.0-20240125-arm64-ebs", architecture: "arm64", owner: "568608671756", created: "2024-01-25", imdsSupport: "v2.0" },
        { id: "ami-0f0f0f0f0f0f00002", name: "fck-nat-al2023-hvm-1.3.0-20240125-x86_64-ebs", architecture: "x86_64", owner: "568608671756", created: "2024-01-25", imdsSupport: "v2.0" },
        { id: "ami-0e0e0e0e0e0e00001", name: "al2023-ami-2023.6.20241212.0-kernel-6.1-arm64", architecture: "arm64", owner: "amazon", created: "2024-12-12", imdsSupport: "v2.0" },
        { id: "ami-0e0e0e0e0e0e00002", name: "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64", architecture: "x86_64", owner: "amazon", created: "2024-12-12", imdsSupport: "v2.0" },
        { id: "ami-0c0c0c0c0c0c00001", name: "my-company-nat-2025", architecture: "x86_64", owner: "123456789012", created: "2025-03-01" },
    ],
    eips: [
        { allocationId: "eipalloc-0aaaaaaaaaaaaaaa1", publicIp: "198.51.100.11" },
        { allocationId: "eipalloc-0aaaaaaaaaaaaaaa2", publicIp: "198.51.100.12" },
    ],
    enis: {},
});

export interface RunOptions {
    stack?: "dev" | "prod";
    /** Config overrides by short key (or `aws:region`); `undefined` removes a key. */
    config?: Record<string, string | undefined>;
    /** Keys (short) to mark as not secret even though tests normally set them as secrets. */
    plaintext?: string[];
    /** Further keys (short) to mark secret. */
    secrets?: string[];
    world?: Partial<World>;
    /** Run against this fake account (e.g. the one of an earlier run, to model state kept between deployments). */
    fake?: FakeAws;
    preview?: boolean;
}

export interface RunResult {
    resources: Recorded[];
    outputs: Record<string, any>;
    error?: Error;
    fake: FakeAws;
    byName(name: string): Recorded;
    ofType(type: string): Recorded[];
    find(name: string): Recorded | undefined;
}

/** Settings a user must give per stack; tests supply harmless ones. */
export const TEST_SECRETS = { aligoApiKey: "k3y0f32charactersxxxxxxxxxxxxxxxx" };
const TEST_REQUIRED = { aligoUserId: "testuser", aligoSender: "02-1234-5678" };
const PROJECT = "aligo-sms";

export async function runProgram(opts: RunOptions = {}): Promise<RunResult> {
    const stack = opts.stack ?? "dev";
    const merged: Record<string, string | undefined> = { ...loadStackConfig(stack).values };
    for (const [k, v] of Object.entries({ ...TEST_REQUIRED, ...TEST_SECRETS, ...opts.config })) {
        merged[k.includes(":") ? k : `${PROJECT}:${k}`] = v;
    }
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(merged)) if (v !== undefined) config[k] = v;
    const secretKeys = [...Object.keys(TEST_SECRETS), ...(opts.secrets ?? [])].filter((k) => !(opts.plaintext ?? []).includes(k)).map((k) => `${PROJECT}:${k}`);
    const fake = opts.fake ?? new FakeAws({ ...defaultWorld(), ...opts.world });
    if (opts.fake && opts.world) Object.assign(fake.world, opts.world);
    const run = await runMockProgram({ project: PROJECT, stack, config, secretKeys, mocks: fake, preview: opts.preview });
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
