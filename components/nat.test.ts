// The Nat component built from hand-written arguments (no program, no stack file, no preflight):
// what a consumer of the package gets for every strategy, and its refusals of bad arguments.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import {
    handWrittenNatArgs,
    refusedAtDeploy,
    runComponents,
    runRefused,
    type ComponentRun,
} from "../testing/components";
import { lookupCause } from "./errors";
import type { World } from "../offline/account";
import { promiseOf } from "../offline/engine";
import { defaultWorld } from "../testing/world";
import { Nat, NatStrategy, type NatArgs } from "./nat";

const base: NatArgs = {
    ...handWrittenNatArgs(NatStrategy.Gateway),
    tags: { team: "sms" },
};

interface Seen {
    strategy?: unknown;
    egressIp?: unknown;
    egressIps?: unknown;
    natGatewayId?: unknown;
    instanceId?: unknown;
}

/** Builds one Nat and resolves its outputs (each must be an Output). */
async function build(
    args: NatArgs,
    opts?: () => pulumi.ComponentResourceOptions,
    world?: Partial<World>,
): Promise<{ r: ComponentRun; out: Seen }> {
    let nat: Nat | undefined;
    const r = await runComponents(() => {
        nat = new Nat("egress", args, opts?.());
    }, world);
    expect(r.error).toBeUndefined();
    const out: Seen = {};
    for (const key of ["strategy", "egressIp", "egressIps", "natGatewayId", "instanceId"] as const) {
        const o = nat![key];
        expect(pulumi.Output.isInstance(o), `${key} is an Output`).toBe(true);
        out[key] = await promiseOf(o as pulumi.Output<unknown>);
    }
    return { r, out };
}

const routes = (r: ComponentRun) => r.ofType("aws:ec2/route:Route");

/** Three zones' public subnets and private route tables, for perAz. */
const PUBLIC = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
const threeZones: NatArgs = {
    ...base,
    publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"],
    privateRouteTableIds: ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0aaaaaaaaaaaaaaa2", "rtb-0aaaaaaaaaaaaaaa3"],
    privateSubnetCidrs: ["10.42.128.0/24", "10.42.129.0/24", "10.42.130.0/24"],
    perAz: true,
};

/** Each route's name and where it goes: the NAT gateway's or the instance interface's logical name. */
function routeTargets(r: ComponentRun): [string, string][] {
    const byId = new Map(r.resources.map((x) => [x.id, x.name]));
    const byEni = new Map(
        r.ofType("aws:ec2/instance:Instance").map((x) => [x.state.primaryNetworkInterfaceId as string, x.name]),
    );
    return routes(r)
        .map((x): [string, string] => [
            x.name,
            byId.get(x.inputs.natGatewayId) ?? byEni.get(x.inputs.networkInterfaceId) ?? "?",
        ])
        .sort(([a], [b]) => a.localeCompare(b));
}

describe("Nat from its own arguments", () => {
    it("gateway: a NAT gateway on the given public subnet with its own address; each given route table gets one default route to it", async () => {
        const { r, out } = await build(base);
        expect(r.byName("egress").type).toBe("aligo-sms:index:Nat");
        const eips = r.ofType("aws:ec2/eip:Eip");
        expect(eips.map((e) => e.name).sort()).toEqual(["egress-gateway-eip", "egress-instance-eip"]);
        const gw = r.byName("egress-gateway");
        expect(gw.inputs).toMatchObject({
            subnetId: base.publicSubnetId,
            allocationId: r.byName("egress-gateway-eip").id,
            connectivityType: "public",
        });
        expect(gw.inputs.tags).toMatchObject({ team: "sms" });
        expect(
            routes(r).map((x) => [x.name, x.inputs.routeTableId, x.inputs.destinationCidrBlock, x.inputs.natGatewayId]),
        ).toEqual([
            ["egress-private-0-default", "rtb-0aaaaaaaaaaaaaaa1", "0.0.0.0/0", gw.id],
            ["egress-private-1-default", "rtb-0aaaaaaaaaaaaaaa2", "0.0.0.0/0", gw.id],
        ]);
        expect(r.ofType("aws:ec2/instance:Instance")).toEqual([]);
        expect(out).toEqual({
            strategy: "gateway",
            egressIp: r.byName("egress-gateway-eip").state.publicIp,
            egressIps: [r.byName("egress-gateway-eip").state.publicIp, r.byName("egress-instance-eip").state.publicIp],
            natGatewayId: gw.id,
            instanceId: undefined,
        });
    });

    it("instance: defaults to a t3.nano from the newest amzn-ami-vpc-nat (deprecated images included), forwarding on, admitting only the given private blocks; routes wait for its address and readiness", async () => {
        const { r, out } = await build({ ...base, strategy: NatStrategy.Instance });
        const [instance] = r.ofType("aws:ec2/instance:Instance");
        expect(instance.inputs).toMatchObject({
            instanceType: "t3.nano",
            sourceDestCheck: false,
            subnetId: base.publicSubnetId,
            ami: "ami-0a1b2c3d4e5f60002",
        });
        const ami = r.fake.calls.find((c) => c.token === "aws:ec2/getAmi:getAmi");
        expect(ami?.inputs).toMatchObject({ owners: ["amazon"], mostRecent: true, includeDeprecated: true });
        const sg = r.byName("egress-instance-sg");
        expect(sg.inputs.vpcId).toBe(base.vpcId);
        expect(sg.inputs.ingress).toEqual([
            expect.objectContaining({ protocol: "-1", cidrBlocks: base.privateSubnetCidrs }),
        ]);
        const association = r.ofType("aws:ec2/eipAssociation:EipAssociation")[0];
        const ready = r.resources.find((x) => x.type === "pulumi-nodejs:dynamic:NatReadiness")!;
        expect(association.inputs.allocationId).toBe(r.byName("egress-instance-eip").id);
        for (const route of routes(r)) {
            expect(route.inputs.networkInterfaceId).toBe(instance.state.primaryNetworkInterfaceId);
            expect(route.dependencies).toEqual(expect.arrayContaining([association.urn, ready.urn]));
        }
        expect(out).toMatchObject({
            strategy: "instance",
            egressIp: r.byName("egress-instance-eip").state.publicIp,
            natGatewayId: undefined,
            instanceId: instance.id,
        });
    });

    it("instance: the settings are plain values (image family, type, key, SSH block) and reach the instance and its security group", async () => {
        const { r } = await build({
            ...base,
            strategy: NatStrategy.Instance,
            instance: {
                instanceType: "t4g.nano",
                image: "fck-nat",
                keyName: "ops",
                sshCidr: "203.0.113.7/32",
                readyTimeoutSeconds: 900,
            },
        });
        const [instance] = r.ofType("aws:ec2/instance:Instance");
        expect(instance.inputs).toMatchObject({
            instanceType: "t4g.nano",
            keyName: "ops",
            ami: "ami-0f0f0f0f0f0f00001",
        });
        expect(r.byName("egress-instance-sg").inputs.ingress).toContainEqual(
            expect.objectContaining({ protocol: "tcp", fromPort: 22, cidrBlocks: ["203.0.113.7/32"] }),
        );
        const ready = r.resources.find((x) => x.type === "pulumi-nodejs:dynamic:NatReadiness")!;
        expect(ready.inputs.timeoutSeconds).toBe(900);
    });

    it("none: no NAT and no default routes, but the addresses are kept (they stay registered with the partner)", async () => {
        const { r, out } = await build({ ...base, strategy: NatStrategy.None });
        expect(routes(r)).toEqual([]);
        expect(r.ofType("aws:ec2/natGateway:NatGateway")).toEqual([]);
        expect(r.ofType("aws:ec2/instance:Instance")).toEqual([]);
        expect(r.ofType("aws:ec2/eip:Eip")).toHaveLength(2);
        expect(out.egressIp).toBeUndefined();
        expect(out.egressIps).toHaveLength(2);
    });

    it("egressIpStandby false: one address serves both kinds", async () => {
        const { r, out } = await build({ ...base, egressIpStandby: false });
        expect(r.ofType("aws:ec2/eip:Eip").map((e) => e.name)).toEqual(["egress-instance-eip"]);
        expect(r.byName("egress-gateway").inputs.allocationId).toBe(r.byName("egress-instance-eip").id);
        expect(out.egressIps).toEqual([r.byName("egress-instance-eip").state.publicIp]);
    });

    it("your own allocation ids: no address is allocated, their addresses are looked up", async () => {
        const { r, out } = await build({
            ...base,
            strategy: NatStrategy.Instance,
            egressIpAllocationIds: ["eipalloc-0aaaaaaaaaaaaaaa1", "eipalloc-0aaaaaaaaaaaaaaa2"],
        });
        expect(r.ofType("aws:ec2/eip:Eip")).toEqual([]);
        expect(r.ofType("aws:ec2/eipAssociation:EipAssociation")[0].inputs.allocationId).toBe(
            "eipalloc-0aaaaaaaaaaaaaaa2",
        );
        expect(out.egressIps).toEqual(["198.51.100.11", "198.51.100.12"]);
        expect(out.egressIp).toBe("198.51.100.12");
    });

    it("takes route tables and the internet gateway as outputs of the consumer's own resources, and waits for them", async () => {
        const r: ComponentRun = await runComponents(() => {
            const vpc = new aws.ec2.Vpc("mine", { cidrBlock: "10.9.0.0/16" });
            const igw = new aws.ec2.InternetGateway("mine-igw", { vpcId: vpc.id });
            const pub = new aws.ec2.Subnet("mine-pub", { vpcId: vpc.id, cidrBlock: "10.9.0.0/24" });
            const rt = new aws.ec2.RouteTable("mine-rt", { vpcId: vpc.id });
            new Nat("egress", {
                ...base,
                vpcId: vpc.id,
                publicSubnetId: pub.id,
                internetGatewayId: igw.id,
                privateRouteTableIds: [rt.id],
                privateSubnetCidrs: ["10.9.128.0/24"],
            });
        });
        expect(r.error).toBeUndefined();
        const gw = r.byName("egress-gateway");
        // The gateway is created on the subnet only once the internet gateway exists (AWS refuses a
        // public NAT gateway in a VPC without one: Gateway.NotAttached).
        expect(gw.propertyDependencies.subnetId).toEqual(
            expect.arrayContaining([r.byName("mine-pub").urn, r.byName("mine-igw").urn]),
        );
        expect(routes(r)[0].inputs.routeTableId).toBe(r.byName("mine-rt").id);
        expect(routes(r)[0].propertyDependencies.routeTableId).toEqual([r.byName("mine-rt").urn]);
    });

    it("with an alarm topic: the gateway's port-allocation and dropped-packet alarms, notifying it (and back to OK)", async () => {
        const topic = "arn:aws:sns:ap-northeast-2:123456789012:ops";
        const { r } = await build({ ...base, alarmTopicArn: topic });
        const alarms = r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
        expect(alarms.map((a) => [a.name, a.inputs.namespace, a.inputs.metricName, a.inputs.dimensions])).toEqual([
            [
                "egress-gateway-port-allocation",
                "AWS/NATGateway",
                "ErrorPortAllocation",
                { NatGatewayId: r.byName("egress-gateway").id },
            ],
            [
                "egress-gateway-packets-dropped",
                "AWS/NATGateway",
                "PacketsDropCount",
                { NatGatewayId: r.byName("egress-gateway").id },
            ],
        ]);
        for (const a of alarms) {
            expect(a.inputs).toMatchObject({
                alarmActions: [topic],
                okActions: [topic],
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                threshold: 1,
            });
            expect(a.inputs.alarmDescription.length).toBeGreaterThan(80);
        }
    });

    it("with an alarm topic: the instance's reboot and recovery alarms tell it too, and it hears when a NAT instance stops or is terminated", async () => {
        const topic = "arn:aws:sns:ap-northeast-2:123456789012:ops";
        const { r } = await build({ ...base, strategy: NatStrategy.Instance, alarmTopicArn: topic });
        const [instance] = r.ofType("aws:ec2/instance:Instance");
        const impaired = r.byName(`${instance.name}-impaired`);
        expect(impaired.inputs).toMatchObject({
            namespace: "AWS/EC2",
            metricName: "StatusCheckFailed_Instance",
            dimensions: { InstanceId: instance.id },
            alarmActions: ["arn:aws:automate:ap-northeast-2:ec2:reboot", topic],
            okActions: [topic],
        });
        const recover = r.byName(`${instance.name}-recover`);
        expect(recover.inputs.alarmActions).toEqual(["arn:aws:automate:ap-northeast-2:ec2:recover", topic]);
        const rule = r.byName("egress-instance-state");
        expect(JSON.parse(rule.inputs.eventPattern)).toEqual({
            source: ["aws.ec2"],
            "detail-type": ["EC2 Instance State-change Notification"],
            detail: { state: ["stopping", "stopped", "shutting-down", "terminated"], "instance-id": [instance.id] },
        });
        const target = r.byName("egress-instance-state-topic");
        expect(target.inputs.arn).toBe(topic);
        expect(target.propertyDependencies.rule).toEqual([rule.urn]);
        expect(target.inputs.inputTransformer.inputPaths).toEqual({
            instance: "$.detail.instance-id",
            state: "$.detail.state",
        });
        expect(JSON.parse(target.inputs.inputTransformer.inputTemplate)).toMatch(
            /^The NAT instance <instance> is <state>/,
        );
    });

    it("without a topic, the NAT instance still heals: EC2 recovers a failed host, reboots a failed instance, and the stack keeps it running", async () => {
        const gw = await build(base);
        expect(gw.r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")).toEqual([]);
        expect(gw.r.ofType("aws:ec2transitgateway/instanceState:InstanceState")).toEqual([]);
        const inst = await build({ ...base, strategy: NatStrategy.Instance });
        const [instance] = inst.r.ofType("aws:ec2/instance:Instance");
        const alarms = inst.r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
        expect(alarms.map((a) => [a.inputs.metricName, a.inputs.alarmActions, a.inputs.okActions ?? []])).toEqual([
            ["StatusCheckFailed_System", ["arn:aws:automate:ap-northeast-2:ec2:recover"], []],
            ["StatusCheckFailed_Instance", ["arn:aws:automate:ap-northeast-2:ec2:reboot"], []],
        ]);
        expect(alarms.every((a) => a.inputs.dimensions.InstanceId === instance.id)).toBe(true);
        const [state] = inst.r.ofType("aws:ec2transitgateway/instanceState:InstanceState");
        expect(state.name).toBe(`${instance.name}-running`);
        expect(state.inputs).toMatchObject({ instanceId: instance.id, state: "running" });
        expect(inst.r.resources.find((x) => x.name === "egress-instance-state")).toBeUndefined();
    });

    it("makes its look-ups through the provider given in opts (partition, region, image, your addresses and their holders), and warns that the gate does not use its credentials", async () => {
        const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
        const r = await runComponents(
            () => {
                const provider = new aws.Provider("seoul", { region: "ap-northeast-2" });
                new Nat(
                    "egress",
                    {
                        ...base,
                        strategy: NatStrategy.Instance,
                        egressIpAllocationIds: ["eipalloc-0aaaaaaaaaaaaaaa1", "eipalloc-0aaaaaaaaaaaaaaa2"],
                    },
                    { providers: [provider] },
                );
            },
            {
                eips: [
                    {
                        allocationId: "eipalloc-0aaaaaaaaaaaaaaa1",
                        publicIp: "198.51.100.11",
                        networkInterfaceId: "eni-0bbbbbbbbbbbbbbb1",
                    },
                    { allocationId: "eipalloc-0aaaaaaaaaaaaaaa2", publicIp: "198.51.100.12" },
                ],
                enis: { "eni-0bbbbbbbbbbbbbbb1": "nat_gateway" },
            },
        );
        const warned = warn.mock.calls.map((c) => String(c[0]));
        warn.mockRestore();
        expect(r.error).toBeUndefined();
        const provider = r.byName("seoul");
        const tokens = [
            "aws:index/getPartition:getPartition",
            "aws:index/getRegion:getRegion",
            "aws:ec2/getAmi:getAmi",
            "aws:ec2/getElasticIp:getElasticIp",
            "aws:ec2/getNetworkInterface:getNetworkInterface",
        ];
        const lookups = r.fake.calls.filter((c) => tokens.includes(c.token));
        expect(lookups.map((c) => c.token).sort()).toEqual([...tokens, "aws:ec2/getElasticIp:getElasticIp"].sort());
        expect(
            lookups
                .filter((c) => c.token === "aws:ec2/getElasticIp:getElasticIp")
                .map((c) => c.inputs.id)
                .sort(),
        ).toEqual(["eipalloc-0aaaaaaaaaaaaaaa1", "eipalloc-0aaaaaaaaaaaaaaa2"]);
        for (const c of lookups) expect(c.provider, c.token).toBe(`${provider.urn}::${provider.id}`);
        expect(warned).toContainEqual(
            expect.stringMatching(
                /Nat egress: the NAT instance's readiness gate calls EC2 itself, as the stack's aws: configuration says .* it cannot see that provider's own credentials\. If that provider reaches another account or role, pass the same settings as awsIdentity/,
            ),
        );
    });

    it("without a provider in opts, or without a NAT instance, no warning about the gate's credentials", async () => {
        const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
        await build({ ...base, strategy: NatStrategy.Instance });
        await build(base, () => ({ providers: [new aws.Provider("seoul", { region: "ap-northeast-2" })] }));
        const warned = warn.mock.calls.map((c) => String(c[0]));
        warn.mockRestore();
        expect(warned.filter((w) => w.includes("readiness gate"))).toEqual([]);
    });

    it("with awsIdentity, the gate takes it, as a secret, and no warning even with a provider in opts; a wrong one is refused before anything is created", async () => {
        const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
        const identity = {
            accessKey: "AKIAIOSFODNN7EXAMPLE",
            secretKey: pulumi.secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            assumeRoles: [{ roleArn: "arn:aws:iam::222222222222:role/deployer", externalId: "ext-42" }],
        };
        const r = await runComponents(() => {
            const provider = new aws.Provider("other", { region: "ap-northeast-2" });
            new Nat(
                "egress",
                { ...base, strategy: NatStrategy.Instance, awsIdentity: identity },
                { providers: [provider] },
            );
        });
        const warned = warn.mock.calls.map((c) => String(c[0]));
        warn.mockRestore();
        expect(r.error).toBeUndefined();
        expect(warned.filter((w) => w.includes("readiness gate"))).toEqual([]);
        const gate = r.ofType("pulumi-nodejs:dynamic:NatReadiness")[0];
        expect(gate.inputs.identity).toEqual({ ...identity, secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" });
        expect(gate.secretInputs).toEqual(["identity"]);

        const refused = await runComponents(() => {
            new Nat("egress", {
                ...base,
                strategy: NatStrategy.Instance,
                awsIdentity: { secretKey: "x", assumeRoles: [{ roleArn: "deployer" }] },
            });
        });
        expect(refused.error?.message).toMatch(
            /awsIdentity\.accessKey: is missing: a secret key needs its access key id/,
        );
        expect(refused.error?.message).toMatch(
            /awsIdentity\.assumeRoles\[0\]\.roleArn: is "deployer"; expected a role ARN/,
        );
        expect(refused.resources.filter((x) => x.custom)).toEqual([]);
        const both = await runComponents(() => {
            new Nat("egress", { ...base, awsIdentity: { profile: "a" }, awsProfile: "b" });
        });
        expect(both.error?.message).toMatch(
            /awsProfile: is given with awsIdentity; give the profile as awsIdentity\.profile/,
        );
    });

    it("keeps the caller's aliases beside its own old type token", async () => {
        const r = await runComponents(() => {
            new Nat("egress", base, { aliases: [{ name: "old-egress" }] });
        });
        expect(r.error).toBeUndefined();
        const specs = r.byName("egress").aliases.map((a) => (JSON.parse(a) as { spec: Record<string, unknown> }).spec);
        expect(specs).toEqual([
            expect.objectContaining({ name: "old-egress" }),
            expect.objectContaining({ type: "aligo-sms:nat:Nat" }),
        ]);
    });
});

/** A Nat whose NAT must be refused at deploy time, once its look-ups have answered (see refusedAtDeploy). */
const natRefusedAtDeploy = (args: NatArgs, world: Partial<World>) =>
    refusedAtDeploy(() => new Nat("egress", args), world);

describe("Nat with your own Elastic IPs: an address someone else holds is refused at deploy time, never pulled away", () => {
    const one = ["eipalloc-0aaaaaaaaaaaaaaa1"];
    const ours = {
        id: "i-0ccccccccccccccc1",
        ami: "ami-0a1b2c3d4e5f60002",
        instanceType: "t3.nano",
        state: "running",
        tags: { Name: "consumer-test-egress-instance-0123abcd" },
    };
    const binds = [
        "aws:ec2/natGateway:NatGateway",
        "aws:ec2/instance:Instance",
        "aws:ec2/eipAssociation:EipAssociation",
        "aws:ec2/route:Route",
    ];

    it.each([NatStrategy.Instance, NatStrategy.Gateway])(
        "strategy %s: an address on another (not this NAT's) instance",
        async (strategy) => {
            const { errors, registered } = await natRefusedAtDeploy(
                { ...base, strategy, egressIpAllocationIds: one },
                {
                    eips: [
                        {
                            allocationId: one[0],
                            publicIp: "198.51.100.11",
                            instanceId: "i-0eeeeeeeeeeeeeee1",
                            networkInterfaceId: "eni-0eeeeeeeeeeeeeee1",
                        },
                    ],
                    instances: [
                        {
                            id: "i-0eeeeeeeeeeeeeee1",
                            ami: "ami-0c0c0c0c0c0c00001",
                            instanceType: "m5.large",
                            state: "running",
                            tags: { Name: "web-server" },
                        },
                    ],
                },
            );
            expect(errors).toHaveLength(1);
            expect(errors[0]).toMatch(
                /^error serializing property "allocationId": Nat egress: egressIpAllocationIds: "eipalloc-0aaaaaaaaaaaaaaa1" \(198\.51\.100\.11\) is attached to instance i-0eeeeeeeeeeeeeee1 \(web-server\), which is not this stack's NAT instance; disassociate it first, or list an address dedicated to this stack\. The NAT was not created and no address was bound\.$/,
            );
            expect(registered.filter((t) => binds.includes(t))).toEqual([]);
        },
    );

    it("an address on some other network interface", async () => {
        const { errors, registered } = await natRefusedAtDeploy(
            { ...base, strategy: NatStrategy.Instance, egressIpAllocationIds: ["eipalloc-0aaaaaaaaaaaaaaa2", one[0]] },
            {
                eips: [
                    { allocationId: "eipalloc-0aaaaaaaaaaaaaaa2", publicIp: "198.51.100.12" },
                    { allocationId: one[0], publicIp: "198.51.100.11", networkInterfaceId: "eni-0fffffffffffffff1" },
                ],
                enis: { "eni-0fffffffffffffff1": "interface" },
            },
        );
        expect(errors).toEqual([
            expect.stringMatching(
                /egressIpAllocationIds: "eipalloc-0aaaaaaaaaaaaaaa1" \(198\.51\.100\.11\) is attached to network interface eni-0fffffffffffffff1, which is not this stack's NAT/,
            ),
        ]);
        expect(registered.filter((t) => binds.includes(t))).toEqual([]);
    });

    it.each([
        [NatStrategy.Instance, { networkInterfaceId: "eni-0bbbbbbbbbbbbbbb1" }, "gateway"],
        [NatStrategy.Gateway, { instanceId: ours.id, networkInterfaceId: "eni-0ccccccccccccccc1" }, "instance"],
    ] as const)(
        "one address that the other NAT kind still holds: strategy %s is refused with the two-step switch",
        async (strategy, holder, from) => {
            const { errors, registered } = await natRefusedAtDeploy(
                { ...base, strategy, egressIpAllocationIds: one },
                {
                    eips: [{ allocationId: one[0], publicIp: "198.51.100.11", ...holder }],
                    enis: { "eni-0bbbbbbbbbbbbbbb1": "nat_gateway" },
                    instances: [ours],
                },
            );
            expect(errors).toHaveLength(1);
            expect(errors[0]).toContain(
                `strategy: "${strategy}" cannot take over 198.51.100.11 (egressIpAllocationIds "eipalloc-0aaaaaaaaaaaaaaa1") in one \`pulumi up\` while the NAT ${from} holds it`,
            );
            expect(errors[0]).toContain(
                `Switch in two steps: set strategy to none and run \`pulumi up\`, then set strategy to ${strategy} and run \`pulumi up\``,
            );
            expect(errors[0]).toContain(
                strategy === NatStrategy.Gateway
                    ? `or without a pause: put a new address first in egressIpAllocationIds (the gateway's) and keep "eipalloc-0aaaaaaaaaaaaaaa1" second (the instance's), run \`pulumi up\` with strategy still instance (nothing moves), register the new address wherever traffic from it must be allowed (a partner's allow-list), then switch`
                    : `or without a pause: add a new address to egressIpAllocationIds after "eipalloc-0aaaaaaaaaaaaaaa1" (the instance's), run \`pulumi up\` with strategy still gateway (nothing moves), register the new address wherever traffic from it must be allowed (a partner's allow-list), then switch`,
            );
            expect(registered.filter((t) => binds.includes(t))).toEqual([]);
        },
    );

    // Two addresses, the gateway's listed first: the one the chosen NAT binds is what counts.
    it.each([
        [
            "the gateway's address (listed first) is on this NAT's instance",
            NatStrategy.Gateway,
            0,
            { instanceId: ours.id, networkInterfaceId: "eni-0ccccccccccccccc1" },
            "instance",
        ],
        [
            "the instance's address (listed second) is on the NAT gateway",
            NatStrategy.Instance,
            1,
            { networkInterfaceId: "eni-0bbbbbbbbbbbbbbb1" },
            "gateway",
        ],
    ] as const)(
        "two addresses, swapped: %s, so strategy %s is refused",
        async (_label, strategy, heldIndex, holder, from) => {
            const two = ["eipalloc-0aaaaaaaaaaaaaaa1", "eipalloc-0aaaaaaaaaaaaaaa2"];
            const { errors, registered } = await natRefusedAtDeploy(
                { ...base, strategy, egressIpAllocationIds: two },
                {
                    eips: two.map((allocationId, i) => ({
                        allocationId,
                        publicIp: `198.51.100.1${i + 1}`,
                        ...(i === heldIndex ? holder : {}),
                    })),
                    enis: { "eni-0bbbbbbbbbbbbbbb1": "nat_gateway" },
                    instances: [ours],
                },
            );
            expect(errors).toHaveLength(1);
            expect(errors[0]).toContain(`while the NAT ${from} holds it`);
            expect(errors[0]).toContain("lists the gateway's first, the instance's second: are they swapped?");
            expect(registered.filter((t) => binds.includes(t))).toEqual([]);
        },
    );

    it("the switch the advice leads to: the new address added with the strategy unchanged moves nothing, then the gateway takes it", async () => {
        const world = {
            eips: [
                { allocationId: "eipalloc-0aaaaaaaaaaaaaaa2", publicIp: "198.51.100.12" },
                {
                    allocationId: one[0],
                    publicIp: "198.51.100.11",
                    instanceId: ours.id,
                    networkInterfaceId: "eni-0ccccccccccccccc1",
                },
            ],
            instances: [ours],
        };
        const step1 = (
            await build(
                {
                    ...base,
                    strategy: NatStrategy.Instance,
                    egressIpAllocationIds: ["eipalloc-0aaaaaaaaaaaaaaa2", one[0]],
                },
                undefined,
                world,
            )
        ).r;
        expect(step1.ofType("aws:ec2/eipAssociation:EipAssociation").map((a) => a.inputs.allocationId)).toEqual([
            one[0],
        ]);
        const { r } = await build(
            { ...base, strategy: NatStrategy.Gateway, egressIpAllocationIds: ["eipalloc-0aaaaaaaaaaaaaaa2", one[0]] },
            undefined,
            {
                eips: [
                    { allocationId: "eipalloc-0aaaaaaaaaaaaaaa2", publicIp: "198.51.100.12" },
                    {
                        allocationId: one[0],
                        publicIp: "198.51.100.11",
                        instanceId: ours.id,
                        networkInterfaceId: "eni-0ccccccccccccccc1",
                    },
                ],
                instances: [ours],
            },
        );
        expect(r.ofType("aws:ec2/natGateway:NatGateway")[0].inputs.allocationId).toBe("eipalloc-0aaaaaaaaaaaaaaa2");
    });

    it("an instance named like this NAT's but not one of its generations is someone else's", async () => {
        const { errors } = await natRefusedAtDeploy(
            { ...base, strategy: NatStrategy.Instance, egressIpAllocationIds: one },
            {
                eips: [
                    {
                        allocationId: one[0],
                        publicIp: "198.51.100.11",
                        instanceId: "i-0ddddddddddddddd1",
                        networkInterfaceId: "eni-0ddddddddddddddd1",
                    },
                ],
                instances: [
                    { ...ours, id: "i-0ddddddddddddddd1", tags: { Name: "consumer-test-egress-instance-old" } },
                ],
            },
        );
        expect(errors).toEqual([expect.stringContaining("which is not this stack's NAT instance")]);
    });

    it.each([
        ["free", {}],
        [
            "on this NAT's own instance (a re-run, or a new generation taking over)",
            { instanceId: ours.id, networkInterfaceId: "eni-0ccccccccccccccc1" },
        ],
    ])("an address that is %s is bound", async (_label, holder) => {
        const { r } = await build({ ...base, strategy: NatStrategy.Instance, egressIpAllocationIds: one }, undefined, {
            eips: [{ allocationId: one[0], publicIp: "198.51.100.11", ...holder }],
            instances: [ours],
        });
        expect(r.ofType("aws:ec2/eipAssociation:EipAssociation")[0].inputs.allocationId).toBe(one[0]);
    });

    it("strategy none binds nothing, so it checks nothing", async () => {
        const { r } = await build({ ...base, strategy: NatStrategy.None, egressIpAllocationIds: one }, undefined, {
            eips: [{ allocationId: one[0], publicIp: "198.51.100.11", instanceId: "i-0eeeeeeeeeeeeeee1" }],
            instances: [
                {
                    id: "i-0eeeeeeeeeeeeeee1",
                    ami: "ami-0c0c0c0c0c0c00001",
                    instanceType: "m5.large",
                    state: "running",
                    tags: { Name: "web-server" },
                },
            ],
        });
        expect(r.ofType("aws:ec2/eipAssociation:EipAssociation")).toEqual([]);
    });
});

describe("Nat whose image is not there: told in plain words on the component, no instance made", () => {
    const instanceTypes = ["aws:ec2/instance:Instance", "aws:ec2/eipAssociation:EipAssociation", "aws:ec2/route:Route"];
    // Under mocks the look-up's own message is lost (the mock monitor passes no text), so the cause
    // in brackets is optional here; lookupCause is tested on the engine's real wording below.
    it("a family with no image in the region: the family, CPU and region, how it was looked for, and the alternatives", async () => {
        const world = defaultWorld();
        const { errors, registered } = await refusedAtDeploy(
            () =>
                new Nat("egress", {
                    ...base,
                    strategy: NatStrategy.Instance,
                    instance: { instanceType: "t4g.nano", image: "fck-nat" },
                }),
            { images: world.images.filter((i) => !i.name.startsWith("fck-nat")) },
        );
        expect(errors).toEqual([
            expect.stringMatching(
                /^(error serializing property "\w+": )?instance\.image: no "fck-nat" image for arm64 found in ap-northeast-2 \(owner 568608671756, name fck-nat-al2023-\*-arm64-ebs, deprecated images included\)(: .+)?\. Choose another image: instance\.image "al2023", or pin one you know exists in ap-northeast-2 with instance\.image "ami-…"$/,
            ),
        ]);
        for (const t of instanceTypes) expect(registered).not.toContain(t);
    });

    it("lookupCause puts the engine's multi-line invoke error on one line, and says nothing for nothing", () => {
        const engine = new Error(
            "invoking aws:ec2/getAmi:getAmi: 1 error occurred:\n\t* Your query returned no results. Please change your search criteria and try again.\n\n",
        );
        expect(lookupCause(engine)).toBe(
            "invoking aws:ec2/getAmi:getAmi: 1 error occurred: Your query returned no results. Please change your search criteria and try again.",
        );
        expect(lookupCause(new Error(""))).toBeUndefined();
        expect(lookupCause(new Error("x".repeat(400)))).toHaveLength(300);
    });

    it("a pinned id that is not in the region, and a pinned image for the other CPU", async () => {
        const missing = await refusedAtDeploy(
            () =>
                new Nat("egress", {
                    ...base,
                    strategy: NatStrategy.Instance,
                    instance: { image: "ami-0123456789abcdef0" },
                }),
        );
        expect(missing.errors).toEqual([
            expect.stringMatching(
                /^(error serializing property "\w+": )?instance\.image: "ami-0123456789abcdef0" was not found in ap-northeast-2( \(.+\))?; AMI ids differ per region$/,
            ),
        ]);
        for (const t of instanceTypes) expect(missing.registered).not.toContain(t);
        const otherCpu = await refusedAtDeploy(
            () =>
                new Nat("egress", {
                    ...base,
                    strategy: NatStrategy.Instance,
                    instance: { instanceType: "t3.nano", image: "ami-0e0e0e0e0e0e00001" },
                }),
        );
        expect(otherCpu.errors).toEqual([
            expect.stringMatching(/^(error serializing property "\w+": )?instance\.image: .*arm64/),
        ]);
        for (const t of instanceTypes) expect(otherCpu.registered).not.toContain(t);
    });
});

describe("Nat with one NAT per zone (perAz)", () => {
    it("gateway: three NAT gateways in three public subnets, each private route table to its own zone's, every address exported", async () => {
        const { r, out } = await build(threeZones);
        const gateways = r.ofType("aws:ec2/natGateway:NatGateway");
        expect(gateways.map((g) => [g.name, g.inputs.subnetId])).toEqual([
            ["egress-gateway", "subnet-0aaaaaaaaaaaaaaa1"],
            ["egress-zone-1-gateway", "subnet-0aaaaaaaaaaaaaaa2"],
            ["egress-zone-2-gateway", "subnet-0aaaaaaaaaaaaaaa3"],
        ]);
        for (const g of gateways) expect(g.inputs.allocationId).toBe(r.byName(`${g.name}-eip`).id);
        expect(routeTargets(r)).toEqual([
            ["egress-private-0-default", "egress-gateway"],
            ["egress-private-1-default", "egress-zone-1-gateway"],
            ["egress-private-2-default", "egress-zone-2-gateway"],
        ]);
        // Two addresses per zone (one per NAT kind, egressIpStandby's default): six, all exported, zone by zone.
        const ip = (name: string) => r.byName(name).state.publicIp as string;
        expect(out.egressIps).toEqual([
            ip("egress-gateway-eip"),
            ip("egress-instance-eip"),
            ip("egress-zone-1-gateway-eip"),
            ip("egress-zone-1-instance-eip"),
            ip("egress-zone-2-gateway-eip"),
            ip("egress-zone-2-instance-eip"),
        ]);
        expect(out.egressIp).toBe(ip("egress-gateway-eip"));
    });

    it("instance: one NAT instance per zone, each with its own readiness gate, address binding and health; each route waits for its own zone's", async () => {
        const { r } = await build({ ...threeZones, strategy: NatStrategy.Instance });
        const instances = r.ofType("aws:ec2/instance:Instance");
        expect(instances.map((i) => [i.name.replace(/[0-9a-f]{8}$/, "<gen>"), i.inputs.subnetId])).toEqual([
            ["egress-instance-<gen>", "subnet-0aaaaaaaaaaaaaaa1"],
            ["egress-zone-1-instance-<gen>", "subnet-0aaaaaaaaaaaaaaa2"],
            ["egress-zone-2-instance-<gen>", "subnet-0aaaaaaaaaaaaaaa3"],
        ]);
        // One security group for all of them.
        expect(r.ofType("aws:ec2/securityGroup:SecurityGroup").map((x) => x.name)).toEqual(["egress-instance-sg"]);
        expect(routeTargets(r)).toEqual(
            instances.map((i, z) => [`egress-private-${z}-default`, i.name] as [string, string]),
        );
        instances.forEach((instance, z) => {
            const prefix = z === 0 ? "egress-" : `egress-zone-${z}-`;
            const ready = r.byName(`${instance.name}-ready`);
            const association = r.byName(`${instance.name}-eip-assoc`);
            expect(ready.inputs.instanceId).toBe(instance.id);
            expect(association.inputs.allocationId).toBe(r.byName(`${prefix}instance-eip`).id);
            expect(association.dependencies).toContain(ready.urn);
            const route = r.byName(`egress-private-${z}-default`);
            expect(route.dependencies).toEqual(expect.arrayContaining([association.urn, ready.urn]));
            expect(r.byName(`${instance.name}-running`).inputs).toMatchObject({
                instanceId: instance.id,
                state: "running",
            });
            expect(r.byName(`${instance.name}-impaired`).inputs.dimensions).toEqual({ InstanceId: instance.id });
            expect(r.byName(`${instance.name}-recover`).inputs.dimensions).toEqual({ InstanceId: instance.id });
        });
    });

    it("pending zones: their NAT and addresses are built and exported, but their route still goes through zone 0's NAT", async () => {
        const { r, out } = await build({ ...threeZones, pendingZones: [2] });
        expect(r.ofType("aws:ec2/natGateway:NatGateway").map((g) => g.name)).toContain("egress-zone-2-gateway");
        expect(routeTargets(r)).toEqual([
            ["egress-private-0-default", "egress-gateway"],
            ["egress-private-1-default", "egress-zone-1-gateway"],
            ["egress-private-2-default", "egress-gateway"],
        ]);
        expect(out.egressIps).toContain(r.byName("egress-zone-2-gateway-eip").state.publicIp);
    });

    it("without the standby address: one address per zone, used by whichever NAT is on", async () => {
        const { r, out } = await build({ ...threeZones, egressIpStandby: false });
        expect(r.ofType("aws:ec2/eip:Eip").map((e) => e.name)).toEqual([
            "egress-instance-eip",
            "egress-zone-1-instance-eip",
            "egress-zone-2-instance-eip",
        ]);
        expect((out.egressIps as string[]).length).toBe(3);
    });

    it("off (the default): one NAT for every zone, zone 0's names as before perAz existed", async () => {
        const { r } = await build({ ...threeZones, perAz: false });
        expect(r.ofType("aws:ec2/natGateway:NatGateway").map((g) => g.name)).toEqual(["egress-gateway"]);
        expect(routeTargets(r).map(([, to]) => to)).toEqual(["egress-gateway", "egress-gateway", "egress-gateway"]);
    });
});

describe("Nat refuses bad arguments with Pulumi's input-property error, creating nothing", () => {
    it.each<[string, Partial<NatArgs>, string, RegExp]>([
        [
            "an unknown strategy",
            { strategy: "nat-gateway" as NatStrategy },
            "strategy",
            /"nat-gateway" is not one of gateway, instance, none/,
        ],
        ["no route tables", { privateRouteTableIds: [] }, "privateRouteTableIds", /is empty/],
        [
            "an instance type that is not one",
            { strategy: NatStrategy.Instance, instance: { instanceType: "nano" } },
            "instance.instanceType",
            /"nano" is not an EC2 instance type/,
        ],
        [
            "a Graviton type with an x86-only image",
            { strategy: NatStrategy.Instance, instance: { instanceType: "t4g.nano" } },
            "instance.instanceType",
            /arm64, but instance\.image "amzn-ami-vpc-nat" exists only for x86_64/,
        ],
        [
            "an unknown image",
            { strategy: NatStrategy.Instance, instance: { image: "ubuntu" } },
            "instance.image",
            /"ubuntu" is not one of/,
        ],
        [
            "SSH without a key",
            { strategy: NatStrategy.Instance, instance: { sshCidr: "203.0.113.7/32" } },
            "instance.sshCidr",
            /needs|key pair/,
        ],
        [
            "SSH open to the internet",
            { strategy: NatStrategy.Instance, instance: { keyName: "ops", sshCidr: "0.0.0.0/0" } },
            "instance.sshCidr",
            /the whole internet/,
        ],
        [
            "SSH open to a /15, wider than the /16 allowed",
            { strategy: NatStrategy.Instance, instance: { keyName: "ops", sshCidr: "10.0.0.0/15" } },
            "instance.sshCidr",
            /"10\.0\.0\.0\/15" opens SSH to 131072 addresses; allowed: \/16 to \/32/,
        ],
        [
            "a wait out of range",
            { strategy: NatStrategy.Instance, instance: { readyTimeoutSeconds: 30 } },
            "instance.readyTimeoutSeconds",
            /30 is not a whole number of seconds from 60 to 3600/,
        ],
        [
            "three allocation ids",
            {
                egressIpAllocationIds: [
                    "eipalloc-0aaaaaaaaaaaaaaa1",
                    "eipalloc-0aaaaaaaaaaaaaaa2",
                    "eipalloc-0aaaaaaaaaaaaaaa3",
                ],
            },
            "egressIpAllocationIds",
            /has 3 entries; allowed: 1/,
        ],
        [
            "a malformed allocation id",
            { egressIpAllocationIds: ["198.51.100.11"] },
            "egressIpAllocationIds",
            /is not an allocation id/,
        ],
        [
            "two addresses without a standby",
            {
                egressIpAllocationIds: ["eipalloc-0aaaaaaaaaaaaaaa1", "eipalloc-0aaaaaaaaaaaaaaa2"],
                egressIpStandby: false,
            },
            "egressIpStandby",
            /false contradicts egressIpAllocationIds/,
        ],
        [
            "perAz without a public subnet per zone",
            { perAz: true, publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1"] },
            "publicSubnetIds",
            /has 1 subnets but privateRouteTableIds has 2; with perAz give one public subnet per zone/,
        ],
        [
            "zone 0 pending (its NAT carries the pending ones)",
            { perAz: true, publicSubnetIds: PUBLIC, pendingZones: [0] },
            "pendingZones[0]",
            /0 is not a zone that can wait; allowed: 1 to 1/,
        ],
        ["a pending zone without perAz", { pendingZones: [1] }, "pendingZones", /perAz is not/],
        [
            "perAz with your own addresses",
            { perAz: true, publicSubnetIds: PUBLIC, egressIpAllocationIds: ["eipalloc-0aaaaaaaaaaaaaaa1"] },
            "egressIpAllocationIds",
            /not supported with perAz/,
        ],
    ])("%s", async (_label, over, property, reason) => {
        const { error, thrown, custom } = await runRefused(() => new Nat("egress", { ...base, ...over }));
        expect(error, String(thrown)).toBeDefined();
        expect(error!.errors).toContainEqual(
            expect.objectContaining({ propertyPath: property, reason: expect.stringMatching(reason) }),
        );
        expect(error!.message).toContain(property);
        expect(custom).toEqual([]);
    });

    it("SSH from a /16, the widest block allowed, is opened", async () => {
        const { r } = await build({
            ...base,
            strategy: NatStrategy.Instance,
            instance: { keyName: "ops", sshCidr: "10.20.0.0/16" },
        });
        expect(r.byName("egress-instance-sg").inputs.ingress).toContainEqual(
            expect.objectContaining({ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.20.0.0/16"] }),
        );
    });

    it("the instance settings are checked whatever the strategy (a bad one kept for later would fail the switch), as the program checks its own", async () => {
        const { error } = await runRefused(
            () => new Nat("egress", { ...base, strategy: NatStrategy.Gateway, instance: { instanceType: "t4g.nano" } }),
        );
        expect(error?.errors).toContainEqual(expect.objectContaining({ propertyPath: "instance.instanceType" }));
    });

    it.each<[string, Partial<NatArgs> | Record<string, unknown>, string, RegExp]>([
        [
            "a route table listed twice (a second default route in one table: RouteAlreadyExists)",
            { privateRouteTableIds: ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0aaaaaaaaaaaaaaa1"] },
            "privateRouteTableIds[1]",
            /"rtb-0aaaaaaaaaaaaaaa1" is listed twice \(also at \[0\]\)/,
        ],
        [
            "a route table that is not an id",
            { privateRouteTableIds: [42] },
            "privateRouteTableIds[0]",
            /is number; expected a route table id/,
        ],
        ["private blocks that are not blocks", { privateSubnetCidrs: ["nope"] }, "privateSubnetCidrs[0]", /nope/],
        ["no private blocks", { privateSubnetCidrs: [] }, "privateSubnetCidrs", /is empty/],
        [
            "an adopted instance without its AMI",
            { strategy: NatStrategy.Instance, instance: { adopt: {} } },
            "instance.adopt.amiId",
            /is not an AMI id/,
        ],
        [
            "SSH with a null key pair (another language's 'not set')",
            { strategy: NatStrategy.Instance, instance: { keyName: null, sshCidr: "203.0.113.7/32" } },
            "instance.sshCidr",
            /needs|key pair/,
        ],
    ])("refuses %s", async (_label, over, property, reason) => {
        const { error, thrown, custom } = await runRefused(
            () => new Nat("egress", { ...base, ...(over as Partial<NatArgs>) }),
        );
        expect(error, String(thrown)).toBeDefined();
        expect(error!.errors).toContainEqual(
            expect.objectContaining({ propertyPath: property, reason: expect.stringMatching(reason) }),
        );
        expect(custom).toEqual([]);
    });

    it("nulls are 'not set' (JSON from another language's program): instance, allocation ids, timeout", async () => {
        const { r } = await build({
            ...base,
            strategy: NatStrategy.Instance,
            instance: null,
            egressIpAllocationIds: null,
            egressIpStandby: null,
        } as unknown as NatArgs);
        expect(r.ofType("aws:ec2/instance:Instance")[0].inputs.instanceType).toBe("t3.nano");
        expect(r.ofType("aws:ec2/eip:Eip")).toHaveLength(2);
        const { r: r2 } = await build({
            ...base,
            strategy: NatStrategy.Instance,
            instance: { readyTimeoutSeconds: null, keyName: null },
        } as unknown as NatArgs);
        expect(r2.ofType("pulumi-nodejs:dynamic:NatReadiness")[0].inputs.timeoutSeconds).toBe(600);
    });

    it("takes Promises where it takes Inputs", async () => {
        const { r } = await build({
            ...base,
            vpcId: Promise.resolve("vpc-0123456789abcdef0"),
            publicSubnetId: Promise.resolve("subnet-0aaaaaaaaaaaaaaa1"),
            privateSubnetCidrs: Promise.resolve(["10.42.128.0/24"]),
        });
        expect(r.byName("egress-gateway").inputs.subnetId).toBe("subnet-0aaaaaaaaaaaaaaa1");
    });
});
