// The components as a Python, Go, .NET or YAML program gets them through `pulumi package add`:
// the engine sends the caller's inputs over gRPC, Pulumi's provider server turns them into
// arguments (deserializeInputs: a value with dependencies or a secret becomes an Output, an output
// value stays one), and the TypeScript component host constructs the component and returns the
// outputs its schema lists. Here the same functions run on inputs in their wire form.
import * as pulumi from "@pulumi/pulumi";
import type { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { dirname } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runComponents, type ComponentRun } from "../testing/components";
import { resolveDeep } from "../offline/engine";
import { packageProvider } from "../testing/package-schema";

/* eslint-disable @typescript-eslint/no-require-imports */
const rpc = require("@pulumi/pulumi/runtime/rpc");
const { deserializeInputs } = require("@pulumi/pulumi/provider/server");
const { Struct } = require(
    require.resolve("google-protobuf/google/protobuf/struct_pb", {
        paths: [dirname(require.resolve("@pulumi/pulumi/package.json"))],
    }),
);
/* eslint-enable @typescript-eslint/no-require-imports */

const VPC = "urn:pulumi:test::consumer::aligo-sms:index:Network$aws:ec2/vpc:Vpc::net-vpc";
const RT = (i: number) =>
    `urn:pulumi:test::consumer::aligo-sms:index:Network$aws:ec2/routeTable:RouteTable::net-private-${i}-rt`;

/** An output value as an SDK that supports them (all current ones) sends it. */
const outputValue = (value: unknown, urn: string, secret = false) => ({
    [rpc.specialSigKey]: rpc.specialOutputValueSig,
    value,
    dependencies: [urn],
    ...(secret ? { secret: true } : {}),
});
const secret = (value: unknown) => ({ [rpc.specialSigKey]: rpc.specialSecretSig, value });

interface Wire {
    inputs: Record<string, unknown>;
    /** Per input, the URNs the caller said it depends on. */
    deps?: Record<string, string[]>;
}

let provider: ComponentProvider;
beforeAll(async () => {
    provider = await packageProvider();
}, 60_000);

/** Constructs `type` from inputs in wire form, as the host does; returns the run and the outputs the host sends back. */
async function construct(
    type: string,
    wire: Wire,
): Promise<{ r: ComponentRun; state: Record<string, unknown>; thrown?: unknown }> {
    let state: Record<string, unknown> = {};
    let thrown: unknown;
    const r = await runComponents(async () => {
        const deps = new Map(Object.entries(wire.deps ?? {}).map(([k, urns]) => [k, { getUrnsList: () => urns }]));
        const inputs = await deserializeInputs(Struct.fromJavaScript(wire.inputs), deps);
        try {
            const result = await provider.construct("egress", type, inputs, {});
            state = await resolveDeep(result.state);
        } catch (e) {
            thrown = e;
        }
    });
    return { r, state, thrown };
}

const natWire = (over: Record<string, unknown> = {}): Wire => ({
    inputs: {
        strategy: "instance",
        vpcId: outputValue("vpc-0123456789abcdef0", VPC),
        publicSubnetId: outputValue("subnet-0aaaaaaaaaaaaaaa1", VPC),
        internetGatewayId: outputValue("igw-0123456789abcdef0", VPC),
        privateRouteTableIds: [
            outputValue("rtb-0aaaaaaaaaaaaaaa1", RT(0)),
            outputValue("rtb-0aaaaaaaaaaaaaaa2", RT(1)),
        ],
        privateSubnetCidrs: ["10.42.128.0/24", "10.42.129.0/24"],
        instance: { instanceType: "t4g.nano", image: "fck-nat" },
        ...over,
    },
});

describe("Nat through the component host (another language's program)", () => {
    it("builds from output values and plain settings, and returns every output the schema lists", async () => {
        const { r, state, thrown } = await construct("aligo-sms:index:Nat", natWire());
        expect(thrown).toBeUndefined();
        expect(r.byName("egress").type).toBe("aligo-sms:index:Nat");
        const [instance] = r.ofType("aws:ec2/instance:Instance");
        expect(instance.inputs).toMatchObject({ instanceType: "t4g.nano", ami: "ami-0f0f0f0f0f0f00001" });
        const routes = r.ofType("aws:ec2/route:Route");
        expect(routes.map((x) => x.inputs.routeTableId)).toEqual(["rtb-0aaaaaaaaaaaaaaa1", "rtb-0aaaaaaaaaaaaaaa2"]);
        // The caller's dependencies travel with the values.
        expect(routes[1].propertyDependencies.routeTableId).toEqual([RT(1)]);
        expect(Object.keys(state).sort()).toEqual(["egressIp", "egressIps", "instanceId", "natGatewayId", "strategy"]);
        expect(state).toMatchObject({
            strategy: "instance",
            instanceId: instance.id,
            egressIp: r.byName("egress-instance-eip").state.publicIp,
        });
        expect(state.egressIps).toHaveLength(2);
    });

    it("null is 'not set': an instance with every default", async () => {
        const { r, thrown } = await construct(
            "aligo-sms:index:Nat",
            natWire({ instance: null, egressIpAllocationIds: null }),
        );
        expect(thrown).toBeUndefined();
        expect(r.ofType("aws:ec2/instance:Instance")[0].inputs.instanceType).toBe("t3.nano");
    });

    it("a gateway from a YAML-style call: every value plain, the enum as its string", async () => {
        const { r, state, thrown } = await construct(
            "aligo-sms:index:Nat",
            natWire({
                strategy: "gateway",
                vpcId: "vpc-0123456789abcdef0",
                publicSubnetId: "subnet-0aaaaaaaaaaaaaaa1",
                internetGatewayId: "igw-0123456789abcdef0",
                privateRouteTableIds: ["rtb-0aaaaaaaaaaaaaaa1"],
                egressIpStandby: false,
            }),
        );
        expect(thrown).toBeUndefined();
        expect(r.ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(1);
        expect(state.natGatewayId).toBe(r.byName("egress-gateway").id);
        expect(state.egressIps).toHaveLength(1);
    });

    it.each<[string, Wire, string, RegExp]>([
        [
            "the route tables as one output (their count unknown when the program runs)",
            {
                ...natWire(),
                deps: { privateRouteTableIds: [RT(0), RT(1)] },
                inputs: {
                    ...natWire().inputs,
                    privateRouteTableIds: ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0aaaaaaaaaaaaaaa2"],
                },
            },
            "privateRouteTableIds",
            /is an output of another resource or a secret, but it must be a list known when the program runs \(one default route is made per table; pass a list with one value per table/,
        ],
        [
            "the strategy as a secret",
            natWire({ strategy: secret("gateway") }),
            "strategy",
            /is an output of another resource or a secret, but it must be a string known when the program runs/,
        ],
        [
            "a strategy in the wrong case",
            natWire({ strategy: "Gateway" }),
            "strategy",
            /"Gateway" is not one of gateway, instance, none/,
        ],
        [
            "a number where a list belongs",
            natWire({ egressIpAllocationIds: 2 }),
            "egressIpAllocationIds",
            /is number; expected a list of strings/,
        ],
        [
            "an allocation id from another resource's output",
            natWire({ egressIpAllocationIds: [outputValue("eipalloc-0aaaaaaaaaaaaaaa1", VPC)] }),
            "egressIpAllocationIds",
            /must be a list of strings known when the program runs/,
        ],
        [
            "the wait as a string",
            natWire({ instance: { readyTimeoutSeconds: "600" } }),
            "instance.readyTimeoutSeconds",
            /is the string "600"; expected a number/,
        ],
        [
            "a route table listed twice",
            natWire({ privateRouteTableIds: ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0aaaaaaaaaaaaaaa1"] }),
            "privateRouteTableIds[1]",
            /listed twice/,
        ],
    ])("refuses %s with an error naming the property", async (_label, wire, property, reason) => {
        const { r, thrown } = await construct("aligo-sms:index:Nat", wire);
        expect(pulumi.InputPropertiesError.isInstance(thrown)).toBe(true);
        expect((thrown as pulumi.InputPropertiesError).errors).toContainEqual(
            expect.objectContaining({ propertyPath: property, reason: expect.stringMatching(reason) }),
        );
        expect(r.resources.filter((x) => x.custom)).toEqual([]);
    });
});

describe("Network through the component host", () => {
    const inputs = {
        vpcCidr: "10.42.0.0/16",
        availabilityZones: ["ap-northeast-2a", "ap-northeast-2c"],
        publicSubnetCidrs: ["10.42.0.0/24", "10.42.1.0/24"],
        privateSubnetCidrs: ["10.42.128.0/24", "10.42.129.0/24"],
    };

    it("builds and returns its outputs", async () => {
        const { r, state, thrown } = await construct("aligo-sms:index:Network", { inputs });
        expect(thrown).toBeUndefined();
        expect(r.ofType("aws:ec2/subnet:Subnet")).toHaveLength(4);
        expect(Object.keys(state).sort()).toEqual([
            "availabilityZones",
            "internetGatewayId",
            "privateRouteTableIds",
            "privateSubnetCidrs",
            "privateSubnetIds",
            "publicSubnetIds",
            "vpcId",
        ]);
        expect(state.privateRouteTableIds).toEqual([
            r.byName("egress-private-0-rt").id,
            r.byName("egress-private-1-rt").id,
        ]);
    });

    it("refuses zones that come from a look-up's output (one subnet pair is made per zone)", async () => {
        const { r, thrown } = await construct("aligo-sms:index:Network", {
            inputs,
            deps: { availabilityZones: ["urn:pulumi:test::consumer::pulumi:pulumi:Stack::consumer-test"] },
        });
        expect(pulumi.InputPropertiesError.isInstance(thrown)).toBe(true);
        expect((thrown as pulumi.InputPropertiesError).errors).toEqual([
            expect.objectContaining({
                propertyPath: "availabilityZones",
                reason: expect.stringMatching(/one subnet pair is made per zone/),
            }),
        ]);
        expect(r.resources.filter((x) => x.custom)).toEqual([]);
    });
});
