// The NAT instance: its security group, its image (kept in a stash), its generation (blue/green),
// the readiness gate that waits for its status checks, its address binding, and its health alarms.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NatReadiness } from "./readiness";
import { nameOf, natImageSettings, type ImageSettings } from "./image";
import { instanceGeneration } from "../nat-plan";
import { imageSelector } from "../images";
import type { ResolvedInstance, ResolvedNatArgs } from "./args";
import { NAT_MESSAGES } from "./messages";

/**
 * The oldest Pulumi CLI with what the NAT instance relies on: the built-in `Stash` resource (3.208)
 * that keeps its image. An older engine would fail on it with a less helpful message.
 */
export const REQUIRED_PULUMI_VERSION = ">=3.208.0";

/** Where the instance is built: its component (parent), name and Name tags. */
export interface InstanceOwner {
    component: pulumi.ComponentResource;
    name: string;
    tags: (role: string) => Record<string, string>;
}

/** What the NAT instance is built in and bound to. */
export interface InstancePlacement {
    /** The public subnet, once the internet gateway exists. */
    subnetId: pulumi.Output<string>;
    /** The address it takes (gated by the address check when it is your own). */
    allocationId: pulumi.Input<string>;
    /** The address check, as a dependency. */
    addressesChecked: pulumi.Input<pulumi.Resource[]>;
}

export interface NatInstance {
    instance: aws.ec2.Instance;
    association: aws.ec2.EipAssociation;
    ready: NatReadiness;
}

/** The NAT instance of the current generation, ready before its address and the routes move to it. */
export function natInstance(owner: InstanceOwner, args: ResolvedNatArgs, at: InstancePlacement): NatInstance {
    const { component } = owner;
    const parent = { parent: component };
    const region = aws.getRegionOutput({}, parent).region;
    const partition = aws.getPartitionOutput({}, parent).partition;
    const sg = instanceSecurityGroup(owner, args);
    const image = natImageSettings(args.instance, component);
    const { gen, generation, spec } = generationOf(owner.name, args.instance, image);
    const adopted = adoptedAliases(owner.name, args.instance);
    const kept = keptImage(gen, args.instance, image, component);
    const instance = new aws.ec2.Instance(
        gen,
        {
            ...spec,
            ami: kept.apply((k) => k.id),
            subnetId: at.subnetId,
            vpcSecurityGroupIds: [sg.id],
            tags: {
                ...owner.tags(`instance-${generation}`),
                NatImage: kept.apply(nameOf),
                NatGeneration: label(args.instance),
            },
        },
        { parent: component, dependsOn: at.addressesChecked, ...adopted("instance") },
    );
    // Waits for EC2's instance and system status checks (see components/waiters.ts).
    const ready = new NatReadiness(
        `${gen}-ready`,
        {
            instanceId: instance.id,
            region,
            profile: args.awsProfile,
            timeoutSeconds: args.instance.readyTimeoutSeconds,
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
            allocationId: at.allocationId,
            networkInterfaceId: instance.primaryNetworkInterfaceId,
            allowReassociation: true,
        },
        {
            parent: component,
            dependsOn: [ready],
            ignoreChanges: ["allowReassociation"],
            ...adopted("instance-eip-assoc"),
        },
    );
    instanceAlarms(owner, args, { instance, gen, generation, region, partition, adopted });
    return { instance, association, ready };
}

/** Everything from the private subnets (the traffic to NAT), SSH only from the block given. */
function instanceSecurityGroup(owner: InstanceOwner, args: ResolvedNatArgs): aws.ec2.SecurityGroup {
    const ingress: aws.types.input.ec2.SecurityGroupIngress[] = [
        {
            description: "Everything from the private subnets (the Lambdas' traffic to be NATed)",
            protocol: "-1",
            fromPort: 0,
            toPort: 0,
            cidrBlocks: args.privateSubnetCidrs,
        },
    ];
    if (args.instance.sshCidr) {
        ingress.push({
            description: "SSH (natSshCidr)",
            protocol: "tcp",
            fromPort: 22,
            toPort: 22,
            cidrBlocks: [args.instance.sshCidr],
        });
    }
    return new aws.ec2.SecurityGroup(
        `${owner.name}-instance-sg`,
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
            tags: owner.tags("instance-sg"),
        },
        { parent: owner.component },
    );
}

/**
 * Everything the instance is built from, but the AMI (kept by the stash, chosen by the selector) and
 * what comes from other resources (subnet, security group, tags); and the generation it makes.
 * Each generation of the instance has its own logical names (blue/green, see instanceGeneration).
 * What a pinned image decides (IMDS mode, user data) is known only after its look-up, and follows
 * from its id, which the selector already carries.
 */
function generationOf(name: string, settings: ResolvedInstance, image: ImageSettings) {
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
        metadataOptions: { httpEndpoint: "enabled", httpTokens: image.httpTokens, httpPutResponseHopLimit: 1 },
        userData: image.userData,
        // User data runs at first boot only: a changed script needs a new instance.
        userDataReplaceOnChange: true,
    };
    const selector = imageSelector(settings.image, settings.architecture);
    const generation = instanceGeneration({
        selector,
        refresh: settings.refresh,
        spec: {
            ...spec,
            metadataOptions: image.known ? spec.metadataOptions : `from ${selector}`,
            userData: image.known ? spec.userData : `from ${selector}`,
        },
    });
    return { gen: `${name}-instance-${generation}`, generation, spec };
}

/** The instance's NatGeneration tag: what it was built from, in words. */
function label(s: ResolvedInstance): string {
    const selector = imageSelector(s.image, s.architecture);
    return `${selector} ${s.instanceType}${s.keyName ? ` key ${s.keyName}` : ""}${s.refresh ? ` refresh ${s.refresh}` : ""}`;
}

/** An adopted instance from an earlier version keeps its old names through aliases, so adopting it replaces nothing. */
function adoptedAliases(name: string, settings: ResolvedInstance) {
    return (role: string): pulumi.CustomResourceOptions =>
        settings.adopt ? { aliases: [{ name: `${name}-${role}` }] } : {};
}

/**
 * The image in use, kept in the stack's state: a newer image of the same family (the look-up asks
 * for the newest every time) changes only the stash's `input`, shown as an update of it in the
 * preview, while its `output`, which the instance uses, stays. A new generation has a new stash,
 * which takes the newest image. (Pulumi's built-in Stash, from CLI 3.208: create sets output =
 * input, update keeps the old output; pulumi/pulumi pkg/resource/deploy/builtins.go, read
 * 2026-11-25.) The stash is registered once its input resolves, which waits for the CLI version
 * check: an older CLI stops here with the engine's version error (naming the range) instead of an
 * unknown type.
 */
function keptImage(
    gen: string,
    settings: ResolvedInstance,
    image: ImageSettings,
    component: pulumi.ComponentResource,
): pulumi.Output<{ id: string; name: string }> {
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
        { parent: component },
    );
    return stash.output as pulumi.Output<{ id: string; name: string }>;
}

interface AlarmSubject {
    instance: aws.ec2.Instance;
    gen: string;
    generation: string;
    region: pulumi.Output<string>;
    partition: pulumi.Output<string>;
    adopted: (role: string) => pulumi.CustomResourceOptions;
}

/** EC2 auto-recovery on a failed host; a person's alarm when the instance itself fails. */
function instanceAlarms(owner: InstanceOwner, args: ResolvedNatArgs, s: AlarmSubject): void {
    const { component, tags } = owner;
    const topic = args.alarmTopicArn;
    // EC2 auto-recovery: a failed host brings the same instance (same ENI, same EIP) back elsewhere.
    new aws.cloudwatch.MetricAlarm(
        `${s.gen}-recover`,
        {
            alarmDescription: NAT_MESSAGES.instanceRecover,
            namespace: "AWS/EC2",
            metricName: "StatusCheckFailed_System",
            dimensions: { InstanceId: s.instance.id },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 2,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            alarmActions: [
                pulumi.interpolate`arn:${s.partition}:automate:${s.region}:ec2:recover`,
                ...(topic !== undefined ? [topic] : []),
            ],
            tags: tags(`instance-${s.generation}-recover`),
        },
        { parent: component, ...s.adopted("instance-recover") },
    );
    // The instance itself failing (its OS, its network set-up), which recovery does not fix.
    if (topic === undefined) return;
    new aws.cloudwatch.MetricAlarm(
        `${s.gen}-impaired`,
        {
            alarmDescription: s.instance.id.apply((id) => NAT_MESSAGES.instanceImpaired(id)),
            namespace: "AWS/EC2",
            metricName: "StatusCheckFailed_Instance",
            dimensions: { InstanceId: s.instance.id },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 3,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "missing",
            alarmActions: [topic],
            okActions: [topic],
            tags: tags(`instance-${s.generation}-impaired`),
        },
        { parent: component },
    );
}
