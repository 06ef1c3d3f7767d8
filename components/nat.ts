import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "./cidr";
import { idListProblems, inputErrors, isPending, lookupCause, plainArgProblems, withoutNulls } from "./errors";
import {
    AMI_ID,
    IMAGE_FAMILIES,
    al2023UserData,
    amiQuery,
    imageLookupFailed,
    imageSelector,
    pinnedArchitectureProblem,
    profileFor,
    type Architecture,
    type NatImage,
} from "./images";
import { egressPlan, instanceGeneration } from "./nat-plan";
import {
    NatStrategy,
    checkEgress,
    checkNatInstance,
    checkStrategy,
    describeProblems,
    givenAddressProblems,
    quote,
    type AddressHolding,
    type NatNames,
    type Problem,
} from "./rules";
import { childTags } from "./tags";
import { NatReadiness } from "./waiters";

// The strategy enum lives with the rules (pure, no @pulumi/aws); it is part of this component's API.
export { NatStrategy };

/** The instance type a NAT instance gets when none is given. */
export const DEFAULT_NAT_INSTANCE_TYPE = "t3.nano";
/** The image a NAT instance gets when none is given. */
export const DEFAULT_NAT_IMAGE = "amzn-ami-vpc-nat";

/**
 * The oldest Pulumi CLI with what the NAT instance relies on: the built-in `Stash` resource (3.208)
 * that keeps its image. An older engine would fail on it with a less helpful message.
 */
export const REQUIRED_PULUMI_VERSION = ">=3.208.0";

/** Name-tag role of the one address used by both NAT kinds when there is no standby address. */
export const EGRESS_EIP_ROLE = "egress-eip";

/** An instance made by an earlier version of this component (logical name `<name>-instance`), to adopt rather than replace. */
export interface NatAdoptedInstance {
    /** The AMI the instance runs (kept as its image). */
    amiId: string;
    /** That AMI's name. */
    amiName: string;
}

/** The NAT instance's settings (used when the strategy is instance). */
export interface NatInstanceSettings {
    /** EC2 instance type, t3.nano when not given; Graviton types (t4g.*) need image fck-nat or al2023. @default "t3.nano" */
    instanceType?: string;
    /** The image, amzn-ami-vpc-nat when not given: amzn-ami-vpc-nat, fck-nat, al2023 (looked up, newest, deprecated included), or a pinned ami-… id. @default "amzn-ami-vpc-nat" */
    image?: string;
    /** Any new value builds a new instance generation with the newest image of the family (none by default). @default "" */
    imageRefresh?: string;
    /** EC2 key pair for SSH; none by default (no SSH). @default no key pair */
    keyName?: string;
    /** Address block allowed to SSH in, /16 or narrower; needs keyName. Port 22 is closed by default. @default none */
    sshCidr?: string;
    /** Longest wait for the instance's EC2 status checks, in seconds (60 to 3600, 600 by default), before the deployment fails. @default 600 */
    readyTimeoutSeconds?: number;
    /** A matching instance made by an earlier version, to keep as it is (none by default). @default none */
    adopt?: NatAdoptedInstance;
}

/** The arguments of a {@link Nat}. */
export interface NatArgs {
    /** gateway, instance or none. */
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
    /** The NAT instance's settings (used when the strategy is instance; by default an amzn-ami-vpc-nat instance of type t3.nano). @default {} */
    instance?: NatInstanceSettings;
    /** Elastic IPs you already own: one for whichever NAT is on, or two (the gateway's, then the instance's). By default the component allocates them. @default [] */
    egressIpAllocationIds?: string[];
    /** Without your own addresses: keep one address per NAT kind (true, the default: a switch is one deployment) or one for both (false: a switch passes through none). @default true */
    egressIpStandby?: boolean;
    /**
     * A named AWS profile for the deploy-time EC2 look-ups the NAT instance's readiness gate makes; the default credential chain when not given.
     * The gate runs in Pulumi's dynamic-provider process with the deploying machine's credentials: it takes the region of the AWS provider,
     * but not that provider's credentials (its assumeRole, or keys set on it), which it cannot see. When that provider reaches another account,
     * give a profile (or environment) that reaches the same one; otherwise the gate stops the deployment, saying so. @default ""
     */
    awsProfile?: string;
    /** An SNS topic for alarms a person should hear: the NAT instance failing its own status check (and its host being recovered), the NAT gateway failing to allocate ports or dropping packets. No such alarms when not given. @default none */
    alarmTopicArn?: pulumi.Input<string>;
    /** Tags added to every resource (none by default); the component adds a Name tag. @default {} */
    tags?: Record<string, string>;
}

const NAMES: NatNames = {
    strategy: "strategy",
    instanceType: "instance.instanceType",
    image: "instance.image",
    keyName: "instance.keyName",
    sshCidr: "instance.sshCidr",
    refresh: "instance.imageRefresh",
    allocationIds: "egressIpAllocationIds",
    standby: "egressIpStandby",
};

/** Checks a {@link NatArgs}; the problems name its properties. */
export function natArgsProblems(given: NatArgs): Problem[] {
    const args = normalizeNatArgs(given);
    const shapes = plainArgProblems(args, {
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
        awsProfile: { shape: "string", optional: true },
        alarmTopicArn: { shape: "string", optional: true, input: true },
        tags: { shape: "tags", optional: true },
    });
    if (args.instance !== undefined && shapes.length === 0) {
        shapes.push(
            ...plainArgProblems(
                args.instance,
                {
                    instanceType: { shape: "string", optional: true },
                    image: { shape: "string", optional: true },
                    imageRefresh: { shape: "string", optional: true },
                    keyName: { shape: "string", optional: true },
                    sshCidr: { shape: "string", optional: true },
                    readyTimeoutSeconds: { shape: "number", optional: true },
                    adopt: { shape: "object", optional: true },
                },
                "instance.",
            ),
        );
    }
    if (shapes.length > 0) return shapes;

    const problems = [
        ...checkStrategy(args.strategy, NAMES),
        ...checkEgress(args.egressIpAllocationIds, args.egressIpStandby, NAMES),
    ];
    // The instance settings are checked whatever the strategy (as the program checks its
    // natInstance* settings): a bad value kept for later would fail the switch to instance.
    problems.push(...checkNatInstance(instanceInput(args.instance), NAMES).problems);
    const timeout = args.instance?.readyTimeoutSeconds;
    if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 60 && timeout <= 3_600)) {
        problems.push({
            path: "instance.readyTimeoutSeconds",
            reason: `${timeout} is not a whole number of seconds from 60 to 3600`,
        });
    }
    const adopt = args.instance?.adopt;
    if (adopt !== undefined) {
        if (typeof adopt.amiId !== "string" || !AMI_ID.test(adopt.amiId))
            problems.push({
                path: "instance.adopt.amiId",
                reason: `${quote(String(adopt.amiId))} is not an AMI id (ami- and 8 or 17 hex digits)`,
            });
        if (typeof adopt.amiName !== "string" || adopt.amiName.trim() === "")
            problems.push({ path: "instance.adopt.amiName", reason: "is missing; give the AMI's name" });
    }
    // One default route per table: a table listed twice would get a second 0.0.0.0/0 route, which
    // AWS refuses (RouteAlreadyExists) after the NAT is built.
    if (args.privateRouteTableIds.length === 0)
        problems.push({ path: "privateRouteTableIds", reason: "is empty; give the private subnets' route tables" });
    problems.push(...idListProblems(args.privateRouteTableIds, "privateRouteTableIds", "a route table id"));
    // The blocks the NAT instance admits: known ones must be blocks, and there must be some.
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

/** The arguments with `null`s dropped (another language's "not set"). */
function normalizeNatArgs(args: NatArgs): NatArgs {
    return withoutNulls(args, ["instance.adopt"]);
}

function instanceInput(i: NatInstanceSettings | undefined) {
    return {
        instanceType: i?.instanceType ?? DEFAULT_NAT_INSTANCE_TYPE,
        image: i?.image ?? DEFAULT_NAT_IMAGE,
        keyName: i?.keyName,
        sshCidr: i?.sshCidr,
        refresh: i?.imageRefresh,
    };
}

/** How a user of the component deploys with another strategy (for the messages that say how to switch). */
const deployWith = (strategy: NatStrategy) => `set ${NAMES.strategy} to ${strategy} and run \`pulumi up\``;

/**
 * Who holds an Elastic IP now: the instance it is on (with its Name tag), or else the network
 * interface (with its type, `nat_gateway` for a NAT gateway's). The look-ups go through `opts`
 * (the component as parent: the provider given to it).
 */
export async function addressHolding(
    eip: { id: string; publicIp: string; instanceId: string; networkInterfaceId: string },
    opts?: pulumi.InvokeOptions,
): Promise<AddressHolding> {
    const holding: AddressHolding = { allocationId: eip.id, publicIp: eip.publicIp };
    if (eip.instanceId) {
        const instance = await aws.ec2.getInstance({ instanceId: eip.instanceId }, opts);
        holding.instance = { id: eip.instanceId, name: instance.tags?.Name };
    } else if (eip.networkInterfaceId) {
        const eni = await aws.ec2.getNetworkInterface({ id: eip.networkInterfaceId }, opts);
        holding.networkInterface = { id: eip.networkInterfaceId, type: eni.interfaceType };
    }
    return holding;
}

/** Alarm and recovery notifications to a person's topic. */
const notify = (topic: pulumi.Input<string>) => ({ alarmActions: [topic], okActions: [topic] });

/** A route's target: the NAT gateway, or the NAT instance's primary network interface. */
type RouteTarget = { natGatewayId: pulumi.Output<string> } | { networkInterfaceId: pulumi.Output<string> };

/**
 * The way out to the internet for the private subnets, with a fixed public address.
 *
 * Switching `strategy` between gateway and instance is a single `pulumi up`:
 * - each private route table has one route named `<name>-private-<i>-default` whose target is
 *   updated in place (ReplaceRoute), never a second route (RouteAlreadyExists);
 * - each strategy has its own Elastic IP, both kept whatever the strategy, so the new NAT gets an
 *   address nobody holds while the old NAT still runs, and both addresses stay registered with
 *   Aligo. The standby address costs the public IPv4 hourly charge (0.005 USD/h). Without it
 *   (`egressIpStandby: false`) one address serves both, and a switch passes through `none`;
 * - traffic moves to a NAT instance only once it is ready: the routes (and the Elastic IP binding)
 *   wait for a readiness gate that waits for EC2's status checks, not just for `running`;
 * - a NAT instance is never replaced in place: a change of what it is built from makes a new
 *   generation beside the old one (see `instanceGeneration`), which takes over once ready;
 * - a NAT gateway is waited for by the provider itself: its create returns once the gateway is
 *   `available` (terraform-provider-aws vpc_nat_gateway.go: waitNATGatewayCreated), and the routes
 *   take its id, so they move only then;
 * - your own addresses (`egressIpAllocationIds`) are bound only when EC2 reports them free or held
 *   by this NAT: an address on someone else's instance or network interface is refused, not pulled
 *   away, and so is one address moving between NAT kinds in one deployment.
 */
export class Nat extends pulumi.ComponentResource {
    /** The strategy in use. */
    readonly strategy: pulumi.Output<NatStrategy>;
    /** The address traffic leaves from now; absent when the strategy is none. */
    readonly egressIp: pulumi.Output<string | undefined>;
    /** Every address to register with the partner's allow-list: the gateway's first, then the instance's (each once). */
    readonly egressIps: pulumi.Output<string[]>;
    /** The NAT gateway's id, when the strategy is gateway. */
    readonly natGatewayId: pulumi.Output<string | undefined>;
    /** The NAT instance's id, when the strategy is instance. */
    readonly instanceId: pulumi.Output<string | undefined>;

    constructor(name: string, args: NatArgs, opts?: pulumi.ComponentResourceOptions) {
        // The type token was aligo-sms:nat:Nat; the alias keeps existing stacks' URNs.
        super(
            "aligo-sms:index:Nat",
            name,
            {},
            { ...opts, aliases: [...(opts?.aliases ?? []), { type: "aligo-sms:nat:Nat" }] },
        );
        inputErrors(`Nat ${name}`, natArgsProblems(args));
        args = normalizeNatArgs(args);
        const parent = { parent: this };
        const tags = childTags(name, args.tags);
        if (args.strategy === NatStrategy.Instance && this.getProvider("aws:ec2/instance:Instance")) {
            // The gate cannot see the provider's credentials (see NatArgs.awsProfile); say so where it matters.
            void pulumi.log.warn(
                `Nat ${name}: the NAT instance's readiness gate calls EC2 from this machine with the default AWS credential chain` +
                    `${args.awsProfile ? ` and profile ${args.awsProfile}` : ""}, in the region of the AWS provider given in the options, ` +
                    `but not with that provider's credentials (its assumeRole or keys). Make sure those credentials reach the same account, or set awsProfile; otherwise the gate stops the deployment, saying so.`,
                this,
            );
        }
        // What the NAT itself is created on: the public subnet, once the internet gateway exists.
        const subnetAfterIgw = pulumi.all([args.publicSubnetId, args.internetGatewayId]).apply(([subnet]) => subnet);

        // One address per strategy (see the class comment), one for both, or the user's own.
        const plan = egressPlan(args.egressIpAllocationIds, args.egressIpStandby ?? true);
        let gatewayAlloc: pulumi.Input<string>;
        let instanceAlloc: pulumi.Input<string>;
        let gatewayIp: pulumi.Output<string>;
        let instanceIp: pulumi.Output<string>;
        /**
         * A value the NAT is built or bound with, passed on once your own addresses pass their check
         * (below). When they fail it, every gate throws the same error object: the resources that
         * wait on it fail instead of being created, and Pulumi's runtime reports the error once (it
         * dedupes by identity). A gate that never passed its value on would leave its resource's
         * registration pending, and the program could not end.
         */
        let gate = (value: pulumi.Input<string>): pulumi.Output<string> => pulumi.output(value);
        /** What the NAT instance waits for: the same check, as a dependency (its error then carries no property name). */
        let checked: pulumi.Input<pulumi.Resource[]> = [];
        if (plan.kind === "allocate") {
            // The instance's address keeps its logical name when it becomes the only one (and back),
            // so turning the standby off or on never replaces the address registered with Aligo.
            const instanceEip = new aws.ec2.Eip(
                `${name}-instance-eip`,
                { domain: "vpc", tags: tags(plan.standby ? "instance-eip" : EGRESS_EIP_ROLE) },
                parent,
            );
            const gatewayEip = plan.standby
                ? new aws.ec2.Eip(`${name}-gateway-eip`, { domain: "vpc", tags: tags("gateway-eip") }, parent)
                : instanceEip;
            [gatewayAlloc, instanceAlloc] = [gatewayEip.allocationId, instanceEip.allocationId];
            [gatewayIp, instanceIp] = [gatewayEip.publicIp, instanceEip.publicIp];
        } else {
            // Your own addresses: who holds each now (looked up through the provider given to this
            // component). The NAT gateway's allocation id, or the NAT instance's address binding's,
            // is given only once the holders pass the rule the program's preflight applies too
            // (givenAddressProblems): no address is pulled off someone else's server (the binding
            // moves it from wherever it is), and one address is not moved between NAT kinds in one
            // step. Otherwise that resource fails with the reason, as soon as the look-ups answer,
            // and the NAT instance is not created either (it depends on the same check).
            const ids = plan.shared ? [plan.gateway] : [plan.gateway, plan.instance];
            const holdings = pulumi.all(
                ids.map((id) => aws.ec2.getElasticIpOutput({ id }, parent).apply((eip) => addressHolding(eip, parent))),
            );
            const refusal = holdings.apply((hs) =>
                describeProblems(
                    givenAddressProblems(hs, args.strategy, tags("instance").Name, NAMES, deployWith),
                ).join("; "),
            );
            let refused: pulumi.ResourceError | undefined;
            const passOrThrow = (reason: string): void => {
                if (!reason) return;
                refused ??= new pulumi.ResourceError(
                    `Nat ${name}: ${reason}. The NAT was not created and no address was bound.`,
                    this,
                    true,
                );
                throw refused;
            };
            gate = (value) => pulumi.all([value, refusal]).apply(([v, reason]): string => (passOrThrow(reason), v));
            checked = refusal.apply((reason): pulumi.Resource[] => (passOrThrow(reason), []));
            [gatewayAlloc, instanceAlloc] = [plan.gateway, plan.instance];
            gatewayIp = holdings.apply((hs) => hs[0].publicIp);
            instanceIp = holdings.apply((hs) => hs[hs.length - 1].publicIp);
        }
        this.egressIps = pulumi.all([gatewayIp, instanceIp]).apply((ips) => [...new Set(ips)]);

        let target: RouteTarget | undefined;
        /** What the routes must wait for besides their target (the instance's EIP binding and readiness). */
        let waitFor: pulumi.Resource[] = [];
        let egressIp: pulumi.Output<string | undefined> = pulumi.output(undefined);
        let natGatewayId: pulumi.Output<string | undefined> = pulumi.output(undefined);
        let instanceId: pulumi.Output<string | undefined> = pulumi.output(undefined);
        switch (args.strategy) {
            case NatStrategy.Gateway: {
                const gateway = new aws.ec2.NatGateway(
                    `${name}-gateway`,
                    {
                        allocationId: gate(gatewayAlloc),
                        subnetId: subnetAfterIgw,
                        connectivityType: "public",
                        tags: tags("gateway"),
                    },
                    parent,
                );
                natGatewayId = gateway.id;
                egressIp = gatewayIp;
                target = { natGatewayId: gateway.id };
                if (args.alarmTopicArn !== undefined) this.gatewayAlarms(name, gateway, args.alarmTopicArn, tags);
                break;
            }
            case NatStrategy.Instance: {
                const nat = this.natInstance(name, args, subnetAfterIgw, gate(instanceAlloc), checked, tags);
                instanceId = nat.instance.id;
                egressIp = instanceIp;
                target = { networkInterfaceId: nat.instance.primaryNetworkInterfaceId };
                waitFor = [nat.association, nat.ready];
                break;
            }
            case NatStrategy.None:
                break;
            default: {
                const unreachable: never = args.strategy;
                throw new Error(`unknown NAT strategy ${String(unreachable)}`);
            }
        }

        if (target) {
            const to = target;
            args.privateRouteTableIds.forEach((routeTableId, i) => {
                // The route's target updates in place (ReplaceRoute; terraform-provider-aws
                // vpc_route.go: no target attribute is ForceNew). To an instance, only once its
                // Elastic IP is bound and it passes its status checks: before that, traffic would be
                // dropped, or leave from the instance's temporary address, which Aligo refuses.
                new aws.ec2.Route(
                    `${name}-private-${i}-default`,
                    {
                        routeTableId,
                        destinationCidrBlock: "0.0.0.0/0",
                        ...to,
                    },
                    { parent: this, dependsOn: waitFor },
                );
            });
        }

        this.strategy = pulumi.output(args.strategy);
        this.egressIp = egressIp;
        this.natGatewayId = natGatewayId;
        this.instanceId = instanceId;
        this.registerOutputs({
            strategy: this.strategy,
            egressIp: this.egressIp,
            egressIps: this.egressIps,
            natGatewayId: this.natGatewayId,
            instanceId: this.instanceId,
        });
    }

    /** The NAT gateway's own failures, on the alarm topic. */
    private gatewayAlarms(
        name: string,
        gateway: aws.ec2.NatGateway,
        topic: pulumi.Input<string>,
        tags: (role: string) => Record<string, string>,
    ): void {
        const parent = { parent: this };
        const common = {
            namespace: "AWS/NATGateway",
            dimensions: { NatGatewayId: gateway.id },
            statistic: "Sum",
            period: 300,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "notBreaching",
            ...notify(topic),
        };
        new aws.cloudwatch.MetricAlarm(
            `${name}-gateway-port-allocation`,
            {
                ...common,
                alarmDescription:
                    "The NAT gateway could not allocate a source port (ErrorPortAllocation): new connections out, Aligo's included, are failing. " +
                    "It happens with very many concurrent connections to one destination; AWS's NAT gateway troubleshooting guide lists the remedies.",
                metricName: "ErrorPortAllocation",
                evaluationPeriods: 1,
                tags: tags("gateway-port-allocation"),
            },
            parent,
        );
        new aws.cloudwatch.MetricAlarm(
            `${name}-gateway-packets-dropped`,
            {
                ...common,
                alarmDescription:
                    "The NAT gateway keeps dropping packets (PacketsDropCount in two of the last three 5-minute periods): calls out may time out. " +
                    "Check the AWS Health Dashboard for the region; if it persists, switch with `pulumi config set nat instance` and `pulumi up`.",
                metricName: "PacketsDropCount",
                evaluationPeriods: 3,
                datapointsToAlarm: 2,
                tags: tags("gateway-packets-dropped"),
            },
            parent,
        );
    }

    private natInstance(
        name: string,
        args: NatArgs,
        subnetId: pulumi.Output<string>,
        allocationId: pulumi.Input<string>,
        addressesChecked: pulumi.Input<pulumi.Resource[]>,
        tags: (role: string) => Record<string, string>,
    ): { instance: aws.ec2.Instance; association: aws.ec2.EipAssociation; ready: NatReadiness } {
        const settings = args.instance ?? {};
        const input = instanceInput(settings);
        const checked = checkNatInstance(input, NAMES).value;
        if (!checked) throw new Error(`Nat ${name}: instance settings were checked above`);
        const parent = { parent: this };
        const region = aws.getRegionOutput({}, parent).region;
        const partition = aws.getPartitionOutput({}, parent).partition;

        const ingress: aws.types.input.ec2.SecurityGroupIngress[] = [
            {
                description: "Everything from the private subnets (the Lambdas' traffic to be NATed)",
                protocol: "-1",
                fromPort: 0,
                toPort: 0,
                cidrBlocks: args.privateSubnetCidrs,
            },
        ];
        if (checked.sshCidr) {
            ingress.push({
                description: "SSH (natSshCidr)",
                protocol: "tcp",
                fromPort: 22,
                toPort: 22,
                cidrBlocks: [checked.sshCidr],
            });
        }
        const sg = new aws.ec2.SecurityGroup(
            `${name}-instance-sg`,
            {
                vpcId: args.vpcId,
                description: "NAT instance: admits only the private subnets",
                ingress,
                egress: [
                    {
                        description: "Anywhere (it is the NAT)",
                        protocol: "-1",
                        fromPort: 0,
                        toPort: 0,
                        cidrBlocks: ["0.0.0.0/0"],
                    },
                ],
                tags: tags("instance-sg"),
            },
            parent,
        );

        const selector = imageSelector(checked.image, checked.architecture);
        const image = natImageSettings(checked.image, checked.architecture, this);

        // Everything the instance is built from, but the AMI (kept by the stash below, chosen by
        // the selector) and what comes from other resources (subnet, security group, tags).
        const spec = {
            instanceType: input.instanceType,
            // A NAT forwards packets that are neither from nor to itself.
            sourceDestCheck: false,
            // A temporary public address until the EIP is bound, so user data can install packages.
            associatePublicIpAddress: true,
            keyName: input.keyName,
            // Burstable types default to "unlimited" on t3/t4g, which can bill for CPU bursts.
            creditSpecification: /^t\d/.test(input.instanceType) ? { cpuCredits: "standard" } : undefined,
            rootBlockDevice: { volumeType: "gp3", volumeSize: 8, encrypted: true, deleteOnTermination: true },
            metadataOptions: { httpEndpoint: "enabled", httpTokens: image.httpTokens, httpPutResponseHopLimit: 1 },
            userData: image.userData,
            // User data runs at first boot only: a changed script needs a new instance.
            userDataReplaceOnChange: true,
        };
        // Each generation of the instance has its own logical names (blue/green, see
        // instanceGeneration). What a pinned image decides (IMDS mode, user data) is known only after
        // its look-up, and follows from its id, which the selector already carries.
        const generation = instanceGeneration({
            selector,
            refresh: input.refresh ?? "",
            spec: {
                ...spec,
                metadataOptions: image.known ? spec.metadataOptions : `from ${selector}`,
                userData: image.known ? spec.userData : `from ${selector}`,
            },
        });
        const gen = `${name}-instance-${generation}`;
        // An adopted instance from an earlier version keeps its old names through aliases, so
        // adopting it replaces nothing.
        const adopted = (role: string): pulumi.CustomResourceOptions =>
            settings.adopt ? { aliases: [{ name: `${name}-${role}` }] } : {};

        // The image in use is kept in the stack's state: a newer image of the same family (the
        // look-up asks for the newest every time) changes only the stash's `input`, shown as an
        // update of it in the preview, while its `output`, which the instance uses, stays. A new
        // generation has a new stash, which takes the newest image. (Pulumi's built-in Stash, from
        // CLI 3.208: create sets output = input, update keeps the old output; pulumi/pulumi
        // pkg/resource/deploy/builtins.go, read 2026-11-25.)
        // The stash is registered once its input resolves, which waits for the CLI version check: an
        // older CLI stops here with the engine's version error (naming the range) instead of an unknown type.
        const cliChecked = pulumi.runtime.requirePulumiVersion(REQUIRED_PULUMI_VERSION);
        const stash = new pulumi.Stash(
            `${gen}-image`,
            {
                input: pulumi
                    .all([
                        cliChecked,
                        settings.adopt ? { id: settings.adopt.amiId, name: settings.adopt.amiName } : image.found,
                    ])
                    .apply(([, found]) => found),
            },
            parent,
        );
        const kept = stash.output as pulumi.Output<{ id: string; name: string }>;

        const instance = new aws.ec2.Instance(
            gen,
            {
                ...spec,
                ami: kept.apply((k) => k.id),
                subnetId,
                vpcSecurityGroupIds: [sg.id],
                tags: {
                    ...tags(`instance-${generation}`),
                    NatImage: kept.apply((k) => k.name),
                    NatGeneration: `${selector} ${input.instanceType}${input.keyName ? ` key ${input.keyName}` : ""}${input.refresh ? ` refresh ${input.refresh}` : ""}`,
                },
            },
            { parent: this, dependsOn: addressesChecked, ...adopted("instance") },
        );

        // Waits for EC2's instance and system status checks (see components/waiters.ts).
        const ready = new NatReadiness(
            `${gen}-ready`,
            {
                instanceId: instance.id,
                region,
                profile: args.awsProfile,
                timeoutSeconds: settings.readyTimeoutSeconds,
            },
            parent,
        );

        // The address moves to the instance only once it is ready, in one AssociateAddress call:
        // from nobody (a first instance), or from the previous generation, which keeps it (and the
        // routes) until then. That takes AllowReassociation; the previous generation's binding is
        // deleted at the end of the deployment, and the provider treats its now unknown id as done
        // (terraform-provider-aws ec2_eip_association.go, resourceEIPAssociationDelete ignores
        // InvalidAssociationID.NotFound; read 2026-11-25). The flag only matters when the binding
        // is created, so an adopted binding that was made without it is not replaced for it.
        const association = new aws.ec2.EipAssociation(
            `${gen}-eip-assoc`,
            {
                allocationId,
                networkInterfaceId: instance.primaryNetworkInterfaceId,
                allowReassociation: true,
            },
            {
                parent: this,
                dependsOn: [ready],
                ignoreChanges: ["allowReassociation"],
                ...adopted("instance-eip-assoc"),
            },
        );

        // EC2 auto-recovery: a failed host brings the same instance (same ENI, same EIP) back elsewhere.
        new aws.cloudwatch.MetricAlarm(
            `${gen}-recover`,
            {
                alarmDescription: "Recover the NAT instance when its host fails the system status check",
                namespace: "AWS/EC2",
                metricName: "StatusCheckFailed_System",
                dimensions: { InstanceId: instance.id },
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 2,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                alarmActions: [
                    pulumi.interpolate`arn:${partition}:automate:${region}:ec2:recover`,
                    ...(args.alarmTopicArn !== undefined ? [args.alarmTopicArn] : []),
                ],
                tags: tags(`instance-${generation}-recover`),
            },
            { parent: this, ...adopted("instance-recover") },
        );

        // The instance itself failing (its OS, its network set-up), which recovery does not fix.
        if (args.alarmTopicArn !== undefined) {
            new aws.cloudwatch.MetricAlarm(
                `${gen}-impaired`,
                {
                    alarmDescription: pulumi.interpolate`The NAT instance ${instance.id} fails its own status check: the Lambdas' calls out (Aligo) are likely failing. Look at its system log (aws ec2 get-console-output --instance-id ${instance.id} --latest); a reboot usually helps, and setting natImageRefresh to a new value (e.g. today's date) then pulumi up builds a fresh instance that takes over once ready.`,
                    namespace: "AWS/EC2",
                    metricName: "StatusCheckFailed_Instance",
                    dimensions: { InstanceId: instance.id },
                    statistic: "Maximum",
                    period: 60,
                    evaluationPeriods: 3,
                    threshold: 1,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    treatMissingData: "missing",
                    ...notify(args.alarmTopicArn),
                    tags: tags(`instance-${generation}-impaired`),
                },
                parent,
            );
        }
        return { instance, association, ready };
    }
}

/**
 * The image to look up and what it asks of the instance. For a family, the IMDS mode and user data
 * follow from the family and are known at once; for a pinned AMI they follow from its name, known
 * after the look-up (which also checks the image's CPU against the instance type's).
 */
function natImageSettings(image: NatImage, architecture: Architecture, owner: pulumi.Resource) {
    // A look-up that finds nothing is told in plain words on the component (the family, CPU and
    // region, and what to choose instead), not as the provider's "Your query returned no results".
    const found = pulumi.output(
        aws.ec2.getAmi(amiQuery(image, architecture), { parent: owner }).catch(async (e: unknown) => {
            const region = await aws.getRegion({}, { parent: owner }).then(
                (r) => r.region,
                () => "the provider's region",
            );
            throw new pulumi.ResourceError(
                `${NAMES.image}: ${imageLookupFailed(image, architecture, region, lookupCause(e), (v) => `${NAMES.image} ${JSON.stringify(v)}`)}`,
                owner,
                true,
            );
        }),
    );
    if (image.kind === "family") {
        const facts = IMAGE_FAMILIES[image.family];
        return {
            found: found.apply((f) => ({ id: f.id, name: f.name })),
            known: true,
            httpTokens: facts.imdsv2Only ? "required" : "optional",
            userData: facts.needsUserData ? al2023UserData() : undefined,
        } as const;
    }
    const profile = found.apply((f) => {
        const p = profileFor(f, image.id);
        const problem = pinnedArchitectureProblem(p, f.name, architecture);
        if (problem) throw new pulumi.ResourceError(`${NAMES.image}: ${problem}`, owner, true);
        return p;
    });
    return {
        found: profile.apply((p) => ({ id: p.amiId, name: p.name })),
        known: false,
        httpTokens: profile.apply((p) => p.httpTokens),
        userData: profile.apply((p) => p.userData),
    } as const;
}
