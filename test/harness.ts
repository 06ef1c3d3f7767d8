// The one mocks helper: runs the real program (index.ts) under pulumi.runtime.setMocks against a
// small fake AWS account, and records every resource registration with its URN, parent,
// dependencies and options, so tests can assert what is wired to what.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { loadStackConfig } from "../scripts/stack-config";

export interface Recorded {
    type: string;
    name: string;
    urn: string;
    parent: string;
    /** URNs this resource depends on (dependsOn and input dependencies). */
    dependencies: string[];
    inputs: Record<string, any>;
    /** Dotted paths of the input values that reached the engine as secrets. */
    secretInputs: string[];
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    aliases: string[];
    id: string;
    state: Record<string, any>;
}

export interface FakeImage {
    id: string;
    name: string;
    architecture: "x86_64" | "arm64";
    owner: string;
    /** Creation date; `mostRecent` picks the newest, as DescribeImages does. */
    created: string;
    deprecated?: boolean;
    imdsSupport?: string;
}

export interface FakeEip {
    allocationId: string;
    publicIp: string;
    instanceId?: string;
    networkInterfaceId?: string;
}

/** The fake AWS account the program looks things up in. */
export interface World {
    zones: string[];
    images: FakeImage[];
    eips: FakeEip[];
    /** Network interface id to its type (e.g. nat_gateway, interface). */
    enis: Record<string, string>;
}

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

/** Glob as DescribeImages filters use it (`*` only). */
const globToRegExp = (g: string) => new RegExp(`^${g.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);

/** Deterministic fake ids and addresses, so runs are comparable. */
const digest = (s: string) => createHash("sha256").update(s).digest("hex");

export class FakeAws implements pulumi.runtime.Mocks {
    readonly calls: { token: string; inputs: any }[] = [];
    constructor(readonly world: World) {}

    call({ token, inputs }: pulumi.runtime.MockCallArgs): Record<string, any> {
        this.calls.push({ token, inputs });
        switch (token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return { names: this.world.zones, zoneIds: this.world.zones.map((z) => `apne2-${z.slice(-1)}`), id: "ap-northeast-2" };
            case "aws:ec2/getAmi:getAmi":
                return this.findImage(inputs);
            case "aws:ec2/getElasticIp:getElasticIp": {
                const eip = this.world.eips.find((e) => e.allocationId === inputs.id);
                if (!eip) throw new Error(`InvalidAllocationID.NotFound: The allocation ID '${inputs.id}' does not exist`);
                return { id: eip.allocationId, publicIp: eip.publicIp, instanceId: eip.instanceId ?? "", networkInterfaceId: eip.networkInterfaceId ?? "", associationId: eip.networkInterfaceId ? "eipassoc-1" : "" };
            }
            case "aws:ec2/getNetworkInterface:getNetworkInterface": {
                const type = this.world.enis[inputs.id];
                if (!type) throw new Error(`InvalidNetworkInterfaceID.NotFound: ${inputs.id}`);
                return { id: inputs.id, interfaceType: type };
            }
            default:
                throw new Error(`FakeAws: no mock for call ${token}`);
        }
    }

    private findImage(inputs: any): Record<string, any> {
        const filters: { name: string; values: string[] }[] = inputs.filters ?? [];
        const matches = this.world.images.filter((img) => {
            if (img.deprecated && !inputs.includeDeprecated) return false;
            if (inputs.owners && !inputs.owners.includes(img.owner)) return false;
            return filters.every((f) => {
                const field = { name: img.name, architecture: img.architecture, "image-id": img.id, "virtualization-type": "hvm", "root-device-type": "ebs" }[f.name];
                if (field === undefined) throw new Error(`FakeAws: unknown image filter ${f.name}`);
                return f.values.some((v) => globToRegExp(v).test(field));
            });
        });
        if (matches.length === 0) throw new Error("Your query returned no results. Please change your search criteria and try again.");
        if (matches.length > 1 && !inputs.mostRecent) throw new Error("Your query returned more than one result.");
        const img = [...matches].sort((a, b) => a.created.localeCompare(b.created)).at(-1)!;
        return { id: img.id, name: img.name, architecture: img.architecture, imdsSupport: img.imdsSupport ?? "", deprecationTime: img.deprecated ? "2024-01-01T00:00:00Z" : "" };
    }

    newResource({ type, name, inputs }: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
        const h = digest(`${type}/${name}`);
        // Like the provider's autonaming: a resource without an explicit name gets name-<suffix>.
        const state: Record<string, any> = { ...inputs, name: inputs.name ?? `${name}-${h.slice(0, 7)}`, arn: `arn:aws:mock:ap-northeast-2:123456789012:${name}` };
        let id = `${name}-${h.slice(0, 8)}`;
        switch (type) {
            case "aws:ec2/eip:Eip":
                id = `eipalloc-${h.slice(0, 17)}`;
                state.allocationId = id;
                state.publicIp = `203.0.113.${(parseInt(h.slice(0, 2), 16) % 250) + 1}`;
                break;
            case "aws:ec2/instance:Instance":
                id = `i-${h.slice(0, 17)}`;
                state.primaryNetworkInterfaceId = `eni-${h.slice(0, 17)}`;
                break;
            case "aws:ec2/natGateway:NatGateway":
                id = `nat-${h.slice(0, 17)}`;
                break;
            case "aws:lambda/function:Function":
                state.arn = `arn:aws:lambda:ap-northeast-2:123456789012:function:${state.name}`;
                state.invokeArn = `arn:aws:apigateway:ap-northeast-2:lambda:path/2015-03-31/functions/${state.arn}/invocations`;
                break;
            case "aws:iam/role:Role":
                state.arn = `arn:aws:iam::123456789012:role/${state.name}`;
                break;
            case "aws:cloudwatch/eventRule:EventRule":
                state.arn = `arn:aws:events:ap-northeast-2:123456789012:rule/${name}-${h.slice(0, 7)}`;
                break;
        }
        return { id, state };
    }
}

export interface RunOptions {
    stack?: "dev" | "prod";
    /** Config overrides by short key (or `aws:region`); `undefined` removes a key. */
    config?: Record<string, string | undefined>;
    /** Keys (short) to mark as not secret even though tests normally set them as secrets. */
    plaintext?: string[];
    world?: Partial<World>;
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

let runQueue: Promise<unknown> = Promise.resolve();

/** Runs the program; serialised, because the Pulumi runtime keeps global state. */
export function runProgram(opts: RunOptions = {}): Promise<RunResult> {
    const next = runQueue.then(() => runOnce(opts));
    runQueue = next.catch(() => undefined);
    return next;
}

async function runOnce(opts: RunOptions): Promise<RunResult> {
    const stack = opts.stack ?? "dev";
    const project = "aligo-sms";
    const { values } = loadStackConfig(stack);
    const config: Record<string, string> = {};
    const merged: Record<string, string | undefined> = { ...values };
    for (const [k, v] of Object.entries({ ...TEST_REQUIRED, ...TEST_SECRETS, ...opts.config })) {
        merged[k.includes(":") ? k : `${project}:${k}`] = v;
    }
    for (const [k, v] of Object.entries(merged)) if (v !== undefined) config[k] = v;
    const secretKeys = Object.keys(TEST_SECRETS)
        .filter((k) => !(opts.plaintext ?? []).includes(k))
        .map((k) => `${project}:${k}`);
    pulumi.runtime.setAllConfig(config, secretKeys);

    const fake = new FakeAws({ ...defaultWorld(), ...opts.world });
    await pulumi.runtime.setMocks(fake, project, stack, opts.preview ?? false);
    const resources: Recorded[] = [];
    recordRegistrations(fake, resources);

    const program: () => Promise<Record<string, any>> = (await import("../index")).default as any;
    let outputs: Record<string, any> = {};
    let error: Error | undefined;
    try {
        const exported = await program();
        outputs = await resolveDeep(exported);
    } catch (e) {
        error = e as Error;
    }
    await waitForRPCs();
    const byName = (name: string) => {
        const r = resources.find((x) => x.name === name);
        if (!r) throw new Error(`no resource named ${name}; have: ${resources.map((x) => x.name).join(", ")}`);
        return r;
    };
    return {
        resources,
        outputs,
        error,
        fake,
        byName,
        find: (name) => resources.find((x) => x.name === name),
        ofType: (type) => resources.filter((r) => r.type === type),
    };
}

/** Awaits every Output inside a plain value. */
export async function resolveDeep(v: any): Promise<any> {
    if (pulumi.Output.isInstance(v)) return resolveDeep(await promiseOf(v));
    if (Array.isArray(v)) return Promise.all(v.map(resolveDeep));
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
        const out: Record<string, any> = {};
        for (const [k, x] of Object.entries(v)) out[k] = await resolveDeep(x);
        return out;
    }
    return v;
}

/** The value of an Output, awaited. */
export function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));
}

/** Whether an Output is marked secret. */
export function isSecret(o: pulumi.Output<unknown>): Promise<boolean> {
    return (o as any).isSecret as Promise<boolean>;
}

// The mock monitor hands newResource only type, name and inputs; the request itself carries the
// parent, dependencies and options, so wrap registerResource to keep them.
function recordRegistrations(fake: FakeAws, into: Recorded[]) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const rpc = require("@pulumi/pulumi/runtime/rpc");
    const monitor = settings.getMonitor();
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        original(req, (err: any, resp: any) => {
            if (!err && req.getCustom()) {
                const raw = req.getObject().toJavaScript();
                const secretInputs = secretPaths(raw, "", rpc);
                const urn = resp.getUrn();
                into.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn,
                    parent: req.getParent(),
                    dependencies: req.getDependenciesList(),
                    inputs: unwrapSecrets(rpc.deserializeProperties(req.getObject()), rpc),
                    secretInputs,
                    deleteBeforeReplace: req.getDeletebeforereplace(),
                    ignoreChanges: req.getIgnorechangesList(),
                    aliases: req.getAliasurnsList(),
                    id: resp.getId(),
                    state: rpc.deserializeProperties(resp.getObject()),
                });
            } else if (!err) {
                into.push({
                    type: req.getType(), name: req.getName(), urn: resp.getUrn(), parent: req.getParent(),
                    dependencies: req.getDependenciesList(), inputs: {}, secretInputs: [], deleteBeforeReplace: false,
                    ignoreChanges: [], aliases: [], id: "", state: {},
                });
            }
            callback(err, resp);
        });
    };
    void fake;
}

/** Dotted paths of secret-wrapped values in a serialized object. */
function secretPaths(v: any, at: string, rpc: any): string[] {
    if (!v || typeof v !== "object") return [];
    if (v[rpc.specialSigKey] === rpc.specialSecretSig) return [at];
    return Object.entries(v).flatMap(([k, x]) => secretPaths(x, at ? `${at}.${k}` : k, rpc));
}

/** Replaces the engine's secret wrappers with their values (which inputs were secret is kept apart). */
function unwrapSecrets(v: any, rpc: any): any {
    if (Array.isArray(v)) return v.map((x) => unwrapSecrets(x, rpc));
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
        if (v[rpc.specialSigKey] === rpc.specialSecretSig) return unwrapSecrets(v.value, rpc);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x, rpc)]));
    }
    return v;
}

/** The files of an AssetArchive of StringAssets, as name → text. */
export async function archiveTexts(archive: pulumi.asset.AssetArchive): Promise<Record<string, string>> {
    const assets = (await archive.assets) as Record<string, pulumi.asset.StringAsset>;
    const out: Record<string, string> = {};
    for (const [name, asset] of Object.entries(assets)) out[name] = (await asset.text) as string;
    return out;
}

async function waitForRPCs() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
}
