// The NAT instance's readiness gate when the components run in the package's own plugin (a program
// in any language, through `pulumi package add`): a resource of the package's provider, served by
// components/provider.ts with the gate's own functions, on inputs in the form the engine sends them
// (secrets wrapped), against a fake EC2 on 127.0.0.1. Imported by a TypeScript program, the gate
// stays the dynamic resource it was.
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeEc2ForTests } from "../fakes/ec2";
import { TEST_REGION } from "../fakes/sigv4";
import { runComponents } from "../testing/components";
import { packageProvider } from "../testing/package-schema";
import { markHosted } from "./hosted-mode";
import * as pkg from "./index";
import { Nat, NatStrategy, type NatArgs } from "./nat";
import { PackageProvider, unwrapSecrets } from "./provider";

const { ec2 } = fakeEc2ForTests({ beforeAll, afterAll, beforeEach });
// Workers keep modules from file to file: the mode goes back to "imported" after every test.
afterEach(() => markHosted(false));

const ID = "i-0123456789abcdef0";
const GATE = "aligo-sms:index:NatReadiness";
const URN = `urn:pulumi:dev::consumer::aligo-sms:index:Nat$${GATE}::egress-instance-72f5744d-ready`;
/** A key pair only the gate's identity holds: the fake EC2 takes it and nothing else. */
const IDENTITY_KEYS = { accessKeyId: "AKIDIDENTITYONLYTEST", secretAccessKey: "identity/only/secret/for/tests" };
const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

const natArgs: NatArgs = {
    strategy: NatStrategy.Instance,
    vpcId: "vpc-0123456789abcdef0",
    publicSubnetId: "subnet-0aaaaaaaaaaaaaaa1",
    internetGatewayId: "igw-0123456789abcdef0",
    privateRouteTableIds: ["rtb-0aaaaaaaaaaaaaaa1"],
    privateSubnetCidrs: ["10.42.128.0/24"],
    awsIdentity: { accessKey: IDENTITY_KEYS.accessKeyId, secretKey: pulumi.secret(IDENTITY_KEYS.secretAccessKey) },
};

const provider = () =>
    new PackageProvider(
        new ComponentProvider({
            name: "aligo-sms",
            dirname: join(__dirname),
            components: getPulumiComponents(pkg),
        }),
    );

describe("the gate's form follows where the components run", () => {
    it.each([
        ["hosted in the package's plugin: a resource of the package's own provider", true, GATE],
        [
            "imported by a TypeScript program: the dynamic resource, as before",
            false,
            "pulumi-nodejs:dynamic:NatReadiness",
        ],
    ])("%s", async (_, hosted, type) => {
        markHosted(hosted);
        const r = await runComponents(() => {
            new Nat("egress", natArgs);
        });
        expect(r.error).toBeUndefined();
        const gates = r.resources.filter((x) => x.type.endsWith(":NatReadiness"));
        expect(gates.map((g) => [g.type, g.name])).toEqual([
            [type, expect.stringMatching(/^egress-instance-[0-9a-f]{8}-ready$/)],
        ]);
        const [gate] = gates;
        expect(gate.custom).toBe(true);
        expect(gate.parent).toBe(r.byName("egress").urn);
        expect(gate.inputs).toMatchObject({
            instanceId: r.ofType("aws:ec2/instance:Instance")[0].id,
            region: TEST_REGION,
            timeoutSeconds: 600,
            identity: { accessKey: IDENTITY_KEYS.accessKeyId, secretKey: IDENTITY_KEYS.secretAccessKey },
        });
        expect(gate.secretInputs).toEqual(["identity"]);
        // The address binding still waits for it.
        expect(r.ofType("aws:ec2/eipAssociation:EipAssociation")[0].dependencies).toContain(gate.urn);
        expect(r.resources.some((x) => x.type.startsWith("pulumi-nodejs:dynamic:"))).toBe(!hosted);
    });
});

describe("the package's provider serves the gate (wire-form inputs, a fake EC2)", () => {
    it("create unwraps the secret identity, calls EC2 as it, and returns the outputs without it; a secret input stays secret", async () => {
        ec2.accepts = () => [IDENTITY_KEYS];
        ec2.instances.set(ID, [{ state: "running", instance: "ok", system: "ok" }]);
        const inputs = {
            instanceId: ID,
            region: secret(TEST_REGION),
            identity: secret({
                accessKey: IDENTITY_KEYS.accessKeyId,
                secretKey: secret(IDENTITY_KEYS.secretAccessKey),
            }),
            timeoutSeconds: 60,
        };
        const made = await provider().create(URN, inputs);
        expect(made.id).toBe(`${ID}-ready`);
        expect(made.outs).toMatchObject({
            instanceId: ID,
            region: secret(TEST_REGION),
            timeoutSeconds: 60,
            readings: 1,
        });
        expect(Object.keys(made.outs as object)).not.toContain("identity");
        expect(JSON.stringify(made.outs)).not.toContain(IDENTITY_KEYS.secretAccessKey);
        expect(ec2.requests.map((q) => [q.action, q.accessKeyId])).toEqual([
            ["DescribeInstanceStatus", IDENTITY_KEYS.accessKeyId],
        ]);
    });

    it("create fails with the gate's own diagnosis", async () => {
        ec2.instances.set(ID, [{ state: "running", instance: "impaired", system: "ok" }]);
        await expect(
            provider().create(URN, { instanceId: ID, region: TEST_REGION, timeoutSeconds: 60 }),
        ).rejects.toThrow(/^NAT instance i-0123456789abcdef0 \(ap-northeast-2\) failed its EC2 instance status check/);
    });

    it.each([
        ["another instance", { instanceId: "i-0fedcba9876543210" }, { changes: true, replaces: ["instanceId"] }],
        ["the same instance, sent as a secret", { instanceId: secret(ID) }, { changes: false, replaces: [] }],
        [
            "another identity, region or timeout",
            { region: "us-east-1", timeoutSeconds: 900, identity: secret({ profile: "ops" }) },
            { changes: false, replaces: [] },
        ],
    ])("diff: %s", async (_, change, expected) => {
        const olds = { instanceId: ID, region: TEST_REGION, timeoutSeconds: 600, readings: 1 };
        const news = { instanceId: ID, region: TEST_REGION, identity: secret({}), timeoutSeconds: 600, ...change };
        expect(await provider().diff(`${ID}-ready`, URN, olds, news)).toEqual(expected);
    });

    it("check keeps the inputs as sent (secrets wrapped); read and delete touch nothing; another type is refused", async () => {
        const p = provider();
        const news = { instanceId: ID, region: TEST_REGION, identity: secret({ profile: "ops" }) };
        expect(await p.check(URN, {}, news)).toEqual({ inputs: news });
        expect(await p.read(`${ID}-ready`, URN, { instanceId: ID })).toEqual({
            id: `${ID}-ready`,
            props: { instanceId: ID },
        });
        await p.delete(`${ID}-ready`, URN, { instanceId: ID });
        expect(ec2.requests).toEqual([]);
        const other = "urn:pulumi:dev::consumer::aligo-sms:index:Other::x";
        await expect(p.create(other, {})).rejects.toThrow(
            /The aligo-sms provider has no resource type aligo-sms:index:Other/,
        );
    });

    it("unwrapSecrets removes wrappers at any depth and leaves everything else", () => {
        expect(unwrapSecrets({ a: secret({ b: [secret("x"), 1] }), c: null, d: "y" })).toEqual({
            a: { b: ["x", 1] },
            c: null,
            d: "y",
        });
    });

    it("schema and components come from Pulumi's component host: Network and Nat, version 0.2.0", async () => {
        // What plugin.ts hands the host: the components the package's entry exports.
        expect(getPulumiComponents(pkg).map((c) => c.name)).toEqual(["Network", "Nat"]);
        const components = await packageProvider();
        const p = new PackageProvider(components);
        expect(p.version).toBe("0.2.0");
        const schema = JSON.parse(await p.getSchema()) as { resources: Record<string, unknown> };
        expect(Object.keys(schema.resources).sort()).toEqual(["aligo-sms:index:Nat", "aligo-sms:index:Network"]);
    }, 60_000);
});
