// The Network component built from hand-written arguments (no program, no stack file).
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { runComponents, runComponentsOn, runRefused, type ComponentRun } from "../testing/components";
import { OfflineAccount } from "../offline/account";
import { promiseOf } from "../offline/engine";
import { defaultWorld } from "../testing/world";
import { Network, type NetworkArgs } from "./network";

const args: NetworkArgs = {
    vpcCidr: "10.42.0.0/16",
    availabilityZones: ["ap-northeast-2a", "ap-northeast-2c"],
    publicSubnetCidrs: ["10.42.0.0/24", "10.42.1.0/24"],
    privateSubnetCidrs: ["10.42.128.0/24", "10.42.129.0/24"],
    tags: { team: "sms" },
};

describe("Network from its own arguments", () => {
    it("builds the VPC, the internet gateway, public and private subnets in the given zones, one private table each; outputs are Outputs", async () => {
        let outputs: Record<string, unknown> = {};
        const r = await runComponents(() => {
            const n = new Network("net", args);
            outputs = {
                vpcId: n.vpcId,
                igw: n.internetGatewayId,
                pub: n.publicSubnetIds,
                priv: n.privateSubnetIds,
                rts: n.privateRouteTableIds,
                cidrs: n.privateSubnetCidrs,
            };
            for (const v of Object.values(outputs)) expect(pulumi.Output.isInstance(v)).toBe(true);
        });
        expect(r.error).toBeUndefined();
        const vpc = r.byName("net-vpc");
        expect(vpc.inputs).toMatchObject({
            cidrBlock: "10.42.0.0/16",
            enableDnsHostnames: true,
            tags: { team: "sms", Name: "consumer-test-net-vpc" },
        });
        expect(
            r.ofType("aws:ec2/subnet:Subnet").map((s) => [s.name, s.inputs.cidrBlock, s.inputs.availabilityZone]),
        ).toEqual([
            ["net-public-0", "10.42.0.0/24", "ap-northeast-2a"],
            ["net-public-1", "10.42.1.0/24", "ap-northeast-2c"],
            ["net-private-0", "10.42.128.0/24", "ap-northeast-2a"],
            ["net-private-1", "10.42.129.0/24", "ap-northeast-2c"],
        ]);
        expect(await promiseOf(outputs.igw as pulumi.Output<string>)).toBe(r.byName("net-igw").id);
        expect(await promiseOf(outputs.rts as pulumi.Output<string[]>)).toEqual([
            r.byName("net-private-0-rt").id,
            r.byName("net-private-1-rt").id,
        ]);
        expect(await promiseOf(outputs.cidrs as pulumi.Output<string[]>)).toEqual(["10.42.128.0/24", "10.42.129.0/24"]);
        expect(r.byName("net").type).toBe("aligo-sms:index:Network");
    });

    it("keeps the caller's aliases beside its own old type token", async () => {
        const r = await runComponents(() => {
            new Network("net", args, { aliases: [{ name: "old-net" }] });
        });
        expect(r.error).toBeUndefined();
        const specs = r.resources
            .find((x) => x.name === "net")!
            .aliases.map((a) => (JSON.parse(a) as { spec: Record<string, unknown> }).spec);
        expect(specs).toEqual([
            expect.objectContaining({ name: "old-net" }),
            expect.objectContaining({ type: "aligo-sms:network:Network" }),
        ]);
    });

    it.each<[string, Partial<NetworkArgs>, RegExp]>([
        ["a malformed VPC block", { vpcCidr: "10.42.0.0" }, /vpcCidr: "10\.42\.0\.0" is not in a\.b\.c\.d\/n form/],
        [
            "a VPC block AWS refuses",
            { vpcCidr: "10.0.0.0/8" },
            /vpcCidr: "10\.0\.0\.0\/8" has prefix \/8; AWS allows \/16 to \/28/,
        ],
        ["no zones", { availabilityZones: [] }, /availabilityZones: is empty/],
        [
            "fewer subnets than zones",
            { publicSubnetCidrs: ["10.42.0.0/24"] },
            /publicSubnetCidrs: has 1 blocks but availabilityZones \(count\) is 2/,
        ],
        [
            "a subnet outside the VPC",
            { privateSubnetCidrs: ["10.43.128.0/24", "10.42.129.0/24"] },
            /privateSubnetCidrs: "10\.43\.128\.0\/24" is not inside vpcCidr 10\.42\.0\.0\/16/,
        ],
        [
            "an empty zone name",
            { availabilityZones: ["", "ap-northeast-2c"] },
            /availabilityZones\[0\]: "" is not a zone name/,
        ],
        [
            "overlapping subnets",
            { privateSubnetCidrs: ["10.42.1.0/24", "10.42.129.0/24"] },
            /privateSubnetCidrs: "10\.42\.1\.0\/24" overlaps "10\.42\.1\.0\/24"/,
        ],
    ])("refuses %s with Pulumi's input-property error, creating nothing", async (_label, over, message) => {
        const { error, thrown, custom } = await runRefused(() => new Network("net", { ...args, ...over }));
        expect(error, String(thrown)).toBeDefined();
        expect(error!.message).toMatch(message);
        expect(error!.errors.length).toBeGreaterThan(0);
        expect(custom).toEqual([]);
    });
});

describe("Network with its defaults: the layout worked out from the VPC block", () => {
    const subnets = (r: ComponentRun) =>
        r.ofType("aws:ec2/subnet:Subnet").map((s) => [s.name, s.inputs.cidrBlock, s.inputs.availabilityZone]);

    it("no arguments: 10.0.0.0/16 over the region's first two available zones (no opt-in), subnets carved in the stable layout", async () => {
        let zones: string[] = [];
        const r = await runComponents(async () => {
            const n = new Network("net", {});
            zones = await promiseOf(n.availabilityZones);
        });
        expect(r.error).toBeUndefined();
        expect(r.byName("net-vpc").inputs.cidrBlock).toBe("10.0.0.0/16");
        expect(subnets(r).sort()).toEqual([
            ["net-private-0", "10.0.128.0/24", "ap-northeast-2a"],
            ["net-private-1", "10.0.129.0/24", "ap-northeast-2b"],
            ["net-public-0", "10.0.0.0/24", "ap-northeast-2a"],
            ["net-public-1", "10.0.1.0/24", "ap-northeast-2b"],
        ]);
        expect(zones).toEqual(["ap-northeast-2a", "ap-northeast-2b"]);
        const lookup = r.fake.calls.find((c) => c.token === "aws:index/getAvailabilityZones:getAvailabilityZones")!;
        expect(lookup.inputs).toMatchObject({
            state: "available",
            filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
        });
        // Each zone is kept in a stash of its own (pulumi:index:Stash), so it never moves.
        expect(r.ofType("pulumi:index:Stash").map((s) => s.name)).toEqual(["net-zone-0", "net-zone-1"]);
    });

    it("azCount and a VPC block: as many zones, the same stable slots the program uses", async () => {
        const r = await runComponents(() => void new Network("net", { vpcCidr: "10.20.0.0/22", azCount: 3 }));
        expect(r.error).toBeUndefined();
        expect(
            subnets(r)
                .filter(([name]) => String(name).startsWith("net-private"))
                .sort(),
        ).toEqual([
            ["net-private-0", "10.20.2.0/26", "ap-northeast-2a"],
            ["net-private-1", "10.20.2.64/26", "ap-northeast-2b"],
            ["net-private-2", "10.20.2.128/26", "ap-northeast-2c"],
        ]);
    });

    it("zones once chosen are kept: a later deployment whose region lists other zones moves no subnet, and a new zone takes the next free one", async () => {
        const fake = new OfflineAccount(defaultWorld());
        const first = await runComponentsOn(fake, () => void new Network("net", { azCount: 2 }));
        expect(first.error).toBeUndefined();
        fake.world.zones = ["ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"];
        const later = await runComponentsOn(fake, () => void new Network("net", { azCount: 3 }));
        expect(later.error).toBeUndefined();
        expect(
            subnets(later)
                .filter(([name]) => String(name).startsWith("net-private"))
                .sort(),
        ).toEqual([
            ["net-private-0", "10.0.128.0/24", "ap-northeast-2a"],
            ["net-private-1", "10.0.129.0/24", "ap-northeast-2b"],
            ["net-private-2", "10.0.130.0/24", "ap-northeast-2c"],
        ]);
    });

    it.each<[string, NetworkArgs, RegExp]>([
        ["azCount out of range", { azCount: 7 }, /azCount: 7 is not a whole number from 1 to 6/],
        [
            "azCount against the zones given",
            { azCount: 3, availabilityZones: ["ap-northeast-2a", "ap-northeast-2b"] },
            /azCount: is 3 but availabilityZones lists 2/,
        ],
        [
            "one subnet list without the other",
            { publicSubnetCidrs: ["10.0.0.0/24"] },
            /privateSubnetCidrs: is not set but publicSubnetCidrs is/,
        ],
    ])("refuses %s, creating nothing", async (_label, given, message) => {
        const { error, custom } = await runRefused(() => new Network("net", given));
        expect(error?.message).toMatch(message);
        expect(custom).toEqual([]);
    });
});
