// The offline engine's AWS account: the look-ups the program makes (availability zones, AMIs,
// Elastic IPs, network interfaces) answered from a World, and resources given ids and the outputs
// the provider would compute, for running the real program under pulumi.runtime.setMocks (the
// offline plan, `npm run plan`, and the tests). Any call it does not know throws, so a new look-up
// in the program cannot go unnoticed.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

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
    tags?: Record<string, string>;
}

export interface FakeInstance {
    id: string;
    ami: string;
    instanceType: string;
    keyName?: string;
    state: string;
    tags: Record<string, string>;
}

/** The fake AWS account the program looks things up in. */
export interface World {
    /** The region the (fake) provider is configured for. @default ap-northeast-2 */
    region?: string;
    zones: string[];
    images: FakeImage[];
    eips: FakeEip[];
    /** Network interface id to its type (e.g. nat_gateway, interface). */
    enis: Record<string, string>;
    /** EC2 instances that exist already (e.g. a NAT instance from an earlier version). */
    instances?: FakeInstance[];
}

/** Glob as DescribeImages filters use it (`*` only). */
const globToRegExp = (g: string) =>
    new RegExp(
        `^${g
            .split("*")
            .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
    );

/** Deterministic fake ids and addresses, so runs are comparable. */
const digest = (s: string) => createHash("sha256").update(s).digest("hex");

export class OfflineAccount implements pulumi.runtime.Mocks {
    /** Every look-up made, with the provider reference it was made through (when one was given). */
    readonly calls: { token: string; inputs: any; provider?: string }[] = [];
    /**
     * Stashes as the engine keeps them across deployments of one stack, when this OfflineAccount is used
     * for several runs: a stash keeps the output it was created with (pulumi/pulumi
     * pkg/resource/deploy/builtins.go: Create sets output = input, Update keeps the old output).
     */
    readonly stashes = new Map<string, unknown>();
    constructor(readonly world: World) {}

    call({ token, inputs, provider }: pulumi.runtime.MockCallArgs): Record<string, any> {
        this.calls.push({ token, inputs, provider });
        switch (token) {
            case "aws:index/getRegion:getRegion": {
                const region = this.world.region ?? "ap-northeast-2";
                return {
                    id: region,
                    name: region,
                    region,
                    endpoint: `ec2.${region}.amazonaws.com`,
                    description: region,
                };
            }
            case "aws:index/getPartition:getPartition": {
                const region = this.world.region ?? "ap-northeast-2";
                const partition = region.startsWith("cn-")
                    ? "aws-cn"
                    : region.startsWith("us-gov-")
                      ? "aws-us-gov"
                      : "aws";
                return {
                    id: partition,
                    partition,
                    dnsSuffix: partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
                    reverseDnsPrefix: "com.amazonaws",
                };
            }
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return {
                    names: this.world.zones,
                    zoneIds: this.world.zones.map((z) => `apne2-${z.slice(-1)}`),
                    id: "ap-northeast-2",
                };
            case "aws:ec2/getAmi:getAmi":
                return this.findImage(inputs);
            case "aws:ec2/getElasticIp:getElasticIp": {
                const eip = this.world.eips.find((e) => e.allocationId === inputs.id);
                if (!eip)
                    throw new Error(`InvalidAllocationID.NotFound: The allocation ID '${inputs.id}' does not exist`);
                return {
                    id: eip.allocationId,
                    publicIp: eip.publicIp,
                    instanceId: eip.instanceId ?? "",
                    networkInterfaceId: eip.networkInterfaceId ?? "",
                    associationId: eip.networkInterfaceId ? "eipassoc-1" : "",
                };
            }
            case "aws:ec2/getEips:getEips": {
                const filters: { name: string; values: string[] }[] = inputs.filters ?? [];
                const wanted: Record<string, string> = inputs.tags ?? {};
                const eips = this.world.eips.filter(
                    (e) =>
                        Object.entries(wanted).every(([k, v]) => e.tags?.[k] === v) &&
                        filters.every((f) => {
                            const m = /^tag:(.+)$/.exec(f.name);
                            if (!m) throw new Error(`OfflineAccount: getEips filter ${f.name} is not modelled`);
                            return f.values.includes(e.tags?.[m[1]] ?? "\u0000");
                        }),
                );
                return {
                    id: "ap-northeast-2",
                    allocationIds: eips.map((e) => e.allocationId),
                    publicIps: eips.map((e) => e.publicIp),
                    tags: inputs.tags,
                };
            }
            case "aws:ec2/getInstances:getInstances": {
                const wanted: Record<string, string> = inputs.instanceTags ?? {};
                const states: string[] | undefined = inputs.instanceStateNames;
                const found = (this.world.instances ?? []).filter(
                    (i) =>
                        Object.entries(wanted).every(([k, v]) => i.tags[k] === v) &&
                        (!states || states.includes(i.state)),
                );
                return {
                    id: "ap-northeast-2",
                    ids: found.map((i) => i.id),
                    privateIps: [],
                    publicIps: [],
                    ipv6Addresses: [],
                    instanceTags: wanted,
                };
            }
            case "aws:ec2/getInstance:getInstance": {
                const i = (this.world.instances ?? []).find((x) => x.id === inputs.instanceId);
                if (!i)
                    throw new Error(
                        `InvalidInstanceID.NotFound: The instance ID '${inputs.instanceId}' does not exist`,
                    );
                return {
                    id: i.id,
                    instanceId: i.id,
                    ami: i.ami,
                    instanceType: i.instanceType,
                    keyName: i.keyName ?? "",
                    instanceState: i.state,
                    tags: i.tags,
                };
            }
            case "aws:ec2/getNetworkInterface:getNetworkInterface": {
                const type = this.world.enis[inputs.id];
                if (!type) throw new Error(`InvalidNetworkInterfaceID.NotFound: ${inputs.id}`);
                return { id: inputs.id, interfaceType: type };
            }
            default:
                throw new Error(`OfflineAccount: no mock for call ${token}`);
        }
    }

    private findImage(inputs: any): Record<string, any> {
        const filters: { name: string; values: string[] }[] = inputs.filters ?? [];
        const matches = this.world.images.filter((img) => {
            if (img.deprecated && !inputs.includeDeprecated) return false;
            if (inputs.owners && !inputs.owners.includes(img.owner)) return false;
            return filters.every((f) => {
                const field = {
                    name: img.name,
                    architecture: img.architecture,
                    "image-id": img.id,
                    "virtualization-type": "hvm",
                    "root-device-type": "ebs",
                }[f.name];
                if (field === undefined) throw new Error(`OfflineAccount: unknown image filter ${f.name}`);
                return f.values.some((v) => globToRegExp(v).test(field));
            });
        });
        if (matches.length === 0)
            throw new Error("Your query returned no results. Please change your search criteria and try again.");
        if (matches.length > 1 && !inputs.mostRecent) throw new Error("Your query returned more than one result.");
        const img = [...matches].sort((a, b) => a.created.localeCompare(b.created)).at(-1)!;
        return {
            id: img.id,
            name: img.name,
            architecture: img.architecture,
            imdsSupport: img.imdsSupport ?? "",
            deprecationTime: img.deprecated ? "2024-01-01T00:00:00Z" : "",
        };
    }

    newResource({ type, name, inputs }: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
        const h = digest(`${type}/${name}`);
        // Pulumi's built-in Stash: a new stash's output is its input (the engine's builtin provider).
        if (type === "pulumi:index:Stash") {
            if (!this.stashes.has(name)) this.stashes.set(name, inputs.input);
            return { id: `stash-${h.slice(0, 8)}`, state: { input: inputs.input, output: this.stashes.get(name) } };
        }
        // Dynamic resources keep their inputs as outputs; the waits themselves are tested on a fake EC2.
        if (type.startsWith("pulumi-nodejs:dynamic:")) return { id: `${name}-${h.slice(0, 8)}`, state: { ...inputs } };
        // Like the provider's autonaming: a resource without an explicit name gets name-<suffix>.
        const state: Record<string, any> = {
            ...inputs,
            name: inputs.name ?? `${name}-${h.slice(0, 7)}`,
            arn: `arn:aws:mock:ap-northeast-2:123456789012:${name}`,
        };
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
