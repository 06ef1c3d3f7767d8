// The NAT instance: its security group, its image (kept in a stash), its generation (blue/green),
// the readiness gate that waits for its status checks, its address binding, and its health alarms.
import { identityOutput, type WaitIdentity } from "../identity";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { natReadinessGate, type HostedNatReadiness, type NatReadiness } from "./readiness";
import { nameOf, natImageSettings, type ImageSettings } from "./image";
import { instanceGeneration } from "../nat-plan";
import { imageSelector } from "../images";
import type { ResolvedInstance, ResolvedNatArgs } from "./args";
import { NAT_MESSAGES } from "./messages";
import { zonePrefix } from "./addresses";

import { REQUIRED_PULUMI_VERSION } from "../version";

export { REQUIRED_PULUMI_VERSION };

/** Where the instance is built: its component (parent), name and Name tags. */
export interface InstanceOwner {
    component: pulumi.ComponentResource;
    name: string;
    tags: (role: string) => Record<string, string>;
}

/** Where the NAT instances are built and what they bind, zone 0 first. */
export interface InstancePlacement {
    /** Each NAT's public subnet, once the internet gateway exists. */
    subnetIds: pulumi.Output<string>[];
    /** The address each takes (gated by the address check when it is your own). */
    allocationIds: pulumi.Input<string>[];
    /** The address check, as a dependency. */
    addressesChecked: pulumi.Input<pulumi.Resource[]>;
}

export interface NatInstance {
    instance: aws.ec2.Instance;
    association: aws.ec2.EipAssociation;
    ready: NatReadiness | HostedNatReadiness;
}

/** What every zone's instance shares: the region and partition, the security group, the image. */
interface Shared {
    region: pulumi.Output<string>;
    partition: pulumi.Output<string>;
    sg: aws.ec2.SecurityGroup;
    image: ImageSettings;
    /** Who the readiness gates are in AWS: the AWS provider's identity, a secret when it holds a key. */
    identity: pulumi.Output<WaitIdentity>;
}

/**
 * The NAT instances of the current generation, one per NAT zone, each ready before its address
 * and the routes move to it, each kept running and rebooted or recovered when it fails.
 */
export function natInstances(owner: InstanceOwner, args: ResolvedNatArgs, at: InstancePlacement): NatInstance[] {
    const parent = { parent: owner.component };
    const shared: Shared = {
        region: aws.getRegionOutput({}, parent).region,
        partition: aws.getPartitionOutput({}, parent).partition,
        sg: instanceSecurityGroup(owner, args),
        image: natImageSettings(args.instance, owner.component),
        // The Nat has put the stack's identity here when none was given (nat.ts).
        identity: identityOutput(args.awsIdentity ?? {}),
    };
    return at.subnetIds.map((subnetId, z) =>
        zoneInstance(owner, args, shared, z, {
            subnetId,
            allocationId: at.allocationIds[z],
            addressesChecked: at.addressesChecked,
        }),
    );
}

/** Zone z's NAT instance (zone 0's names are those of the one NAT before perAz existed). */
function zoneInstance(
    owner: InstanceOwner,
    args: ResolvedNatArgs,
    shared: Shared,
    z: number,
    at: {
        subnetId: pulumi.Output<string>;
        allocationId: pulumi.Input<string>;
        addressesChecked: pulumi.Input<pulumi.Resource[]>;
    },
): NatInstance {
    const { component } = owner;
    const prefix = zonePrefix(z);
    const { gen, generation, spec } = generationOf(`${owner.name}-${prefix}instance`, args.instance, shared.image);
    // Only zone 0 can be an instance made by an earlier version.
    const adopted = adoptedAliases(owner.name, z === 0 ? args.instance : { ...args.instance, adopt: undefined });
    const kept = keptImage(gen, args.instance, shared.image, component);
    const instance = new aws.ec2.Instance(
        gen,
        {
            ...spec,
            ami: kept.apply((k) => k.id),
            subnetId: at.subnetId,
            vpcSecurityGroupIds: [shared.sg.id],
            tags: {
                ...owner.tags(`${prefix}instance-${generation}`),
                NatImage: kept.apply(nameOf),
                NatGeneration: label(args.instance),
            },
        },
        { parent: component, dependsOn: at.addressesChecked, ...adopted("instance") },
    );
    // Waits for EC2's instance and system status checks (see readiness.ts): a resource of the
    // package's own provider when hosted in its plugin, a dynamic resource in a TypeScript program.
    const ready = natReadinessGate(
        `${gen}-ready`,
        {
            instanceId: instance.id,
            region: shared.region,
            identity: shared.identity,
            timeoutSeconds: args.instance.readyTimeoutSeconds,
        },
        { parent: component },
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
    instanceHealth(owner, args, {
        instance,
        gen,
        prefix,
        generation,
        region: shared.region,
        partition: shared.partition,
        adopted,
    });
    return { instance, association, ready };
}

/** Everything from the private subnets (the traffic to NAT), SSH only from the block given. */
function instanceSecurityGroup(owner: InstanceOwner, args: ResolvedNatArgs): aws.ec2.SecurityGroup {
    const ingress: aws.types.input.ec2.SecurityGroupIngress[] = [
        {
            description: "Everything from the private subnets (the traffic to be NATed)",
            protocol: "-1",
            fromPort: 0,
            toPort: 0,
            cidrBlocks: args.privateSubnetCidrs,
        },
    ];
    if (args.instance.sshCidr) {
        ingress.push({
            description: "SSH (instance.sshCidr)",
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
function generationOf(base: string, settings: ResolvedInstance, image: ImageSettings) {
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
    return { gen: `${base}-${generation}`, generation, spec };
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

interface HealthSubject {
    instance: aws.ec2.Instance;
    gen: string;
    /** The zone's name prefix (zonePrefix). */
    prefix: string;
    generation: string;
    region: pulumi.Output<string>;
    partition: pulumi.Output<string>;
    adopted: (role: string) => pulumi.CustomResourceOptions;
}

/**
 * A NAT instance that heals without anyone's alarm settings:
 * - its host failing (StatusCheckFailed_System, 2 minutes): EC2 recovers it on other hardware, same
 *   instance id, private address, network interface and Elastic IP;
 * - the instance itself failing (StatusCheckFailed_Instance, 3 minutes: its OS, its network
 *   set-up): EC2 reboots it. An alarm acts when it enters ALARM, so a reboot that does not help is
 *   not repeated; the topic, when given, hears both (CloudWatch User Guide, "Create alarms to stop,
 *   terminate, reboot, or recover an EC2 instance", read 2026-12-07);
 * - stopped (a person, a scheduled retirement): a stopped instance reports no status metrics, so
 *   no alarm fires; the stack holds it `running` (aws_ec2_instance_state, in pulumi-aws under
 *   ec2transitgateway), so the next `pulumi up` (which refreshes first) starts it again.
 */
function instanceHealth(owner: InstanceOwner, args: ResolvedNatArgs, s: HealthSubject): void {
    const { component, tags } = owner;
    const topic = args.alarmTopicArn;
    const told = topic !== undefined ? [topic] : [];
    const action = (what: "recover" | "reboot") =>
        pulumi.interpolate`arn:${s.partition}:automate:${s.region}:ec2:${what}`;
    const check = {
        namespace: "AWS/EC2",
        dimensions: { InstanceId: s.instance.id },
        statistic: "Maximum",
        period: 60,
        threshold: 1,
    };
    new aws.cloudwatch.MetricAlarm(
        `${s.gen}-recover`,
        {
            ...check,
            alarmDescription: NAT_MESSAGES.instanceRecover,
            metricName: "StatusCheckFailed_System",
            evaluationPeriods: 2,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            alarmActions: [action("recover"), ...told],
            tags: tags(`${s.prefix}instance-${s.generation}-recover`),
        },
        { parent: component, ...s.adopted("instance-recover") },
    );
    new aws.cloudwatch.MetricAlarm(
        `${s.gen}-impaired`,
        {
            ...check,
            alarmDescription: s.instance.id.apply((id) => NAT_MESSAGES.instanceImpaired(id)),
            metricName: "StatusCheckFailed_Instance",
            evaluationPeriods: 3,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "missing",
            alarmActions: [action("reboot"), ...told],
            okActions: told,
            tags: tags(`${s.prefix}instance-${s.generation}-impaired`),
        },
        { parent: component },
    );
    new aws.ec2transitgateway.InstanceState(
        `${s.gen}-running`,
        { instanceId: s.instance.id, state: "running" },
        { parent: component },
    );
}

/**
 * With an alarm topic: it hears when a NAT instance stops or is terminated, which no status alarm
 * can tell (a stopped instance reports no metrics). One EventBridge rule on EC2's state-change
 * events for the current NAT instances (source aws.ec2, detail-type "EC2 Instance State-change
 * Notification", detail.state and detail.instance-id; Amazon EC2 User Guide, "EC2 instance state
 * change events", read 2026-12-07). The topic's policy must let events.amazonaws.com publish.
 */
export function instanceStateRule(owner: InstanceOwner, nats: NatInstance[], topic: pulumi.Input<string>): void {
    const { component, name, tags } = owner;
    const ids = pulumi.all(nats.map((n) => n.instance.id));
    const rule = new aws.cloudwatch.EventRule(
        `${name}-instance-state`,
        {
            description: "A NAT instance stopped or was terminated",
            eventPattern: ids.apply((instanceIds) =>
                JSON.stringify({
                    source: ["aws.ec2"],
                    "detail-type": ["EC2 Instance State-change Notification"],
                    detail: {
                        state: ["stopping", "stopped", "shutting-down", "terminated"],
                        "instance-id": instanceIds,
                    },
                }),
            ),
            tags: tags("instance-state"),
        },
        { parent: component },
    );
    new aws.cloudwatch.EventTarget(
        `${name}-instance-state-topic`,
        {
            rule: rule.name,
            arn: topic,
            inputTransformer: {
                inputPaths: { instance: "$.detail.instance-id", state: "$.detail.state" },
                inputTemplate: NAT_MESSAGES.instanceStateChanged,
            },
        },
        { parent: component },
    );
}
