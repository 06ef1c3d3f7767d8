// The Network component built from hand-written arguments (no program, no stack file).
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { runComponents, runRefused } from "../testing/components";
import { promiseOf } from "../offline/engine";
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
