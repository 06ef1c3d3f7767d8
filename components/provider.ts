// The package's own provider, as components/plugin.ts serves it to the Pulumi engine: Pulumi's
// TypeScript component host (ComponentProvider) for the components (schema, construct), and the
// NAT instance's readiness gate as a custom resource of this provider (check, diff, create, read,
// update, delete), run with the same functions as its dynamic-resource form and this package's own
// dependencies, so a program in any language needs nothing installed in its folder.
//
// The values arrive as the engine sends them. Pulumi's Node provider server says at Configure that
// it accepts secrets, then hands each method the request's struct as plain JavaScript
// (`req.getProperties().toJavaScript()`), so a secret input is still the wire form's wrapper
// `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`, and what create
// returns is sent back as it is (@pulumi/pulumi 3.248.0 provider/server.js: configure →
// setAcceptsecrets(true); check, diff, create, read, update, delete; read 2026-12-07). So the gate's
// functions get the values unwrapped, and an output whose input was secret goes back wrapped again;
// the identity never goes back at all (the gate's create leaves it out).
import * as pulumi from "@pulumi/pulumi";
import type { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { PACKAGE_NAME } from "./hosted-mode";
import { NAT_READINESS_TYPE, natReadinessProvider } from "./nat/readiness";

type Props = Record<string, unknown>;

/** The package's custom resources, by type token, each served by its dynamic-resource provider's functions. */
const CUSTOM: Record<string, pulumi.dynamic.ResourceProvider> = {
    [NAT_READINESS_TYPE]: natReadinessProvider,
};

/** A value with every secret wrapper of the wire form removed, however deep. */
export function unwrapSecrets(v: unknown): unknown {
    if (pulumi.runtime.isRpcSecret(v)) return unwrapSecrets(pulumi.runtime.unwrapRpcSecret(v));
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v !== null && typeof v === "object")
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    return v;
}

/** Outputs with each value whose same-named input was a secret wrapped as a secret again. */
function secretAsInputs(outs: Props, inputs: Props): Props {
    const wrap = (value: unknown) => ({
        [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
        value,
    });
    return Object.fromEntries(
        Object.entries(outs).map(([k, v]) => [k, pulumi.runtime.isRpcSecret(inputs[k]) ? wrap(v) : v]),
    );
}

/** The type token of a URN (urn:pulumi:stack::project::parent$type::name). */
function typeOf(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.split("$").pop() ?? "";
}

/** The functions serving the custom resource a URN names; an error for a type the package does not have. */
function customFor(urn: string): pulumi.dynamic.ResourceProvider {
    const provider = CUSTOM[typeOf(urn)];
    if (!provider) throw new Error(`The ${PACKAGE_NAME} provider has no resource type ${typeOf(urn)} (${urn}).`);
    return provider;
}

/**
 * The provider plugin.ts serves: schema and construct from Pulumi's component host, the package's
 * custom resources (the readiness gate) from their own functions.
 */
export class PackageProvider implements pulumi.provider.Provider {
    readonly version: string;

    constructor(private readonly components: ComponentProvider) {
        this.version = components.version;
    }

    getSchema(): Promise<string> {
        return this.components.getSchema();
    }

    construct(
        name: string,
        type: string,
        inputs: pulumi.Inputs,
        options: pulumi.ComponentResourceOptions,
    ): Promise<pulumi.provider.ConstructResult> {
        return this.components.construct(name, type, inputs, options);
    }

    /** The inputs as given: the gate has nothing to default or refuse that the component did not already. */
    check(urn: string, _olds: Props, news: Props): Promise<pulumi.provider.CheckResult> {
        customFor(urn);
        return Promise.resolve({ inputs: news });
    }

    async diff(id: string, urn: string, olds: Props, news: Props): Promise<pulumi.provider.DiffResult> {
        const provider = customFor(urn);
        if (!provider.diff) return {};
        return provider.diff(id, unwrapSecrets(olds), unwrapSecrets(news));
    }

    async create(urn: string, inputs: Props): Promise<pulumi.provider.CreateResult> {
        const made = await customFor(urn).create(unwrapSecrets(inputs));
        return { id: made.id, outs: secretAsInputs((made.outs ?? {}) as Props, inputs) };
    }

    /** What the state says: the gate only waited, so there is nothing to read back from AWS. */
    read(id: string, urn: string, props: Props = {}): Promise<pulumi.provider.ReadResult> {
        customFor(urn);
        return Promise.resolve({ id, props });
    }

    /** Never asked for (diff replaces or says nothing changed); kept outputs if it were. */
    update(_id: string, urn: string, olds: Props): Promise<pulumi.provider.UpdateResult> {
        customFor(urn);
        return Promise.resolve({ outs: olds });
    }

    async delete(id: string, urn: string, props: Props): Promise<void> {
        const provider = customFor(urn);
        if (provider.delete) await provider.delete(id, unwrapSecrets(props));
    }
}
