// Pulumi's `transforms` resource option under the mocks, applied the way the engine applies it.
//
// A transform is not run by the SDK: @pulumi/pulumi registers each one as a callback with the engine
// (runtime/resource.js: callbackServer.registerTransform, sent in RegisterResourceRequest.transforms),
// and the engine calls it for the resource that carries it and for every resource registered under
// it: "First run the transforms for this resource, then it's parents, then the stack" (pulumi/pulumi
// pkg/resource/deploy/source_eval.go, RegisterResource, read 2026-12-07). That is also why transforms
// reach the children of a component built by another process (a component package used from
// Python or Go). Pulumi's mock monitor has no engine, so setMocks turns transforms off
// (runtime/mocks.js: supportsTransforms = false; registering one then throws). This helper turns
// them on, keeps each transform in this process instead of behind a callback server, and runs them
// on each registration in the engine's order, before the mocks (and the run's record) see it. Only
// the properties a transform returns are applied; the options it returns are not emulated.
import * as pulumi from "@pulumi/pulumi";
import { Callback } from "@pulumi/pulumi/proto/callback_pb";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import * as state from "@pulumi/pulumi/runtime/state";
import { dirname } from "node:path";
import type { World } from "../offline/account";
import { runComponents, type ComponentRun } from "./components";

/** google-protobuf's Struct, the copy @pulumi/pulumi itself loads (it is not a dependency of this repository). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from Pulumi's own folder, as components/hosted.test.ts does
const { Struct } = require(
    require.resolve("google-protobuf/google/protobuf/struct_pb", {
        paths: [dirname(require.resolve("@pulumi/pulumi"))],
    }),
) as {
    Struct: {
        fromJavaScript(value: Record<string, unknown>): NonNullable<ReturnType<RegisterResourceRequest["getObject"]>>;
    };
};

/** The runtime's store fields this helper sets (internal to Pulumi, not in its .d.ts). */
interface RuntimeStore {
    supportsTransforms: boolean;
    callbacks?: unknown;
}

interface MonitorWithRegister {
    registerResource(
        req: RegisterResourceRequest,
        callback: (err: Error | null, resp?: RegisterResourceResponse) => void,
    ): void;
}

/** Which resource each transform ran on, in order (a transform that returns undefined counts too). */
export type TransformCalls = { type: string; name: string }[];

/**
 * runComponents with transforms on: `build` may pass the `transforms` option, and each transform runs
 * as the engine would run it. The runtime's callback server is put back afterwards.
 */
export async function runWithTransforms(
    build: () => unknown,
    world: Partial<World> = {},
): Promise<ComponentRun & { transformCalls: TransformCalls }> {
    const store = (state as unknown as { getStore(): RuntimeStore }).getStore();
    const before = store.callbacks;
    const transformCalls: TransformCalls = [];
    try {
        const run = await runComponents(async () => {
            installTransforms(store, transformCalls);
            await build();
        }, world);
        return { ...run, transformCalls };
    } finally {
        store.callbacks = before;
    }
}

/** Turns transforms on for this run (after setMocks turned them off) and routes registrations through them. */
function installTransforms(store: RuntimeStore, calls: TransformCalls): void {
    const transforms = new Map<string, pulumi.ResourceTransform>();
    // The callback server the runtime asks for when a resource has transforms: one in this process.
    store.callbacks = {
        registerTransform: (t: pulumi.ResourceTransform) => {
            const token = `transform-${transforms.size}`;
            transforms.set(token, t);
            const callback = new Callback();
            callback.setToken(token);
            callback.setTarget("in-process");
            return Promise.resolve(callback);
        },
        awaitStackRegistrations: () => Promise.resolve(),
        shutdown: () => undefined,
    };
    store.supportsTransforms = true;
    /** Each registered resource's own transforms and its parent, by URN: the engine's walk up. */
    const registered = new Map<string, { own: string[]; parent: string }>();
    const monitor = settings.getMonitor() as unknown as MonitorWithRegister;
    const next = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        const own = req.getTransformsList().map((c) => c.getToken());
        const chain = [...own];
        for (let at = req.getParent(); at !== ""; at = registered.get(at)?.parent ?? "")
            chain.push(...(registered.get(at)?.own ?? []));
        const record = (err: Error | null, resp?: RegisterResourceResponse) => {
            if (!err && resp) registered.set(resp.getUrn(), { own, parent: req.getParent() });
            callback(err, resp);
        };
        if (chain.length === 0) return next(req, record);
        applyTransforms(
            req,
            chain.map((t) => transforms.get(t)!),
            calls,
        ).then(
            () => next(req, record),
            (e: Error) => callback(e),
        );
    };
}

/** Runs the transforms in order on the request's properties and puts the result back into the request. */
async function applyTransforms(
    req: RegisterResourceRequest,
    chain: pulumi.ResourceTransform[],
    calls: TransformCalls,
): Promise<void> {
    const object = req.getObject();
    let props = object ? rpc.deserializeProperties(object) : {};
    let changed = false;
    for (const transform of chain) {
        calls.push({ type: req.getType(), name: req.getName() });
        const result = await transform({
            custom: req.getCustom(),
            type: req.getType(),
            name: req.getName(),
            props,
            opts: {},
        });
        if (result === undefined) continue;
        props = result.props;
        changed = true;
    }
    if (changed) req.setObject(Struct.fromJavaScript(await rpc.serializeProperties("transform", props)));
}
