import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childTags } from "./tags";
import type { NatStrategy } from "../program/config/config";
import { NatReadiness } from "./waiters";
import type { ImageProfile } from "./images";
import { egressPlan, instanceGeneration, partitionOf } from "./nat-plan";

/** Name-tag role of the one address used by both NAT kinds when there is no standby address. */
export const EGRESS_EIP_ROLE = "egress-eip";

export interface NatInstanceSettings {
    /** EC2 instance type (no default here: config resolves it). */
    instanceType: string;
    /** The resolved image and what it needs (IMDS mode, user data). */
    image: ImageProfile;
    /**
     * Any new value starts a new instance generation with `image` (the newest image found) at the
     * next deployment. Default "": each generation keeps the image it was created with.
     */
    imageRefresh?: string;
    /**
     * An instance made by an earlier version of this component (logical name `<name>-instance`) that
     * matches these settings: it is adopted as the current generation, keeping its image, instead of
     * being replaced. Default: none.
     */
    adopt?: AdoptedInstance;
    /** Longest wait for the instance's status checks, in seconds. Default 600. */
    readyTimeoutSeconds?: number;
    /** EC2 key pair for SSH. Default: none (no key, no SSH). */
    keyName?: string;
    /** Block allowed to SSH in. Default: none (port 22 closed). */
    sshCidr?: string;
}

/** The image of an instance to adopt (see {@link NatInstanceSettings.adopt}). */
export interface AdoptedInstance {
    /** The AMI the instance runs. */
    amiId: string;
    /** That AMI's name. */
    amiName: string;
}

export interface NatArgs {
    /** gateway, instance or none. */
    strategy: NatStrategy;
    vpcId: pulumi.Input<string>;
    /** Public subnet the NAT lives in. */
    publicSubnetId: pulumi.Input<string>;
    /** Private route tables that get a default route to the NAT (one stably named route each). */
    privateRouteTableIds: pulumi.Input<string>[];
    /** Private blocks the NAT instance admits traffic from. */
    privateSubnetCidrs: string[];
    /** The internet gateway; the NAT is created only after it is attached. */
    internetGateway: pulumi.Resource;
    /** The NAT instance's settings; required when strategy is "instance", ignored otherwise. */
    instance?: NatInstanceSettings;
    /** Region, for the EC2 recover action's ARN and the readiness gate's look-ups. */
    region: string;
    /** Named AWS profile for the readiness gate's look-ups (the stack's `aws:profile`). Default: the default credential chain. */
    profile?: string;
    /**
     * Bring-your-own Elastic IPs: [one for both strategies] or [gateway's, instance's], with their
     * public addresses. Default: the component allocates one EIP per strategy and keeps both.
     */
    byoEgress?: { allocationIds: string[]; publicIps: string[] };
    /**
     * Without bring-your-own addresses: keep an address per NAT kind (true: a switch is one
     * `pulumi up`; the standby address is billed) or one address for both (false: a switch passes
     * through strategy none). Default true.
     */
    egressIpStandby?: boolean;
    /** Tags added to every resource; the component adds a Name tag. Default none. */
    tags?: Record<string, string>;
}

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
 * - a NAT instance is never replaced in place: a new image, instance type or key pair makes a new
 *   generation beside the old one (see `instanceGeneration`), which takes over once ready;
 * - a NAT gateway is waited for by the provider itself: its create returns once the gateway is
 *   `available` (terraform-provider-aws vpc_nat_gateway.go: waitNATGatewayCreated), and the routes
 *   take its id, so they move only then.
 */
export class Nat extends pulumi.ComponentResource {
    readonly strategy: NatStrategy;
    /** The address traffic leaves from now; undefined when strategy is none. */
    readonly egressIp: pulumi.Output<string> | undefined;
    /** Every address to register with Aligo: the gateway's first, then the instance's (deduplicated). */
    readonly egressIps: pulumi.Output<string[]>;
    readonly natGatewayId?: pulumi.Output<string>;
    readonly instanceId?: pulumi.Output<string>;

    constructor(name: string, args: NatArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aligo-sms:nat:Nat", name, {}, opts);
        const parent = { parent: this };
        const tags = childTags(name, args.tags);
        this.strategy = args.strategy;

        // One address per strategy (see the class comment), one for both, or the user's own.
        const plan = egressPlan(args.byoEgress?.allocationIds, args.egressIpStandby ?? true);
        let gatewayAlloc: pulumi.Input<string>;
        let instanceAlloc: pulumi.Input<string>;
        let gatewayIp: pulumi.Output<string>;
        let instanceIp: pulumi.Output<string>;
        if (plan.kind === "allocate") {
            // The instance's address keeps its logical name when it becomes the only one (and back),
            // so turning the standby off or on never replaces the address registered with Aligo.
            const instanceEip = new aws.ec2.Eip(`${name}-instance-eip`, { domain: "vpc", tags: tags(plan.standby ? "instance-eip" : EGRESS_EIP_ROLE) }, parent);
            const gatewayEip = plan.standby ? new aws.ec2.Eip(`${name}-gateway-eip`, { domain: "vpc", tags: tags("gateway-eip") }, parent) : instanceEip;
            [gatewayAlloc, instanceAlloc] = [gatewayEip.allocationId, instanceEip.allocationId];
            [gatewayIp, instanceIp] = [gatewayEip.publicIp, instanceEip.publicIp];
        } else {
            const ips = args.byoEgress!.publicIps;
            [gatewayAlloc, instanceAlloc] = [plan.gateway, plan.instance];
            [gatewayIp, instanceIp] = [pulumi.output(ips[0]), pulumi.output(ips[ips.length - 1])];
        }
        this.egressIps = pulumi.all([gatewayIp, instanceIp]).apply((ips) => [...new Set(ips)]);

        let target: { natGatewayId: pulumi.Output<string> } | { networkInterfaceId: pulumi.Output<string> } | undefined;
        /** What the routes must wait for besides their target (the instance's EIP binding and readiness). */
        let waitFor: pulumi.Resource[] = [];
        switch (args.strategy) {
            case "gateway": {
                const gateway = new aws.ec2.NatGateway(`${name}-gateway`, {
                    allocationId: gatewayAlloc,
                    subnetId: args.publicSubnetId,
                    connectivityType: "public",
                    tags: tags("gateway"),
                }, { parent: this, dependsOn: [args.internetGateway] });
                this.natGatewayId = gateway.id;
                this.egressIp = gatewayIp;
                target = { natGatewayId: gateway.id };
                break;
            }
            case "instance": {
                const nat = this.natInstance(name, args, instanceAlloc, tags);
                this.instanceId = nat.instance.id;
                this.egressIp = instanceIp;
                target = { networkInterfaceId: nat.instance.primaryNetworkInterfaceId };
                waitFor = [nat.association, nat.ready];
                break;
            }
            case "none":
                this.egressIp = undefined;
                target = undefined;
                break;
            default: {
                const unreachable: never = args.strategy;
                throw new Error(`unknown NAT strategy ${String(unreachable)}`);
            }
        }

        if (target) {
            args.privateRouteTableIds.forEach((routeTableId, i) => {
                // The route's target updates in place (ReplaceRoute; terraform-provider-aws
                // vpc_route.go: no target attribute is ForceNew). To an instance, only once its
                // Elastic IP is bound and it passes its status checks: before that, traffic would be
                // dropped, or leave from the instance's temporary address, which Aligo refuses.
                new aws.ec2.Route(`${name}-private-${i}-default`, {
                    routeTableId,
                    destinationCidrBlock: "0.0.0.0/0",
                    ...target,
                }, { parent: this, dependsOn: waitFor });
            });
        }

        this.registerOutputs({
            strategy: this.strategy,
            egressIp: this.egressIp,
            egressIps: this.egressIps,
            natGatewayId: this.natGatewayId,
            instanceId: this.instanceId,
        });
    }

    private natInstance(
        name: string,
        args: NatArgs,
        allocationId: pulumi.Input<string>,
        tags: (role: string) => Record<string, string>,
    ): { instance: aws.ec2.Instance; association: aws.ec2.EipAssociation; ready: NatReadiness } {
        const settings = args.instance;
        if (!settings) throw new Error(`Nat ${name}: strategy "instance" needs instance settings`);
        const parent = { parent: this };
        const ingress: aws.types.input.ec2.SecurityGroupIngress[] = [{
            description: "Everything from the private subnets (the Lambdas' traffic to be NATed)",
            protocol: "-1",
            fromPort: 0,
            toPort: 0,
            cidrBlocks: args.privateSubnetCidrs,
        }];
        if (settings.sshCidr) {
            ingress.push({ description: "SSH (natSshCidr)", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [settings.sshCidr] });
        }
        const sg = new aws.ec2.SecurityGroup(`${name}-instance-sg`, {
            vpcId: args.vpcId,
            description: "NAT instance: admits only the private subnets",
            ingress,
            egress: [{ description: "Anywhere (it is the NAT)", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            tags: tags("instance-sg"),
        }, parent);

        // Each generation of the instance has its own logical names (blue/green, see
        // instanceGeneration). An adopted instance from an earlier version keeps its old names
        // through aliases, so adopting it replaces nothing.
        // Everything the instance is built from, but the AMI (kept by the stash below, chosen by
        // the selector) and what comes from other resources (subnet, security group, tags).
        const spec = {
            instanceType: settings.instanceType,
            // A NAT forwards packets that are neither from nor to itself.
            sourceDestCheck: false,
            // A temporary public address until the EIP is bound, so user data can install packages.
            associatePublicIpAddress: true,
            keyName: settings.keyName,
            // Burstable types default to "unlimited" on t3/t4g, which can bill for CPU bursts.
            creditSpecification: /^t\d/.test(settings.instanceType) ? { cpuCredits: "standard" } : undefined,
            rootBlockDevice: { volumeType: "gp3", volumeSize: 8, encrypted: true, deleteOnTermination: true },
            metadataOptions: { httpEndpoint: "enabled", httpTokens: settings.image.httpTokens, httpPutResponseHopLimit: 1 },
            userData: settings.image.userData,
            // User data runs at first boot only: a changed script needs a new instance.
            userDataReplaceOnChange: true,
        };
        const generation = instanceGeneration({ selector: settings.image.selector, refresh: settings.imageRefresh ?? "", spec });
        const gen = `${name}-instance-${generation}`;
        const adopted = (role: string): pulumi.CustomResourceOptions => (settings.adopt ? { aliases: [{ name: `${name}-${role}` }] } : {});

        // The image in use is kept in the stack's state: a newer image of the same family (the
        // look-up asks for the newest every time) changes only the stash's `input`, shown as an
        // update of it in the preview, while its `output`, which the instance uses, stays. A new
        // generation has a new stash, which takes the newest image. (Pulumi's built-in Stash, from
        // CLI 3.208: create sets output = input, update keeps the old output; pulumi/pulumi
        // pkg/resource/deploy/builtins.go, read 2026-11-25.)
        const image = new pulumi.Stash(`${gen}-image`, {
            input: settings.adopt ? { id: settings.adopt.amiId, name: settings.adopt.amiName } : { id: settings.image.amiId, name: settings.image.name },
        }, parent);
        const kept = image.output as pulumi.Output<{ id: string; name: string }>;

        const instance = new aws.ec2.Instance(gen, {
            ...spec,
            ami: kept.apply((k) => k.id),
            subnetId: args.publicSubnetId,
            vpcSecurityGroupIds: [sg.id],
            tags: {
                ...tags(`instance-${generation}`),
                NatImage: kept.apply((k) => k.name),
                NatGeneration: `${settings.image.selector} ${settings.instanceType}${settings.keyName ? ` key ${settings.keyName}` : ""}${settings.imageRefresh ? ` refresh ${settings.imageRefresh}` : ""}`,
            },
        }, { parent: this, dependsOn: [args.internetGateway], ...adopted("instance") });

        // Waits for EC2's instance and system status checks (see components/waiters.ts).
        const ready = new NatReadiness(`${gen}-ready`, {
            instanceId: instance.id,
            region: args.region,
            profile: args.profile,
            timeoutSeconds: settings.readyTimeoutSeconds,
        }, parent);

        // The address moves to the instance only once it is ready, in one AssociateAddress call:
        // from nobody (a first instance), or from the previous generation, which keeps it (and the
        // routes) until then. That takes AllowReassociation; the previous generation's binding is
        // deleted at the end of the deployment, and the provider treats its now unknown id as done
        // (terraform-provider-aws ec2_eip_association.go, resourceEIPAssociationDelete ignores
        // InvalidAssociationID.NotFound; read 2026-11-25). The flag only matters when the binding
        // is created, so an adopted binding that was made without it is not replaced for it.
        const association = new aws.ec2.EipAssociation(`${gen}-eip-assoc`, {
            allocationId,
            networkInterfaceId: instance.primaryNetworkInterfaceId,
            allowReassociation: true,
        }, { parent: this, dependsOn: [ready], ignoreChanges: ["allowReassociation"], ...adopted("instance-eip-assoc") });

        // EC2 auto-recovery: a failed host brings the same instance (same ENI, same EIP) back elsewhere.
        new aws.cloudwatch.MetricAlarm(`${gen}-recover`, {
            alarmDescription: "Recover the NAT instance when its host fails the system status check",
            namespace: "AWS/EC2",
            metricName: "StatusCheckFailed_System",
            dimensions: { InstanceId: instance.id },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 2,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            alarmActions: [`arn:${partitionOf(args.region)}:automate:${args.region}:ec2:recover`],
            tags: tags(`instance-${generation}-recover`),
        }, { parent: this, ...adopted("instance-recover") });
        return { instance, association, ready };
    }
}
