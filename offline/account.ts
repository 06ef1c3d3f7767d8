// The offline engine's AWS account: the look-ups the program makes (availability zones, AMIs,
// Elastic IPs, network interfaces) answered from a World, and resources given ids and the outputs
// the provider would compute, for running the real program under pulumi.runtime.setMocks (the
// offline plan, `npm run plan`, and the tests). Any call it does not know throws, so a new look-up
// in the program cannot go unnoticed.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import type { EngineData } from "./engine";

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

export interface FakeSubnet {
    id: string;
    cidrBlock: string;
    availabilityZone: string;
    vpcId?: string;
    tags?: Record<string, string>;
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
    /** Subnets that exist already (e.g. the stack's own, from an earlier deployment). */
    subnets?: FakeSubnet[];
    /**
     * The region's Elastic IP quota as Service Quotas answers it ("EC2-VPC Elastic IPs", L-0263D0A3),
     * or "denied" when the caller may not read it. @default 5 (AWS's default)
     */
    eipQuota?: number | "denied";
}

/** A filter value as EC2's Describe calls read it: `*` any run of characters, `?` any one. */
const globToRegExp = (g: string) =>
    new RegExp(
        `^${g
            .split("")
            .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
            .join("")}$`,
    );

/** Whether tags match EC2 `tag:<key>` filters (each filter: any of its values, wildcards allowed). */
function tagsMatch(tags: Record<string, string> | undefined, filters: Filter[], call: string): boolean {
    return filters.every((f) => {
        const m = /^tag:(.+)$/.exec(f.name);
        if (!m) throw new Error(`OfflineAccount: ${call} filter ${f.name} is not modelled`);
        const value = tags?.[m[1]];
        return value !== undefined && f.values.some((v) => globToRegExp(v).test(value));
    });
}

/** Deterministic fake ids and addresses, so runs are comparable. */
const digest = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * What a planning account gives for a value AWS assigns only at deploy: a placeholder that says so
 * and names its resource, so the plan's structure (which resource, which route to which) stays exact
 * while no made-up id or address passes for a real one.
 */
export const AT_DEPLOY = {
    id: (name: string) => `<id of ${name} at deploy>`,
    instanceId: (name: string) => `<instance id of ${name} at deploy>`,
    natGatewayId: (name: string) => `<NAT gateway id of ${name} at deploy>`,
    allocationId: (name: string) => `<allocation id of ${name} at deploy>`,
    address: (name: string) => `<address of ${name} at deploy>`,
    networkInterface: (name: string) => `<network interface of ${name} at deploy>`,
};

export interface AccountOptions {
    /**
     * Give resources placeholders (AT_DEPLOY) instead of made-up ids and addresses that look real:
     * for the plan, which shows them to people. Tests keep the realistic ones. @default false
     */
    placeholders?: boolean;
}

/** A filter of an EC2 Describe call, as the provider's look-ups pass it. */
interface Filter {
    name: string;
    values: string[];
}

/** The inputs of the look-ups answered here, as far as they are read. */
interface ImageQuery {
    filters?: Filter[];
    owners?: string[];
    mostRecent?: boolean;
    includeDeprecated?: boolean;
}
interface EipsQuery {
    filters?: Filter[];
    tags?: Record<string, string>;
}
interface SubnetsQuery {
    filters?: Filter[];
    tags?: Record<string, string>;
}
interface InstancesQuery {
    instanceTags?: Record<string, string>;
    instanceStateNames?: string[];
}

/** A look-up recorded as it was made. */
export interface RecordedCall {
    token: string;
    inputs: EngineData;
    /** The provider reference it was made through, when one was given. */
    provider?: string;
}

const partitionOf = (region: string) =>
    region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";

export class OfflineAccount implements pulumi.runtime.Mocks {
    /** Every look-up made, with the provider reference it was made through (when one was given). */
    readonly calls: RecordedCall[] = [];
    /**
     * Stashes as the engine keeps them across deployments of one stack, when this OfflineAccount is used
     * for several runs: a stash keeps the output it was created with (pulumi/pulumi
     * pkg/resource/deploy/builtins.go: Create sets output = input, Update keeps the old output).
     */
    readonly stashes = new Map<string, unknown>();
    /** Each look-up this account answers, by its token. */
    private readonly answers: Record<string, (inputs: EngineData) => EngineData> = {
        "aws:index/getRegion:getRegion": () => this.region(),
        "aws:index/getPartition:getPartition": () => this.partition(),
        "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
            names: this.world.zones,
            zoneIds: this.world.zones.map((z) => `apne2-${z.slice(-1)}`),
            id: "ap-northeast-2",
        }),
        "aws:ec2/getAmi:getAmi": (inputs) => this.findImage(inputs),
        "aws:ec2/getElasticIp:getElasticIp": (inputs) => this.elasticIp(String(inputs.id)),
        "aws:ec2/getEips:getEips": (inputs) => this.findEips(inputs),
        "aws:ec2/getInstances:getInstances": (inputs) => this.findInstances(inputs),
        "aws:ec2/getInstance:getInstance": (inputs) => this.instance(String(inputs.instanceId)),
        "aws:ec2/getNetworkInterface:getNetworkInterface": (inputs) => this.networkInterface(String(inputs.id)),
        "aws:ec2/getSubnets:getSubnets": (inputs) => this.findSubnets(inputs),
        "aws:ec2/getSubnet:getSubnet": (inputs) => this.subnet(String(inputs.id)),
        "aws:servicequotas/getServiceQuota:getServiceQuota": (inputs) =>
            this.serviceQuota(String(inputs.serviceCode), String(inputs.quotaCode)),
    };

    constructor(
        readonly world: World,
        readonly options: AccountOptions = {},
    ) {}

    call({ token, inputs, provider }: pulumi.runtime.MockCallArgs): EngineData {
        const call: RecordedCall = { token, inputs: inputs as EngineData, provider };
        this.calls.push(call);
        const answer = this.answers[token];
        if (!answer) throw new Error(`OfflineAccount: no mock for call ${token}`);
        try {
            return answer(call.inputs);
        } catch (e) {
            // The engine hands a failed invoke's message to the program in the gRPC error's details,
            // which @pulumi/pulumi turns into the Error it throws (runtime/invoke.js: new
            // Error(err.details)); a mock's own Error has no details, so the program would see "".
            throw Object.assign(e as Error, { details: (e as Error).message });
        }
    }

    private region(): EngineData {
        const region = this.world.region ?? "ap-northeast-2";
        return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
    }

    private partition(): EngineData {
        const partition = partitionOf(this.world.region ?? "ap-northeast-2");
        return {
            id: partition,
            partition,
            dnsSuffix: partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
            reverseDnsPrefix: "com.amazonaws",
        };
    }

    private elasticIp(id: string): EngineData {
        const eip = this.world.eips.find((e) => e.allocationId === id);
        if (!eip) throw new Error(`InvalidAllocationID.NotFound: The allocation ID '${id}' does not exist`);
        return {
            id: eip.allocationId,
            publicIp: eip.publicIp,
            instanceId: eip.instanceId ?? "",
            networkInterfaceId: eip.networkInterfaceId ?? "",
            associationId: eip.networkInterfaceId ? "eipassoc-1" : "",
            tags: eip.tags ?? {},
        };
    }

    private findEips(inputs: EipsQuery): EngineData {
        const filters = inputs.filters ?? [];
        const wanted = inputs.tags ?? {};
        const eips = this.world.eips.filter(
            (e) => Object.entries(wanted).every(([k, v]) => e.tags?.[k] === v) && tagsMatch(e.tags, filters, "getEips"),
        );
        return {
            id: "ap-northeast-2",
            allocationIds: eips.map((e) => e.allocationId),
            publicIps: eips.map((e) => e.publicIp),
            tags: inputs.tags,
        };
    }

    private findInstances(inputs: InstancesQuery): EngineData {
        const wanted = inputs.instanceTags ?? {};
        const states = inputs.instanceStateNames;
        const found = (this.world.instances ?? []).filter(
            (i) => Object.entries(wanted).every(([k, v]) => i.tags[k] === v) && (!states || states.includes(i.state)),
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

    private instance(id: string): EngineData {
        const i = (this.world.instances ?? []).find((x) => x.id === id);
        if (!i) throw new Error(`InvalidInstanceID.NotFound: The instance ID '${id}' does not exist`);
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

    private findSubnets(inputs: SubnetsQuery): EngineData {
        const filters = inputs.filters ?? [];
        const wanted = inputs.tags ?? {};
        const found = (this.world.subnets ?? []).filter(
            (s) =>
                Object.entries(wanted).every(([k, v]) => s.tags?.[k] === v) && tagsMatch(s.tags, filters, "getSubnets"),
        );
        return { id: this.world.region ?? "ap-northeast-2", ids: found.map((s) => s.id), filters, tags: inputs.tags };
    }

    private subnet(id: string): EngineData {
        const s = (this.world.subnets ?? []).find((x) => x.id === id);
        if (!s) throw new Error(`InvalidSubnetID.NotFound: The subnet ID '${id}' does not exist`);
        return {
            id: s.id,
            cidrBlock: s.cidrBlock,
            availabilityZone: s.availabilityZone,
            vpcId: s.vpcId ?? "",
            tags: s.tags ?? {},
        };
    }

    /** Service Quotas: only the Elastic IP quota is modelled. */
    private serviceQuota(serviceCode: string, quotaCode: string): EngineData {
        if (serviceCode !== "ec2" || quotaCode !== "L-0263D0A3")
            throw new Error(`OfflineAccount: service quota ${serviceCode}/${quotaCode} is not modelled`);
        const quota = this.world.eipQuota ?? 5;
        if (quota === "denied")
            throw new Error("AccessDeniedException: User is not authorized to perform: servicequotas:GetServiceQuota");
        return {
            id: `${serviceCode}/${quotaCode}`,
            serviceCode,
            quotaCode,
            quotaName: "EC2-VPC Elastic IPs",
            value: quota,
            defaultValue: 5,
            adjustable: true,
            globalQuota: false,
        };
    }

    private networkInterface(id: string): EngineData {
        const type = this.world.enis[id];
        if (!type) throw new Error(`InvalidNetworkInterfaceID.NotFound: ${id}`);
        return { id, interfaceType: type };
    }

    private findImage(inputs: ImageQuery): EngineData {
        const filters = inputs.filters ?? [];
        const matches = this.world.images.filter((img) => {
            if (img.deprecated && !inputs.includeDeprecated) return false;
            if (inputs.owners && !inputs.owners.includes(img.owner)) return false;
            return filters.every((f) => {
                const field = imageField(img, f.name);
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

    newResource({ type, name, inputs }: pulumi.runtime.MockResourceArgs): { id: string; state: EngineData } {
        const given = inputs as EngineData;
        const h = digest(`${type}/${name}`);
        // Pulumi's built-in Stash: a new stash's output is its input (the engine's builtin provider).
        if (type === "pulumi:index:Stash") {
            const input: unknown = given.input;
            if (!this.stashes.has(name)) this.stashes.set(name, input);
            const id = this.options.placeholders ? AT_DEPLOY.id(name) : `stash-${h.slice(0, 8)}`;
            return { id, state: { input, output: this.stashes.get(name) } };
        }
        // Dynamic resources, and the component package's own readiness gate (its form when the
        // components run in the package's plugin), keep their inputs as outputs; the waits
        // themselves are tested on a fake EC2.
        if (type.startsWith("pulumi-nodejs:dynamic:") || type === "aligo-sms:index:NatReadiness")
            return {
                id: this.options.placeholders ? AT_DEPLOY.id(name) : `${name}-${h.slice(0, 8)}`,
                state: { ...given },
            };
        // Like the provider's autonaming: a resource without an explicit name gets name-<suffix>.
        const state: EngineData = {
            ...given,
            name: (given.name as unknown) ?? `${name}-${h.slice(0, 7)}`,
            arn: `arn:aws:mock:ap-northeast-2:123456789012:${name}`,
        };
        const made = this.options.placeholders ? placeholderOutputs : computeOutputs;
        return { id: made(type, name, h, state), state };
    }
}

/** An image's value for a DescribeImages filter name, or undefined for a filter not modelled. */
function imageField(img: FakeImage, filter: string): string | undefined {
    const fields: Record<string, string> = {
        name: img.name,
        architecture: img.architecture,
        "image-id": img.id,
        "virtualization-type": "hvm",
        "root-device-type": "ebs",
    };
    return Object.hasOwn(fields, filter) ? fields[filter] : undefined;
}

/** computeOutputs with placeholders for what AWS assigns (ids, addresses, interfaces); ARNs keep their shape. */
function placeholderOutputs(type: string, name: string, h: string, state: EngineData): string {
    computeOutputs(type, name, h, state);
    switch (type) {
        case "aws:ec2/eip:Eip":
            state.allocationId = AT_DEPLOY.allocationId(name);
            state.publicIp = AT_DEPLOY.address(name);
            return String(state.allocationId);
        case "aws:ec2/instance:Instance":
            state.primaryNetworkInterfaceId = AT_DEPLOY.networkInterface(name);
            return AT_DEPLOY.instanceId(name);
        case "aws:ec2/natGateway:NatGateway":
            return AT_DEPLOY.natGatewayId(name);
        default:
            return AT_DEPLOY.id(name);
    }
}

/** The id and the outputs the provider would compute for a resource of `type`, into `state`; returns the id. */
function computeOutputs(type: string, name: string, h: string, state: EngineData): string {
    const id = `${name}-${h.slice(0, 8)}`;
    const accountArn = (service: string, resource: string) =>
        `arn:aws:${service}:ap-northeast-2:123456789012:${resource}`;
    switch (type) {
        case "aws:ec2/eip:Eip":
            state.allocationId = `eipalloc-${h.slice(0, 17)}`;
            state.publicIp = `203.0.113.${(parseInt(h.slice(0, 2), 16) % 250) + 1}`;
            return String(state.allocationId);
        case "aws:ec2/instance:Instance":
            state.primaryNetworkInterfaceId = `eni-${h.slice(0, 17)}`;
            return `i-${h.slice(0, 17)}`;
        case "aws:ec2/natGateway:NatGateway":
            return `nat-${h.slice(0, 17)}`;
        case "aws:lambda/function:Function":
            state.arn = accountArn("lambda", `function:${state.name}`);
            state.invokeArn = `arn:aws:apigateway:ap-northeast-2:lambda:path/2015-03-31/functions/${state.arn}/invocations`;
            return id;
        case "aws:iam/role:Role":
            state.arn = `arn:aws:iam::123456789012:role/${state.name}`;
            return id;
        case "aws:cloudwatch/eventRule:EventRule":
            state.arn = accountArn("events", `rule/${name}-${h.slice(0, 7)}`);
            return id;
        default:
            return id;
    }
}
