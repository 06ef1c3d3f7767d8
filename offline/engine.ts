// Runs the real program (index.ts) under pulumi.runtime.setMocks and records every resource
// registration with its URN, parent, dependencies and options. Shared by the tests and the offline
// plan tool: no engine, no cloud, no credentials.
import * as pulumi from "@pulumi/pulumi";

export interface Recorded {
    type: string;
    name: string;
    urn: string;
    parent: string;
    custom: boolean;
    /** URNs this resource depends on (dependsOn and input dependencies). */
    dependencies: string[];
    /** Per input property, the URNs of the resources its value came from. */
    propertyDependencies: Record<string, string[]>;
    inputs: Record<string, any>;
    /** Dotted paths of the input values that reached the engine as secrets. */
    secretInputs: string[];
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    aliases: string[];
    id: string;
    state: Record<string, any>;
}

export interface MockRun {
    resources: Recorded[];
    outputs: Record<string, any>;
    error?: Error;
}

export interface MockRunOptions {
    project: string;
    stack: string;
    /** Fully qualified keys (`aligo-sms:nat`, `aws:region`) to their string values. */
    config: Record<string, string>;
    secretKeys: string[];
    mocks: pulumi.runtime.Mocks;
    preview?: boolean;
    /** What to run instead of index.ts (e.g. one component built from hand-written arguments). */
    program?: () => Promise<Record<string, any>> | Record<string, any>;
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs the program once; runs are serialised, because the Pulumi runtime keeps global state. */
export function runMockProgram(opts: MockRunOptions): Promise<MockRun> {
    const next = queue.then(() => runOnce(opts));
    queue = next.catch(() => undefined);
    return next;
}

async function runOnce(opts: MockRunOptions): Promise<MockRun> {
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
    await pulumi.runtime.setMocks(opts.mocks, opts.project, opts.stack, opts.preview ?? false);
    const resources: Recorded[] = [];
    recordRegistrations(resources);
    const program: () => Promise<Record<string, any>> | Record<string, any> =
        opts.program ?? ((await import("../index")).default as any);
    let outputs: Record<string, any> = {};
    let error: Error | undefined;
    try {
        outputs = await resolveDeep(await program());
    } catch (e) {
        error = e as Error;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    return { resources, outputs, error };
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
    return new Promise((resolve) =>
        o.apply((v) => {
            resolve(v);
            return v;
        }),
    );
}

/** The files of an AssetArchive of StringAssets, as name → text. */
export async function archiveTexts(archive: pulumi.asset.AssetArchive): Promise<Record<string, string>> {
    const assets = (await archive.assets) as Record<string, pulumi.asset.StringAsset>;
    const out: Record<string, string> = {};
    for (const [name, asset] of Object.entries(assets)) out[name] = (await asset.text) as string;
    return out;
}

// The mock monitor hands newResource only type, name and inputs; the request itself carries the
// parent, dependencies and options, so wrap registerResource to keep them.
function recordRegistrations(into: Recorded[]) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const settings = require("@pulumi/pulumi/runtime/settings");
    const rpc = require("@pulumi/pulumi/runtime/rpc");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const monitor = settings.getMonitor();
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        original(req, (err: any, resp: any) => {
            if (!err) {
                const custom: boolean = req.getCustom();
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
                    propertyDependencies[key] = deps.getUrnsList();
                });
                into.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn: resp.getUrn(),
                    parent: req.getParent(),
                    custom,
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    inputs: custom ? unwrapSecrets(rpc.deserializeProperties(req.getObject()), rpc) : {},
                    secretInputs: custom ? secretPaths(req.getObject().toJavaScript(), "", rpc) : [],
                    deleteBeforeReplace: req.getDeletebeforereplace(),
                    ignoreChanges: req.getIgnorechangesList(),
                    aliases: [
                        ...req.getAliasurnsList(),
                        ...req.getAliasesList().map((a: any) => JSON.stringify(a.toObject())),
                    ],
                    id: resp.getId(),
                    state: custom ? unwrapSecrets(rpc.deserializeProperties(resp.getObject()), rpc) : {},
                });
            }
            callback(err, resp);
        });
    };
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
