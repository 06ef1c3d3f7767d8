// The policy pack without an engine, over the real program: the whole pack over the mocked graph of
// every strategy (no violations) and over deliberately broken graphs (each fires). Each rule on
// hand-made graphs is tested in the pack itself (policy/*.test.ts: `npm test` there, and in this suite).
import type { PolicyResource } from "@pulumi/policy";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runProgram, type Recorded } from "./harness";
import { policies } from "../policy/policies";
import { defaultRouteOf, T } from "../policy/rules";

/** isType/asType are part of PolicyResource; the rules do not use them. */
const unused = {
    isType: () => {
        throw new Error("not used by the rules");
    },
    asType: () => {
        throw new Error("not used by the rules");
    },
} as unknown as Pick<PolicyResource, "isType" | "asType">;

/** The mocked program's graph as the policy engine would present it. */
function asPolicyResources(recorded: Recorded[], region = "ap-northeast-2"): PolicyResource[] {
    const provider = { type: "pulumi:providers:aws", props: { region }, urn: "urn:provider", name: "default" };
    const byUrn = new Map<string, PolicyResource>();
    for (const r of recorded.filter((x) => x.custom)) {
        byUrn.set(r.urn, {
            ...unused,
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: clonePlain(r.state),
            opts: {} as never,
            provider,
            dependencies: [],
            propertyDependencies: {},
        });
    }
    for (const r of recorded.filter((x) => x.custom)) {
        const res = byUrn.get(r.urn)!;
        res.dependencies = r.dependencies.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
        for (const [prop, urns] of Object.entries(r.propertyDependencies)) {
            res.propertyDependencies[prop] = urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
        }
    }
    return [...byUrn.values()];
}

/** A deep copy of plain data (assets and other objects are shared), so a test can break it. */
function clonePlain(v: any): any {
    if (Array.isArray(v)) return v.map(clonePlain);
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype)
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clonePlain(x)]));
    return v;
}

interface Violation {
    policy: string;
    level: string;
    message: string;
    urn?: string;
}

async function runPack(resources: PolicyResource[]): Promise<Violation[]> {
    const out: Violation[] = [];
    for (const p of policies) {
        await p.validateStack(
            {
                resources,
                stackTags: new Map(),
                getConfig: () => ({}) as never,
                notApplicable: () => {
                    throw new Error("n/a");
                },
            },
            (message, urn) => {
                out.push({ policy: p.name, level: String(p.enforcementLevel), message, urn });
            },
        );
    }
    return out;
}

const graph = async (config: Record<string, string> = {}, stack: "dev" | "prod" = "dev") => {
    // One NAT per zone holds four addresses: more than the default quota leaves beside the test account's two.
    const r = await runProgram({ stack, config, ...(config.natPerAz === "true" ? { world: { eipQuota: 20 } } : {}) });
    if (r.error) throw r.error;
    return asPolicyResources(r.resources);
};
const find = (all: PolicyResource[], name: string) => all.find((r) => r.name === name)!;
/** The NAT instance: its logical name carries its generation (nat-instance-<8 hex>). */
const natInstance = (all: PolicyResource[]) => all.find((r) => /^nat-instance-[0-9a-f]{8}$/.test(r.name))!;
const mandatory = (v: Violation[]) => v.filter((x) => x.level === "mandatory");

describe("the whole pack over the real program's graphs", () => {
    it.each([
        ["gateway", {}],
        ["instance", {}],
        ["none", {}],
        ["instance with fck-nat", { natImage: "fck-nat", natInstanceType: "t4g.nano" }],
        ["instance with SSH", { natKeyName: "ops", natSshCidr: "203.0.113.7/32" }],
        ["gateway, one per zone", { natPerAz: "true" }],
        ["instance, one per zone", { natPerAz: "true" }],
    ])("nat=%s: no mandatory violation", async (label, extra) => {
        const nat = label.split(/[ ,]/)[0];
        expect(mandatory(await runPack(await graph({ nat, ...extra })))).toEqual([]);
    });

    it("advises on the NAT gateway's monthly cost, with the Seoul figures", async () => {
        const v = (await runPack(await graph({}, "prod"))).filter((x) => x.policy === "nat-gateway-monthly-cost");
        expect(v).toHaveLength(1);
        expect(v[0].message).toMatch(
            /^NAT gateway nat-gateway bills 43\.07 USD\/month idle in ap-northeast-2 \(730 h × 0\.059\), plus 0\.059 USD per GB processed/,
        );
    });

    it("advises on the end-of-life vpc-nat image, and not on fck-nat", async () => {
        expect(
            (await runPack(await graph({ nat: "instance" }))).filter((x) => x.policy === "nat-image-end-of-life"),
        ).toHaveLength(1);
        expect(
            (await runPack(await graph({ nat: "instance", natImage: "fck-nat", natInstanceType: "t4g.nano" }))).filter(
                (x) => x.policy === "nat-image-end-of-life",
            ),
        ).toEqual([]);
    });
});

describe("the rules see the real graph's references", () => {
    it.each([
        ["gateway", "nat"],
        ["instance", "nat"],
        ["none", "none"],
        ["instance, one per zone", "nat"],
        ["gateway, one per zone", "nat"],
    ])("nat=%s: each Lambda's subnets are found, and their default route is %s", async (label, expected) => {
        const nat = label.split(",")[0];
        const all = await graph({ nat, ...(label.includes("per zone") ? { natPerAz: "true" } : {}) });
        for (const name of ["functions-sms", "functions-warmer"]) {
            const subnets = find(all, name).propertyDependencies.vpcConfig.filter((d) => d.type === T.subnet);
            expect(subnets.map((x) => x.name)).toEqual(["network-private-0", "network-private-1"]);
            for (const subnet of subnets) expect(defaultRouteOf(subnet, all)).toBe(expected);
        }
        expect(defaultRouteOf(find(all, "network-public-0"), all)).toBe("internet-gateway");
    });
});

describe("deliberately broken graphs: each rule fires", () => {
    const breaks: [string, string, Record<string, string>, (all: PolicyResource[]) => void, RegExp][] = [
        [
            "Lambda in a public subnet",
            "lambda-private-subnet-behind-nat",
            { nat: "gateway" },
            (all) => {
                const fn = find(all, "functions-sms");
                fn.propertyDependencies.vpcConfig = [
                    find(all, "network-public-0"),
                    find(all, "network-public-1"),
                    find(all, "functions-lambda-sg"),
                ];
            },
            /Lambda functions-sms is attached to network-public-0, a public subnet .* every call out times out/,
        ],
        [
            "Lambda outside any VPC",
            "lambda-private-subnet-behind-nat",
            { nat: "gateway" },
            (all) => {
                const fn = find(all, "functions-warmer");
                delete fn.props.vpcConfig;
                fn.propertyDependencies.vpcConfig = [];
            },
            /Lambda functions-warmer is not in a VPC/,
        ],
        [
            "role without VPC access",
            "lambda-role-can-manage-enis",
            { nat: "gateway" },
            (all) => {
                find(all, "functions-sms-vpc").props.policyArn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
            },
            /Lambda functions-sms's role functions-sms-role cannot manage network interfaces/,
        ],
        [
            "NAT instance with source/dest check on",
            "nat-instance-forwards",
            { nat: "instance" },
            (all) => {
                natInstance(all).props.sourceDestCheck = true;
            },
            /NAT instance nat-instance-[0-9a-f]{8} has source\/dest check on/,
        ],
        [
            "NAT instance in a private subnet",
            "nat-instance-forwards",
            { nat: "instance" },
            (all) => {
                natInstance(all).propertyDependencies.subnetId = [find(all, "network-private-0")];
            },
            /NAT instance nat-instance-[0-9a-f]{8} is in network-private-0, which is not a public subnet/,
        ],
        [
            "NAT security group open to the world",
            "nat-instance-sg-not-open",
            { nat: "instance" },
            (all) => {
                find(all, "nat-instance-sg").props.ingress.push({
                    protocol: "-1",
                    fromPort: 0,
                    toPort: 0,
                    cidrBlocks: ["0.0.0.0/0"],
                });
            },
            /Security group nat-instance-sg of NAT instance nat-instance-[0-9a-f]{8} admits all traffic from anywhere/,
        ],
        [
            "NAT security group admitting nothing",
            "nat-instance-sg-not-open",
            { nat: "instance" },
            (all) => {
                find(all, "nat-instance-sg").props.ingress = [];
            },
            /admits nothing: the private subnets' traffic is rejected/,
        ],
        [
            "warmer may invoke anything",
            "warmer-invokes-one-function",
            { nat: "gateway" },
            (all) => {
                find(all, "functions-warmer-invoke").props.policy = JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: "*" }],
                });
            },
            /functions-warmer-invoke allows invoking \*/,
        ],
        [
            "the API key copied back into the function's environment",
            "lambda-environment-holds-no-secret",
            { nat: "gateway" },
            (all) => {
                const key = find(all, "functions-aligo-api-key").props.value;
                find(all, "functions-sms").props.environment.variables.ALIGO_KEY_COPY = key;
            },
            /Lambda functions-sms's environment variable ALIGO_KEY_COPY holds the value of an SSM SecureString parameter of this stack/,
        ],
        [
            "a credential in plain text in the environment",
            "lambda-environment-holds-no-secret",
            { nat: "gateway" },
            (all) => {
                find(all, "functions-warmer").props.environment.variables.PARTNER_API_KEY = "abc123";
            },
            /Lambda functions-warmer's environment variable PARTNER_API_KEY looks like a credential held in plain text/,
        ],
        [
            "warmer with AWSLambdaRole",
            "warmer-invokes-one-function",
            { nat: "gateway" },
            (all) => {
                find(all, "functions-warmer-basic").props.policyArn =
                    "arn:aws:iam::aws:policy/service-role/AWSLambdaRole";
            },
            /functions-warmer-basic attaches AWSLambdaRole: the role may invoke every function/,
        ],
    ];

    it.each(breaks)("%s → %s", async (_label, policyName, config, breakIt, message) => {
        const all = await graph(config);
        breakIt(all);
        const fired = mandatory(await runPack(all));
        expect(fired.map((v) => v.policy)).toContain(policyName);
        expect(fired.find((v) => v.policy === policyName)!.message).toMatch(message);
    });
});

describe("the pack's NAT gateway prices", () => {
    it("come from the one price table: the pack's copy is the program's, byte for byte (npm run sync-prices writes it)", () => {
        const read = (path: string) => readFileSync(join(__dirname, "..", path), "utf8");
        expect(read("policy/price-table.json")).toBe(read("program/cost/price-table.json"));
    });

    it("cover every region the program prices, with the same figures and hours per month", async () => {
        const { NAT_GATEWAY_PRICES, HOURS_PER_MONTH } = await import("../policy/prices");
        const program = await import("../program/cost/prices");
        expect(program.HOURS_PER_MONTH).toBe(HOURS_PER_MONTH);
        expect(Object.keys(NAT_GATEWAY_PRICES).sort()).toEqual(Object.keys(program.PRICES).sort());
        for (const [region, p] of Object.entries(NAT_GATEWAY_PRICES)) {
            expect(program.PRICES[region].natGatewayHour, region).toMatchObject({ usd: p.hour, source: p.source });
            expect(program.PRICES[region].natGatewayGb.usd, region).toBe(p.gb);
        }
    });
});

describe("the pack's own tests", () => {
    const read = (path: string) => readFileSync(join(__dirname, "..", path), "utf8");
    it("run from policy/ alone: `npm test` there is vitest over its *.test.ts, a devDependency at the repository's version, in its lock file", () => {
        const pkg = JSON.parse(read("policy/package.json")) as {
            scripts?: Record<string, string>;
            devDependencies: Record<string, string>;
        };
        const root = JSON.parse(read("package.json")) as { devDependencies: Record<string, string> };
        const lock = JSON.parse(read("policy/package-lock.json")) as {
            packages: Record<string, { version?: string; devDependencies?: Record<string, string> }>;
        };
        expect(pkg.scripts?.test).toBe("vitest run");
        expect(pkg.devDependencies.vitest).toBe(root.devDependencies.vitest);
        expect(lock.packages[""].devDependencies?.vitest).toBe(pkg.devDependencies.vitest);
        expect(lock.packages["node_modules/vitest"]?.version).toBe(pkg.devDependencies.vitest);
        // The rule tests live in the pack (this suite runs them as well: vitest.config.mts includes policy/).
        expect(readdirSync(join(__dirname, "..", "policy")).filter((f) => f.endsWith(".test.ts"))).not.toEqual([]);
    });
});
