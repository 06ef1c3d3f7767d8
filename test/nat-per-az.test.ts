// The real program under mocks with one NAT per zone (natPerAz), the Elastic IP quota, zones that
// never move, and a NAT instance that heals itself whatever the alarm settings.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FakeEip, FakeSubnet } from "../offline/account";
import { runProgram, type Recorded, type RunResult } from "./harness";

const ok = async (opts: Parameters<typeof runProgram>[0]): Promise<RunResult> => {
    const r = await runProgram(opts);
    if (r.error) throw r.error;
    return r;
};

/** Each private route's target, as the logical name of the NAT it goes to, by route table index. */
function routeTargets(r: RunResult): string[] {
    const byId = new Map(r.resources.map((x) => [x.id, x.name]));
    const byEni = new Map(
        r.ofType("aws:ec2/instance:Instance").map((x) => [x.state.primaryNetworkInterfaceId as string, x.name]),
    );
    return r
        .ofType("aws:ec2/route:Route")
        .filter((x) => /^nat-private-\d+-default$/.test(x.name))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((x) => byId.get(x.inputs.natGatewayId) ?? byEni.get(x.inputs.networkInterfaceId) ?? "?");
}

/** The zone of the public subnet a NAT sits in. */
function zoneOf(r: RunResult, nat: Recorded): string {
    const subnet = r.ofType("aws:ec2/subnet:Subnet").find((s) => s.id === nat.inputs.subnetId)!;
    return subnet.inputs.availabilityZone as string;
}

/** An address the stack already holds (made by an earlier deployment), by its Name tag's role. */
const held = (role: string, n: number): FakeEip => ({
    allocationId: `eipalloc-0ddddddddddddddd${n}`,
    publicIp: `203.0.113.${100 + n}`,
    tags: { Name: `aligo-sms-dev-nat-${role}` },
});

/** A private subnet the stack already has (made by an earlier deployment). */
const subnet = (cidr: string, zone: string, n: number): FakeSubnet => ({
    id: `subnet-0eeeeeeeeeeeeeee${n}`,
    cidrBlock: cidr,
    availabilityZone: zone,
    tags: { Name: `aligo-sms-dev-network-private-${zone}` },
});

afterEach(() => vi.restoreAllMocks());

describe("natPerAz: one NAT per zone", () => {
    it.each(["gateway", "instance"] as const)(
        "%s, azCount 3, first deployment: three NATs in three zones, each private subnet routed to its own zone's, every address in egressIps",
        async (nat) => {
            const r = await ok({ config: { nat, natPerAz: "true", azCount: "3" }, world: { eipQuota: 20 } });
            const type = nat === "gateway" ? "aws:ec2/natGateway:NatGateway" : "aws:ec2/instance:Instance";
            const nats = r.ofType(type).filter((x) => x.name.startsWith("nat-"));
            expect(nats.map((x) => zoneOf(r, x))).toEqual(["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]);
            expect(routeTargets(r)).toEqual(nats.map((x) => x.name));
            const eips = r.ofType("aws:ec2/eip:Eip");
            expect(eips).toHaveLength(6); // one per zone and NAT kind (egressIpStandby)
            expect([...(r.outputs.egressIps as string[])].sort()).toEqual(
                eips.map((e) => e.state.publicIp as string).sort(),
            );
            // The functions sit in all three private subnets.
            expect(r.byName("functions-sms").inputs.vpcConfig.subnetIds).toHaveLength(3);
        },
    );

    it("turned on for a live stack: the new zones' NATs and addresses are made and exported, but their traffic stays on zone 0's NAT, and the program says so", async () => {
        const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
        const r = await ok({
            config: { nat: "gateway", natPerAz: "true", azCount: "3" },
            world: { eips: [held("gateway-eip", 1), held("instance-eip", 2)], eipQuota: 20 },
        });
        expect(routeTargets(r)).toEqual(["nat-gateway", "nat-gateway", "nat-gateway"]);
        expect(r.ofType("aws:ec2/natGateway:NatGateway").map((g) => g.name)).toEqual([
            "nat-gateway",
            "nat-zone-1-gateway",
            "nat-zone-2-gateway",
        ]);
        expect(r.outputs.egressIps).toContain(r.byName("nat-zone-2-gateway-eip").state.publicIp);
        const said = warn.mock.calls.map((c) => String(c[0])).join("\n");
        expect(said).toMatch(
            /natPerAz: the NATs of ap-northeast-2b, ap-northeast-2c are built in this deployment, but their traffic keeps leaving through ap-northeast-2a's NAT/,
        );
        expect(said).toMatch(/then run `pulumi up` again/);
    });

    it("the next pulumi up, once the addresses exist (were exported): each zone sends through its own NAT", async () => {
        const r = await ok({
            config: { nat: "gateway", natPerAz: "true", azCount: "3" },
            world: {
                eips: [
                    held("gateway-eip", 1),
                    held("instance-eip", 2),
                    held("zone-1-gateway-eip", 3),
                    held("zone-1-instance-eip", 4),
                    held("zone-2-gateway-eip", 5),
                    held("zone-2-instance-eip", 6),
                ],
                eipQuota: 10,
            },
        });
        expect(routeTargets(r)).toEqual(["nat-gateway", "nat-zone-1-gateway", "nat-zone-2-gateway"]);
    });

    it("raising azCount with it on: the new zone waits for its address; the others keep their own NATs", async () => {
        const r = await ok({
            config: { nat: "instance", natPerAz: "true", azCount: "3" },
            world: {
                eips: [
                    held("gateway-eip", 1),
                    held("instance-eip", 2),
                    held("zone-1-gateway-eip", 3),
                    held("zone-1-instance-eip", 4),
                ],
                eipQuota: 20,
            },
        });
        const targets = routeTargets(r);
        expect(targets[0]).toMatch(/^nat-instance-[0-9a-f]{8}$/);
        expect(targets[1]).toMatch(/^nat-zone-1-instance-[0-9a-f]{8}$/);
        expect(targets[2]).toBe(targets[0]);
    });

    it("turned off: every private subnet routes to zone 0's NAT again, and the other zones' NATs are no longer declared", async () => {
        const r = await ok({
            config: { nat: "gateway", natPerAz: "false", azCount: "3" },
            world: { eips: [held("gateway-eip", 1), held("zone-1-gateway-eip", 3)] },
        });
        expect(routeTargets(r)).toEqual(["nat-gateway", "nat-gateway", "nat-gateway"]);
        expect(r.ofType("aws:ec2/natGateway:NatGateway").map((g) => g.name)).toEqual(["nat-gateway"]);
    });

    it("a switch between gateway and instance with it on uses each zone's standby address: no zone waits", async () => {
        const r = await ok({
            config: { nat: "instance", natPerAz: "true" },
            world: {
                eips: [
                    held("gateway-eip", 1),
                    held("instance-eip", 2),
                    held("zone-1-gateway-eip", 3),
                    held("zone-1-instance-eip", 4),
                ],
            },
        });
        expect(routeTargets(r)[1]).toMatch(/^nat-zone-1-instance-/);
    });

    it("refuses your own addresses with it, naming both keys", async () => {
        const r = await runProgram({
            config: { natPerAz: "true", egressIpAllocationIds: '["eipalloc-0aaaaaaaaaaaaaaa1"]' },
        });
        expect(r.error?.message).toMatch(
            /natPerAz: true cannot use egressIpAllocationIds \(eipalloc-0aaaaaaaaaaaaaaa1\)/,
        );
        expect(r.resources).toEqual([]);
    });
});

describe("the Elastic IP quota, before anything is created", () => {
    const others = (n: number): FakeEip[] =>
        Array.from({ length: n }, (_, i) => ({
            allocationId: `eipalloc-0fffffffffffffff${i}`,
            publicIp: `198.51.100.${50 + i}`,
        }));

    it("refuses with the numbers and the ways out when the new addresses do not fit", async () => {
        const r = await runProgram({
            config: { natPerAz: "true", azCount: "3" },
            world: { eips: others(2), eipQuota: 5 },
        });
        expect(r.error?.message).toMatch(
            /this deployment allocates 6 Elastic IPs, but ap-northeast-2 already holds 2 of its quota of 5 \(8 > 5\); nothing was created/,
        );
        for (const way of ["L-0263D0A3", "egressIpStandby false", "natPerAz false"])
            expect(r.error?.message).toContain(way);
        expect(r.resources).toEqual([]);
    });

    it("goes ahead when they fit, counting the addresses the stack already holds as held, not new", async () => {
        const r = await ok({
            config: { nat: "gateway" },
            world: { eips: [...others(3), held("gateway-eip", 1), held("instance-eip", 2)], eipQuota: 5 },
        });
        expect(r.ofType("aws:ec2/eip:Eip")).toHaveLength(2);
    });

    it("a third default stack in a region with the default quota is refused before it starts", async () => {
        const r = await runProgram({ world: { eips: others(4), eipQuota: 5 } });
        expect(r.error?.message).toMatch(
            /allocates 2 Elastic IPs, but ap-northeast-2 already holds 4 of its quota of 5/,
        );
        expect(r.resources).toEqual([]);
    });

    it("when the quota cannot be read, warns and goes on", async () => {
        const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
        const r = await ok({ world: { eips: others(4), eipQuota: "denied" } });
        expect(r.ofType("aws:ec2/eip:Eip")).toHaveLength(2);
        expect(warn.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(
            /Could not read the Elastic IP quota of ap-northeast-2 \(servicequotas:GetServiceQuota: .*AccessDenied/,
        );
    });
});

describe("zones chosen once", () => {
    it("existing subnets keep their zones whatever the region's list says now; a raised azCount adds the next free zone", async () => {
        const r = await ok({
            config: { azCount: "3" },
            world: {
                // The stack was made when the region listed other zones first: its subnets sit in c and a.
                zones: ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"],
                subnets: [subnet("10.0.128.0/24", "ap-northeast-2c", 1), subnet("10.0.129.0/24", "ap-northeast-2a", 2)],
            },
        });
        const zones = (prefix: string) =>
            r
                .ofType("aws:ec2/subnet:Subnet")
                .filter((s) => s.name.startsWith(prefix))
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((s) => s.inputs.availabilityZone as string);
        expect(zones("network-private-")).toEqual(["ap-northeast-2c", "ap-northeast-2a", "ap-northeast-2b"]);
        expect(zones("network-public-")).toEqual(["ap-northeast-2c", "ap-northeast-2a", "ap-northeast-2b"]);
    });

    it("a zone the region no longer lists keeps its subnet", async () => {
        const r = await ok({
            world: {
                zones: ["ap-northeast-2b", "ap-northeast-2c"],
                subnets: [subnet("10.0.128.0/24", "ap-northeast-2a", 1)],
            },
        });
        expect(r.byName("network-private-0").inputs.availabilityZone).toBe("ap-northeast-2a");
        expect(r.byName("network-private-1").inputs.availabilityZone).toBe("ap-northeast-2b");
    });

    it("the look-up finds the stack's own private subnets by their Name tags", async () => {
        const r = await ok({});
        const lookup = r.fake.calls.find((c) => c.token === "aws:ec2/getSubnets:getSubnets")!;
        expect(lookup.inputs.filters).toEqual([{ name: "tag:Name", values: ["aligo-sms-dev-network-private-*"] }]);
    });
});

describe("a NAT instance that heals itself, with no alarm settings", () => {
    it("has the reboot and recover alarms and is held running", async () => {
        const r = await ok({ stack: "dev" });
        const [instance] = r.ofType("aws:ec2/instance:Instance");
        const byMetric = Object.fromEntries(
            r
                .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
                .filter((a) => a.inputs.dimensions?.InstanceId === instance.id)
                .map((a) => [a.inputs.metricName as string, a.inputs.alarmActions as string[]]),
        );
        expect(byMetric).toEqual({
            StatusCheckFailed_System: ["arn:aws:automate:ap-northeast-2:ec2:recover"],
            StatusCheckFailed_Instance: ["arn:aws:automate:ap-northeast-2:ec2:reboot"],
        });
        const [state] = r.ofType("aws:ec2transitgateway/instanceState:InstanceState");
        expect(state.inputs).toMatchObject({ instanceId: instance.id, state: "running" });
        expect(
            r.resources.find((x) => x.type === "aws:cloudwatch/eventRule:EventRule" && x.name === "nat-instance-state"),
        ).toBeUndefined();
    });

    it("with alarmEmail, the stack's topic hears when it stops or is terminated, and lets EventBridge publish", async () => {
        const r = await ok({ stack: "dev", config: { alarmEmail: "ops@example.com" } });
        const rule = r.byName("nat-instance-state");
        expect(JSON.parse(rule.inputs.eventPattern).detail.state).toEqual([
            "stopping",
            "stopped",
            "shutting-down",
            "terminated",
        ]);
        const topic = r.ofType("aws:sns/topic:Topic")[0];
        expect(r.byName("nat-instance-state-topic").inputs.arn).toBe(topic.state.arn ?? topic.id);
        const policy = JSON.parse(r.byName("alarms-topic-policy").inputs.policy);
        expect(policy.Statement).toContainEqual(
            expect.objectContaining({ Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish" }),
        );
    });
});
