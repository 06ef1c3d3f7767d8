// The Nat component's arguments: their interfaces (the component host infers the schema from them),
// and their resolution, once, into a frozen record the component builds from, or the list of
// problems (each naming its property).
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../cidr";
import { idListProblems, isPending, plainArgProblems, withoutNulls, type PlainArg } from "../errors";
import { identityProblems, type AwsIdentity, type WaitIdentity } from "../identity";
import { AMI_ID, type Architecture, type NatImage } from "../images";
import { egressPlan, type EgressPlan } from "../nat-plan";
import {
    NatStrategy,
    checkEgress,
    checkNatInstance,
    checkStrategy,
    quote,
    type NatNames,
    type Problem,
} from "../rules";

/** The instance type a NAT instance gets when none is given. */
export const DEFAULT_NAT_INSTANCE_TYPE = "t3.nano";
/** The image a NAT instance gets when none is given. */
export const DEFAULT_NAT_IMAGE = "amzn-ami-vpc-nat";

/** An instance made by an earlier version of this component (logical name `<name>-instance`), to adopt rather than replace. */
export interface NatAdoptedInstance {
    /** The AMI the instance runs (kept as its image). */
    amiId: string;
    /** That AMI's name. */
    amiName: string;
}

/** The NAT instance's settings (used when the strategy is instance). */
export interface NatInstanceSettings {
    /**
     * EC2 instance type; Graviton types (t4g.*) need image fck-nat or al2023.
     * Default: `t3.nano`.
     * @default "t3.nano"
     */
    instanceType?: string;
    /**
     * The image: amzn-ami-vpc-nat, fck-nat, al2023 (looked up, newest, deprecated included), or a pinned ami-… id.
     * Default: `amzn-ami-vpc-nat`.
     * @default "amzn-ami-vpc-nat"
     */
    image?: string;
    /**
     * Any new value builds a new instance generation with the newest image of the family.
     * Default: none.
     * @default ""
     */
    imageRefresh?: string;
    /**
     * EC2 key pair for SSH.
     * Default: none (no SSH).
     * @default no key pair
     */
    keyName?: string;
    /**
     * Address block allowed to SSH in, /16 or narrower; needs keyName.
     * Default: none (port 22 closed).
     * @default none
     */
    sshCidr?: string;
    /**
     * Longest wait for the instance's EC2 status checks, in seconds (60 to 3600), before the deployment fails.
     * Default: `600`.
     * @default 600
     */
    readyTimeoutSeconds?: number;
    /**
     * A matching instance made by an earlier version, to keep as it is.
     * Default: none.
     * @default none
     */
    adopt?: NatAdoptedInstance;
}

/** The arguments of a {@link Nat}. */
export interface NatArgs {
    /** How the private subnets reach the internet: gateway, instance or none (see NatStrategy). */
    strategy: NatStrategy;
    /** The VPC. */
    vpcId: pulumi.Input<string>;
    /** The public subnet the NAT lives in. */
    publicSubnetId: pulumi.Input<string>;
    /** The VPC's internet gateway; the NAT is created only once it exists. */
    internetGatewayId: pulumi.Input<string>;
    /** The private route tables that get a default route to the NAT (one stably named route each). */
    privateRouteTableIds: pulumi.Input<string>[];
    /** The private subnets' blocks, which the NAT instance admits traffic from. */
    privateSubnetCidrs: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * One NAT per zone (true) or one for the whole VPC (false). With true, private route table i routes to
     * the NAT in publicSubnetIds[i], its own zone's: a zone outage takes only that zone's traffic, and none crosses zones.
     * Every NAT has its own Elastic IP (two with egressIpStandby: one per NAT kind).
     * Default: `false` (one NAT).
     * @default false
     */
    perAz?: boolean;
    /**
     * The public subnets, one per private route table, in the same zones and order; needed with perAz.
     * Default: `[publicSubnetId]`.
     * @default [publicSubnetId]
     */
    publicSubnetIds?: pulumi.Input<string>[];
    /**
     * With perAz: zones (indexes into privateRouteTableIds, never 0) whose NAT and address are built but whose private
     * route still goes through zone 0's NAT, e.g. until a partner has allow-listed the new address.
     * Default: none.
     * @default []
     */
    pendingZones?: number[];
    /**
     * The NAT instance's settings (used when the strategy is instance).
     * Default: an amzn-ami-vpc-nat instance of type t3.nano.
     * @default {}
     */
    instance?: NatInstanceSettings;
    /**
     * Elastic IPs you already own: one for whichever NAT is on, or two (the gateway's, then the instance's).
     * Default: none; the component allocates them.
     * @default []
     */
    egressIpAllocationIds?: string[];
    /**
     * Without your own addresses: keep one address per NAT kind (true: a switch is one deployment) or one for both
     * (false: a switch passes through none).
     * Default: `true`.
     * @default true
     */
    egressIpStandby?: boolean;
    /**
     * Who the NAT instance's readiness gate is in AWS: it calls EC2 itself (DescribeInstanceStatus), outside the AWS
     * provider, so it needs that provider's identity: a profile, a key pair (with a session token) and the roles to
     * assume, in order, as the provider's own settings take them. Passed to the gate as a secret, never kept in plain
     * state. When not given: the stack's `aws:` configuration (aws:profile, aws:accessKey, aws:secretKey, aws:token,
     * aws:assumeRoles), which is the default AWS provider's; give it when the component is handed another provider.
     * Default: the stack's `aws:` configuration.
     * @default the stack's aws: configuration
     */
    awsIdentity?: pulumi.Input<AwsIdentity>;
    /**
     * A named AWS profile for the readiness gate: the same as awsIdentity: { profile }. Kept for programs written
     * before awsIdentity; give one of the two.
     * Default: none.
     * @default none
     * @deprecated Use awsIdentity.
     */
    awsProfile?: string;
    /**
     * An SNS topic for alarms a person should hear: the NAT instance failing its own status check (and its host being
     * recovered), the NAT gateway failing to allocate ports or dropping packets.
     * Default: none (no such alarms).
     * @default none
     */
    alarmTopicArn?: pulumi.Input<string>;
    /**
     * Tags added to every resource; the component adds a Name tag.
     * Default: none.
     * @default {}
     */
    tags?: Record<string, string>;
}

/** The NAT instance's settings, checked and with their defaults. */
export interface ResolvedInstance {
    readonly instanceType: string;
    readonly image: NatImage;
    readonly architecture: Architecture;
    readonly keyName?: string;
    /** The SSH block, normalised. */
    readonly sshCidr?: string;
    /** The refresh label; "" when none. */
    readonly refresh: string;
    readonly readyTimeoutSeconds?: number;
    readonly adopt?: NatAdoptedInstance;
}

/** Where the NATs are and where each private route table sends its traffic. */
export interface ZonePlan {
    /** The public subnet of each NAT, zone 0 first (one NAT without perAz). */
    readonly natSubnetIds: readonly pulumi.Input<string>[];
    /** For each private route table, the index of the NAT it routes to. */
    readonly routeTo: readonly number[];
}

/** A {@link NatArgs} checked once, with its defaults, frozen: what the component builds from. */
export interface ResolvedNatArgs {
    readonly strategy: NatStrategy;
    readonly vpcId: pulumi.Input<string>;
    readonly publicSubnetId: pulumi.Input<string>;
    readonly internetGatewayId: pulumi.Input<string>;
    readonly privateRouteTableIds: readonly pulumi.Input<string>[];
    readonly privateSubnetCidrs: pulumi.Input<pulumi.Input<string>[]>;
    readonly instance: ResolvedInstance;
    /** Which address each NAT kind binds. */
    readonly egress: EgressPlan;
    readonly zones: ZonePlan;
    /** What the gate was given (awsIdentity, or awsProfile as one); undefined: the stack's configuration. */
    readonly awsIdentity?: pulumi.Input<AwsIdentity>;
    readonly alarmTopicArn?: pulumi.Input<string>;
    readonly tags?: Record<string, string>;
}

/** The component's property paths, as its rules name them in problems. */
export const NAT_ARG_NAMES: NatNames = {
    strategy: "strategy",
    instanceType: "instance.instanceType",
    image: "instance.image",
    keyName: "instance.keyName",
    sshCidr: "instance.sshCidr",
    refresh: "instance.imageRefresh",
    allocationIds: "egressIpAllocationIds",
    standby: "egressIpStandby",
    allowList: "wherever traffic from it must be allowed (a partner's allow-list)",
};

const TOP_LEVEL_SHAPES: Record<string, PlainArg> = {
    strategy: { shape: "string", whyPlain: "it decides which resources exist" },
    vpcId: { shape: "string", input: true },
    publicSubnetId: { shape: "string", input: true },
    internetGatewayId: { shape: "string", input: true },
    privateRouteTableIds: {
        shape: "list",
        whyPlain:
            "one default route is made per table; pass a list with one value per table, e.g. [net.privateRouteTableIds[0], net.privateRouteTableIds[1]]",
    },
    privateSubnetCidrs: { shape: "list", input: true },
    instance: { shape: "object", optional: true, whyPlain: "it decides which instance exists" },
    egressIpAllocationIds: {
        shape: "strings",
        optional: true,
        whyPlain: "they decide how many addresses are allocated",
    },
    egressIpStandby: { shape: "boolean", optional: true, whyPlain: "it decides how many addresses are allocated" },
    awsIdentity: { shape: "object", optional: true, input: true },
    awsProfile: { shape: "string", optional: true },
    perAz: { shape: "boolean", optional: true, whyPlain: "it decides how many NATs exist" },
    publicSubnetIds: {
        shape: "list",
        optional: true,
        whyPlain:
            "one NAT is made per subnet; pass a list with one value per zone, e.g. [net.publicSubnetIds[0], net.publicSubnetIds[1]]",
    },
    pendingZones: { shape: "list", optional: true, whyPlain: "it decides where each route goes" },
    alarmTopicArn: { shape: "string", optional: true, input: true },
    tags: { shape: "tags", optional: true },
};

const INSTANCE_SHAPES: Record<string, PlainArg> = {
    instanceType: { shape: "string", optional: true },
    image: { shape: "string", optional: true },
    imageRefresh: { shape: "string", optional: true },
    keyName: { shape: "string", optional: true },
    sshCidr: { shape: "string", optional: true },
    readyTimeoutSeconds: { shape: "number", optional: true },
    adopt: { shape: "object", optional: true },
};

/** The arguments with `null`s dropped (another language's "not set"). */
function normalize(args: NatArgs): NatArgs {
    return withoutNulls(args, ["instance.adopt"]);
}

/** Each argument's type (an output where a plain value is needed, a YAML typo): nothing else is checked until these pass. */
function shapeProblems(args: NatArgs): Problem[] {
    const shapes = plainArgProblems(args, TOP_LEVEL_SHAPES);
    if (args.instance !== undefined && shapes.length === 0) {
        shapes.push(...plainArgProblems(args.instance, INSTANCE_SHAPES, "instance."));
    }
    return shapes;
}

/** The instance's timeout and adopted instance (the rules module checks the rest). */
function instanceExtrasProblems(settings: NatInstanceSettings | undefined): Problem[] {
    const problems: Problem[] = [];
    const timeout = settings?.readyTimeoutSeconds;
    if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 60 && timeout <= 3_600)) {
        problems.push({
            path: "instance.readyTimeoutSeconds",
            reason: `${timeout} is not a whole number of seconds from 60 to 3600`,
        });
    }
    const adopt = settings?.adopt;
    if (adopt !== undefined) {
        if (typeof adopt.amiId !== "string" || !AMI_ID.test(adopt.amiId))
            problems.push({
                path: "instance.adopt.amiId",
                reason: `${quote(String(adopt.amiId))} is not an AMI id (ami- and 8 or 17 hex digits)`,
            });
        if (typeof adopt.amiName !== "string" || adopt.amiName.trim() === "")
            problems.push({ path: "instance.adopt.amiName", reason: "is missing; give the AMI's name" });
    }
    return problems;
}

/** awsIdentity (its known parts; an Output is checked by AWS when the gate uses it) or awsProfile, not both. */
function identityArgProblems(args: NatArgs): Problem[] {
    if (args.awsIdentity === undefined) return [];
    if (args.awsProfile !== undefined)
        return [{ path: "awsProfile", reason: "is given with awsIdentity; give the profile as awsIdentity.profile" }];
    if (pulumi.Output.isInstance(args.awsIdentity)) return [];
    const known = args.awsIdentity as WaitIdentity;
    if (
        pulumi.Output.isInstance(known.assumeRoles) ||
        (known.assumeRoles ?? []).some(
            (r) => pulumi.Output.isInstance(r) || Object.values(r as object).some((v) => pulumi.Output.isInstance(v)),
        )
    )
        return identityProblems({ ...known, assumeRoles: undefined }, (p) => `awsIdentity.${p}`);
    return identityProblems(known, (p) => `awsIdentity.${p}`);
}

/** The route tables (one default route each: a table listed twice would get a second one, RouteAlreadyExists) and the blocks the NAT instance admits. */
function routingProblems(args: NatArgs): Problem[] {
    const problems: Problem[] = [];
    if (args.privateRouteTableIds.length === 0)
        problems.push({ path: "privateRouteTableIds", reason: "is empty; give the private subnets' route tables" });
    problems.push(...idListProblems(args.privateRouteTableIds, "privateRouteTableIds", "a route table id"));
    if (Array.isArray(args.privateSubnetCidrs)) {
        if (args.privateSubnetCidrs.length === 0)
            problems.push({
                path: "privateSubnetCidrs",
                reason: "is empty; give the private subnets' blocks (the NAT admits only them)",
            });
        args.privateSubnetCidrs.forEach((c, i) => {
            if (isPending(c)) return;
            try {
                if (typeof c !== "string") throw new Error(`is ${typeof c}; expected a block such as 10.0.128.0/24`);
                parseCidr(c);
            } catch (e) {
                problems.push({ path: `privateSubnetCidrs[${i}]`, reason: (e as Error).message });
            }
        });
    }
    return problems;
}

/** perAz's public subnets (one per route table) and pending zones (known indexes, never zone 0); your own addresses only without perAz. */
function zoneProblems(args: NatArgs): Problem[] {
    const problems: Problem[] = [];
    const tables = args.privateRouteTableIds.length;
    const pending = args.pendingZones ?? [];
    if (!args.perAz) {
        if (pending.length > 0)
            problems.push({
                path: "pendingZones",
                reason: "is set but perAz is not; pending zones exist only with one NAT per zone",
            });
        return problems;
    }
    const subnets = args.publicSubnetIds ?? [];
    if (subnets.length !== tables)
        problems.push({
            path: "publicSubnetIds",
            reason: `has ${subnets.length} subnets but privateRouteTableIds has ${tables}; with perAz give one public subnet per zone, in the same order`,
        });
    else problems.push(...idListProblems(subnets, "publicSubnetIds", "a subnet id"));
    pending.forEach((z, i) => {
        if (!Number.isInteger(z) || z < 1 || z >= tables)
            problems.push({
                path: `pendingZones[${i}]`,
                reason: `${JSON.stringify(z)} is not a zone that can wait; allowed: 1 to ${tables - 1} (zone 0's NAT carries the pending zones)`,
            });
    });
    if ((args.egressIpAllocationIds ?? []).length > 0)
        problems.push({
            path: "egressIpAllocationIds",
            reason: "your own addresses are not supported with perAz; leave it empty and the component allocates one address per zone and NAT kind",
        });
    return problems;
}

/** Each NAT's public subnet and each route table's NAT. */
function zonePlan(args: NatArgs): ZonePlan {
    if (!args.perAz) return { natSubnetIds: [args.publicSubnetId], routeTo: args.privateRouteTableIds.map(() => 0) };
    const pending = new Set(args.pendingZones ?? []);
    return {
        natSubnetIds: [...(args.publicSubnetIds ?? [])],
        routeTo: args.privateRouteTableIds.map((_, i) => (pending.has(i) ? 0 : i)),
    };
}

/**
 * Checks a {@link NatArgs} once: the result is either the frozen record the component builds from,
 * or the problems, each naming its property. The instance settings are checked whatever the strategy
 * (a program that checks its own settings with the same rules does the same): a bad value kept for later would fail the
 * switch to instance.
 */
export function resolveNatArgs(given: NatArgs): { args?: ResolvedNatArgs; problems: Problem[] } {
    const args = normalize(given);
    const shapes = shapeProblems(args);
    if (shapes.length > 0) return { problems: shapes };
    const settings = args.instance ?? {};
    const instanceType = settings.instanceType ?? DEFAULT_NAT_INSTANCE_TYPE;
    const checked = checkNatInstance(
        {
            instanceType,
            image: settings.image ?? DEFAULT_NAT_IMAGE,
            keyName: settings.keyName,
            sshCidr: settings.sshCidr,
            refresh: settings.imageRefresh,
        },
        NAT_ARG_NAMES,
    );
    const problems = [
        ...checkStrategy(args.strategy, NAT_ARG_NAMES),
        ...checkEgress(args.egressIpAllocationIds, args.egressIpStandby, NAT_ARG_NAMES),
        ...checked.problems,
        ...instanceExtrasProblems(settings),
        ...routingProblems(args),
        ...zoneProblems(args),
        ...identityArgProblems(args),
    ];
    if (problems.length > 0 || !checked.value) return { problems };
    const instance: ResolvedInstance = Object.freeze({
        instanceType,
        image: checked.value.image,
        architecture: checked.value.architecture,
        keyName: settings.keyName,
        sshCidr: checked.value.sshCidr,
        refresh: settings.imageRefresh ?? "",
        readyTimeoutSeconds: settings.readyTimeoutSeconds,
        adopt: settings.adopt,
    });
    const resolved: ResolvedNatArgs = {
        strategy: args.strategy,
        vpcId: args.vpcId,
        publicSubnetId: args.publicSubnetId,
        internetGatewayId: args.internetGatewayId,
        privateRouteTableIds: [...args.privateRouteTableIds],
        privateSubnetCidrs: args.privateSubnetCidrs,
        instance,
        egress: egressPlan(args.egressIpAllocationIds, args.egressIpStandby ?? true),
        zones: Object.freeze(zonePlan(args)),
        awsIdentity: args.awsIdentity ?? (args.awsProfile ? { profile: args.awsProfile } : undefined),
        alarmTopicArn: args.alarmTopicArn,
        tags: args.tags,
    };
    return { args: Object.freeze(resolved), problems: [] };
}

/** Checks a {@link NatArgs}; the problems name its properties. */
export function natArgsProblems(given: NatArgs): Problem[] {
    return resolveNatArgs(given).problems;
}
