// Runs the real program (index.ts) under pulumi.runtime.setMocks and records every resource
// registration with its URN, parent, dependencies and options. Shared by the tests and the offline
// plan tool: no engine, no cloud, no credentials.
import * as pulumi from "@pulumi/pulumi";
import { createRequire } from "node:module";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";

/**
 * What the engine hands over as it is: resource inputs and state, look-up inputs, program outputs.
 * It is untyped JSON by nature, and tests read into it (`r.inputs.vpcConfig.subnetIds`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON by nature; callers read r.inputs.a.b
export type EngineData = Record<string, any>;

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
    inputs: EngineData;
    /** Dotted paths of the input values that reached the engine as secrets. */
    secretInputs: string[];
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    aliases: string[];
    id: string;
    state: EngineData;
}

export interface MockRun {
    resources: Recorded[];
    outputs: EngineData;
    error?: Error;
    /** The warnings the program logged (pulumi.log.warn), each as often as it was logged. */
    warnings: string[];
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
    program?: () => unknown;
    /**
     * Keep the program's warnings to the run's `warnings` only. Without an engine, Pulumi prints each
     * to stderr as it is logged; the plan prints them itself, once each.
     */
    quiet?: boolean;
}

/** The runtime's wait for outstanding registrations: internal to Pulumi (not in its .d.ts), hence declared here. */
const runtimeSettings = settings as typeof settings & { waitForRPCs(): Promise<void> };

/** The mock monitor's registerResource, as the runtime calls it (one request, one callback). */
interface RecordableMonitor {
    registerResource(
        req: RegisterResourceRequest,
        callback: (err: Error | null, resp: RegisterResourceResponse) => void,
    ): void;
}

let queue: Promise<unknown> = Promise.resolve();

/** Pulumi's promise wrapper (internal: not in its .d.ts), as the runtime looks it up on each call. */
interface DebuggableModule {
    debuggablePromise?: (p: Promise<unknown>, ctx: unknown) => Promise<unknown>;
    [STACKLESS]?: true;
}
const STACKLESS = Symbol.for("aligo-sms.stackless-debuggable-promises");

/**
 * Pulumi's runtime wraps every promise it tracks (one per input property of every resource, and
 * more) in `debuggablePromise`, which keeps `new Error().stack` on the promise in case it is still
 * pending at exit, to print with the leak report (@pulumi/pulumi 3.248.0 runtime/debuggable.js,
 * read 2026-12-07). Taking and formatting those traces was half the CPU of a mocked run (measured
 * with the inspector's profiler on 30 runs, 2026-12-07). A mocked run has no engine to show them
 * to, so here each is taken with no frames: the leak report still names each promise's context.
 * Installed once per process, on the module object the runtime's own files call through.
 */
function stacklessDebuggablePromises(): void {
    const mod = createRequire(__filename)("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
    const original = mod.debuggablePromise;
    if (!original || mod[STACKLESS]) return;
    mod.debuggablePromise = (p, ctx) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return original(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    mod[STACKLESS] = true;
}

/** Runs the program once; runs are serialised, because the Pulumi runtime keeps global state. */
export function runMockProgram(opts: MockRunOptions): Promise<MockRun> {
    const next = queue.then(() => runOnce(opts));
    queue = next.catch(() => undefined);
    return next;
}

async function runOnce(opts: MockRunOptions): Promise<MockRun> {
    stacklessDebuggablePromises();
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
    await pulumi.runtime.setMocks(opts.mocks, opts.project, opts.stack, opts.preview ?? false);
    const resources: Recorded[] = [];
    recordRegistrations(resources);
    const program = opts.program ?? (await import("../index")).default;
    let outputs: EngineData = {};
    let error: Error | undefined;
    const warnings = recordWarnings(opts.quiet ?? false);
    try {
        try {
            outputs = await resolveDeep(await program());
        } catch (e) {
            error = e as Error;
        }
        await runtimeSettings.waitForRPCs();
    } finally {
        warnings.stop();
    }
    return { resources, outputs, error, warnings: warnings.logged };
}

/** The part of Pulumi's log module a run records: the program calls `pulumi.log.warn` at call time. */
type WarnLog = { warn: typeof pulumi.log.warn };

/**
 * Records every pulumi.log.warn of the run (and, unless `quiet`, still lets Pulumi print it). The log
 * module's functions are plain properties of its exports, looked up by the program on each call.
 */
function recordWarnings(quiet: boolean): { logged: string[]; stop: () => void } {
    const log = pulumi.log as WarnLog;
    const original = log.warn;
    const logged: string[] = [];
    log.warn = (msg, ...rest) => {
        logged.push(msg);
        return quiet ? Promise.resolve() : original(msg, ...rest);
    };
    return { logged, stop: () => void (log.warn = original) };
}

/** Awaits every Output inside a plain value (the result is engine data: `T` when the caller knows its shape). */
export async function resolveDeep<T = EngineData>(v: unknown): Promise<T> {
    return (await resolved(v)) as T;
}

async function resolved(v: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(v)) return resolved(await promiseOf(v));
    if (Array.isArray(v)) return Promise.all(v.map(resolved));
    if (isPlainObject(v)) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = await resolved(x);
        return out;
    }
    return v;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
    !!v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;

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
    for (const [name, asset] of Object.entries(assets)) out[name] = await asset.text;
    return out;
}

// The mock monitor hands newResource only type, name and inputs; the request itself carries the
// parent, dependencies and options, so wrap registerResource to keep them.
function recordRegistrations(into: Recorded[]): void {
    const monitor = settings.getMonitor() as unknown as RecordableMonitor;
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        original(req, (err, resp) => {
            if (!err) {
                into.push(recorded(req, resp));
                shortText(resp);
            }
            callback(err, resp);
        });
    };
}

/**
 * The runtime writes every registration's response into a debug message, built whether or not
 * debug logging is on (`log.debug(...; resp: ${innerResponse})` in
 * @pulumi/pulumi 3.248.0 runtime/resource.js, read 2026-12-07): a protobuf message's text is its
 * whole nested array (the resource's state), a tenth of a mocked run's CPU. The mocked response's
 * text is its type's name instead; nothing else reads it.
 */
function shortText(resp: RegisterResourceResponse): void {
    Object.defineProperty(resp, "toString", { value: () => "[RegisterResourceResponse]" });
}

/** One registration as the tests and the plan read it. */
function recorded(req: RegisterResourceRequest, resp: RegisterResourceResponse): Recorded {
    const custom = req.getCustom();
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
        propertyDependencies[key] = deps.getUrnsList();
    });
    const values = (struct: ReturnType<RegisterResourceRequest["getObject"]>): EngineData =>
        custom && struct ? (unwrapSecrets(rpc.deserializeProperties(struct)) as EngineData) : {};
    const request = req.getObject();
    return {
        type: req.getType(),
        name: req.getName(),
        urn: resp.getUrn(),
        parent: req.getParent(),
        custom,
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        inputs: values(request),
        secretInputs: custom && request ? secretPaths(request.toJavaScript(), "") : [],
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
        aliases: [...req.getAliasurnsList(), ...req.getAliasesList().map((a) => JSON.stringify(a.toObject()))],
        id: resp.getId(),
        state: values(resp.getObject()),
    };
}

/** Whether a serialized value is the engine's secret wrapper. */
const isSecret = (v: Record<string, unknown>): boolean => v[rpc.specialSigKey] === rpc.specialSecretSig;

/** Dotted paths of secret-wrapped values in a serialized object. */
function secretPaths(v: unknown, at: string): string[] {
    if (!v || typeof v !== "object") return [];
    if (isSecret(v as Record<string, unknown>)) return [at];
    return Object.entries(v).flatMap(([k, x]) => secretPaths(x, at ? `${at}.${k}` : k));
}

/** Replaces the engine's secret wrappers with their values (which inputs were secret is kept apart). */
function unwrapSecrets(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (isPlainObject(v)) {
        if (isSecret(v)) return unwrapSecrets(v.value);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    }
    return v;
}
