// What `pulumi package add` sees: Pulumi's own TypeScript component host (the ComponentProvider of
// @pulumi/pulumi/provider/experimental) infers the package's schema from this folder's source.
import { beforeAll, describe, expect, it } from "vitest";
import { packageSchema } from "../testing/package-schema";

let schema: any;

beforeAll(async () => {
    schema = await packageSchema();
}, 60_000);

describe("the component package's inferred schema", () => {
    it("names the package and lists exactly Network and Nat, in the index module", () => {
        expect(schema.name).toBe("aligo-sms");
        expect(schema.version).toBe("0.2.0");
        expect(Object.keys(schema.resources).sort()).toEqual(["aligo-sms:index:Nat", "aligo-sms:index:Network"]);
        for (const r of Object.values<any>(schema.resources)) expect(r.isComponent).toBe(true);
    });

    it("describes both resources, and every input, output and type property (what every language's SDK shows as documentation)", () => {
        const undocumented: string[] = [];
        const check = (where: string, props: Record<string, any> | undefined) => {
            for (const [k, p] of Object.entries(props ?? {}))
                if (typeof p.description !== "string" || p.description.trim().length < 5)
                    undocumented.push(`${where}.${k}`);
        };
        for (const token of ["aligo-sms:index:Network", "aligo-sms:index:Nat"]) {
            const r = schema.resources[token];
            if (typeof r.description !== "string" || r.description.length < 40) undocumented.push(token);
            check(`${token} input`, r.inputProperties);
            check(`${token} output`, r.properties);
        }
        for (const [token, t] of Object.entries<any>(schema.types)) {
            check(`${token} property`, t.properties);
            for (const e of t.enum ?? []) if (!e.description) undocumented.push(`${token} value ${e.value}`);
        }
        expect(undocumented).toEqual([]);
        // Enough properties were looked at for the check to mean something.
        const counted = Object.values<any>(schema.resources).reduce(
            (n, r) => n + Object.keys(r.inputProperties).length + Object.keys(r.properties).length,
            0,
        );
        expect(counted).toBeGreaterThan(25);
        expect(Object.keys(schema.types).sort()).toEqual([
            "aligo-sms:index:AwsAssumeRole",
            "aligo-sms:index:AwsIdentity",
            "aligo-sms:index:NatAdoptedInstance",
            "aligo-sms:index:NatInstanceSettings",
            "aligo-sms:index:NatStrategy",
        ]);
        expect(schema.resources["aligo-sms:index:Network"].description).toMatch(
            /^A VPC with public subnets behind an internet gateway/,
        );
    });

    it("Network: its inputs and outputs; nothing is required (the layout is worked out from the VPC block)", () => {
        const n = schema.resources["aligo-sms:index:Network"];
        expect(n.requiredInputs ?? []).toEqual([]);
        expect(n.inputProperties.azCount).toMatchObject({ type: "number", plain: true });
        expect(n.inputProperties.vpcCidr).toMatchObject({ type: "string", plain: true });
        expect(n.inputProperties.availabilityZones).toMatchObject({ type: "array", items: { type: "string" } });
        expect(n.inputProperties.tags).toMatchObject({ type: "object", additionalProperties: { type: "string" } });
        expect(Object.keys(n.properties).sort()).toEqual([
            "availabilityZones",
            "internetGatewayId",
            "privateRouteTableIds",
            "privateSubnetCidrs",
            "privateSubnetIds",
            "publicSubnetIds",
            "vpcId",
        ]);
        expect(n.properties.privateSubnetIds).toMatchObject({ type: "array", items: { type: "string" } });
        for (const p of Object.values<any>(n.properties)) expect(p.description.length).toBeGreaterThan(10);
    });

    it("Nat: a strategy enum, the instance settings as a named type, the outputs", () => {
        const n = schema.resources["aligo-sms:index:Nat"];
        expect(n.requiredInputs.sort()).toEqual([
            "internetGatewayId",
            "privateRouteTableIds",
            "privateSubnetCidrs",
            "publicSubnetId",
            "strategy",
            "vpcId",
        ]);
        expect(n.inputProperties.strategy.$ref).toBe("#/types/aligo-sms:index:NatStrategy");
        expect(schema.types["aligo-sms:index:NatStrategy"]).toMatchObject({
            type: "string",
            enum: [
                expect.objectContaining({ name: "Gateway", value: "gateway" }),
                expect.objectContaining({ name: "Instance", value: "instance" }),
                expect.objectContaining({ name: "None", value: "none" }),
            ],
        });
        expect(n.inputProperties.instance.$ref).toBe("#/types/aligo-sms:index:NatInstanceSettings");
        expect(Object.keys(schema.types["aligo-sms:index:NatInstanceSettings"].properties).sort()).toEqual([
            "adopt",
            "image",
            "imageRefresh",
            "instanceType",
            "keyName",
            "readyTimeoutSeconds",
            "sshCidr",
        ]);
        // Defaults are said in the descriptions every language's SDK shows, on a last line of their own
        // (the reference page, docs/components-reference.md, takes its default column from it).
        expect(schema.types["aligo-sms:index:NatInstanceSettings"].properties.instanceType.description).toMatch(
            /\nDefault: `t3\.nano`\.$/,
        );
        expect(n.inputProperties.egressIpStandby.description).toMatch(/\nDefault: `true`\.$/);
        expect(n.inputProperties.egressIpAllocationIds).toMatchObject({ type: "array", items: { type: "string" } });
        expect(n.inputProperties.egressIpStandby).toMatchObject({ type: "boolean" });
        expect(Object.keys(n.properties).sort()).toEqual([
            "egressIp",
            "egressIps",
            "instanceId",
            "natGatewayId",
            "strategy",
        ]);
        expect(n.properties.strategy.$ref).toBe("#/types/aligo-sms:index:NatStrategy");
        expect(n.required.sort()).toEqual(["egressIps", "strategy"]);
    });
});
