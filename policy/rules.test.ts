// The pack's rules on hand-made graphs, without an engine or the program: `npm test` in policy/ runs
// these alone (with the pack's own dependencies), and the repository's suite runs them too. The
// whole pack over the real program's graphs is in the repository's test/policy.test.ts.
import type { PolicyResource } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { policies } from "./policies";
import { HOURS_PER_MONTH, NAT_GATEWAY_PRICES, idleMonth } from "./prices";
import { T, defaultRouteOf, invokeScopedToOneFunction, lambdaEnvironmentHoldsNoSecret, natGatewayCost } from "./rules";

/** isType/asType are part of PolicyResource; the rules do not use them. */
const unused = {
    isType: () => {
        throw new Error("not used by the rules");
    },
    asType: () => {
        throw new Error("not used by the rules");
    },
} as unknown as Pick<PolicyResource, "isType" | "asType">;

/** A resource as the policy engine presents it, its references given as property dependencies. */
const res = (
    type: string,
    name: string,
    props: Record<string, unknown> = {},
    deps: Record<string, PolicyResource[]> = {},
    region?: string,
): PolicyResource => ({
    ...unused,
    type,
    name,
    urn: `urn:${name}`,
    props,
    opts: {} as never,
    dependencies: Object.values(deps).flat(),
    propertyDependencies: deps,
    ...(region ? { provider: { type: "pulumi:providers:aws", props: { region }, urn: "urn:p", name: "default" } } : {}),
});

/** What a rule reports for these resources. */
const reported = (rule: (all: PolicyResource[], report: (m: string) => void) => void, all: PolicyResource[]) => {
    const messages: string[] = [];
    rule(all, (m) => messages.push(m));
    return messages;
};

describe("rules on hand-made graphs", () => {
    it("a parameter's name (ALIGO_API_KEY_PARAMETER) or a store ARN is not a secret", () => {
        const fn = res(T.fn, "f", {
            environment: {
                variables: {
                    ALIGO_API_KEY_PARAMETER: "/aligo-sms/prod/aligo-api-key",
                    DB_PASSWORD_SECRET: "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:db",
                },
            },
        });
        expect(reported(lambdaEnvironmentHoldsNoSecret, [fn])).toEqual([]);
    });

    it("a credential in plain text is one", () => {
        const fn = res(T.fn, "f", { environment: { variables: { PARTNER_API_KEY: "abc123" } } });
        expect(reported(lambdaEnvironmentHoldsNoSecret, [fn])).toEqual([
            expect.stringMatching(/^Lambda f's environment variable PARTNER_API_KEY looks like a credential/),
        ]);
    });

    it("reads a subnet's default route through its association and table, ids unknown (a first preview)", () => {
        const subnet = res(T.subnet, "s");
        const rt = res("aws:ec2/routeTable:RouteTable", "rt");
        const igw = res(T.igw, "igw");
        const gw = res(T.natGateway, "gw");
        const rta = res(T.rta, "rta", {}, { subnetId: [subnet], routeTableId: [rt] });
        const route = (props: Record<string, unknown>, target: Record<string, PolicyResource[]>) =>
            res(T.route, "r", props, { routeTableId: [rt], ...target });
        expect(defaultRouteOf(subnet, [subnet, rt, rta])).toBe("none");
        expect(
            defaultRouteOf(subnet, [
                subnet,
                rt,
                rta,
                route({ destinationCidrBlock: "0.0.0.0/0" }, { gatewayId: [igw] }),
            ]),
        ).toBe("internet-gateway");
        expect(
            defaultRouteOf(subnet, [
                subnet,
                rt,
                rta,
                route({ destinationCidrBlock: "0.0.0.0/0" }, { natGatewayId: [gw] }),
            ]),
        ).toBe("nat");
        expect(
            defaultRouteOf(subnet, [
                subnet,
                rt,
                rta,
                route({ destinationCidrBlock: "10.1.0.0/16" }, { gatewayId: [igw] }),
            ]),
        ).toBe("none");
    });

    it.each([
        [["arn:aws:lambda:ap-northeast-2:1:function:sms", "arn:aws:lambda:ap-northeast-2:1:function:sms:*"], []],
        [
            ["arn:aws:lambda:ap-northeast-2:1:function:sms", "arn:aws:lambda:ap-northeast-2:1:function:other"],
            [/allows invoking 2 functions/],
        ],
        [
            ["arn:aws:lambda:ap-northeast-2:1:function:*"],
            [/allows invoking arn:aws:lambda:ap-northeast-2:1:function:\*/],
        ],
        [["arn:aws:lambda:*:1:function:sms"], [/allows invoking arn:aws:lambda:\*:1:function:sms/]],
        ["*", [/allows invoking \*/]],
    ])("invoke scope of %j", (resource, expected) => {
        const policy = res(T.rolePolicy, "p", {
            policy: JSON.stringify({
                Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: resource }],
            }),
        });
        const messages = reported(invokeScopedToOneFunction, [policy]);
        expect(messages).toHaveLength(expected.length);
        expected.forEach((re, i) => expect(messages[i]).toMatch(re));
    });

    it("judges an unknown policy document by the functions it was built from", () => {
        const a = res(T.fn, "a");
        const b = res(T.fn, "b");
        expect(reported(invokeScopedToOneFunction, [res(T.rolePolicy, "p", {}, { policy: [a, b] })])).toEqual([
            "p is built from 2 functions' ARNs; the warmer's policy should name one.",
        ]);
    });
});

describe("the NAT gateway cost advisory", () => {
    it("gives the region's own figures: 730 h at its hourly price, and its price per GB", () => {
        const [message] = reported(natGatewayCost, [res(T.natGateway, "gw", {}, {}, "ap-northeast-2")]);
        expect(message).toMatch(
            /^NAT gateway gw bills 43\.07 USD\/month idle in ap-northeast-2 \(730 h × 0\.059\), plus 0\.059 USD per GB processed, whether anything uses it or not\./,
        );
    });

    it.each([
        ["a region the pack has no price for", "eu-west-1", "its price in eu-west-1 is unknown to this pack"],
        [
            "a provider without a region",
            undefined,
            "its price in its region (not readable from its provider) is unknown",
        ],
    ])("%s: the price is unknown, and no other region's figure stands in for it", (_label, region, says) => {
        const [message] = reported(natGatewayCost, [res(T.natGateway, "gw", {}, {}, region)]);
        expect(message).toContain(says);
        expect(message).toContain("(it has prices for ap-northeast-2, us-east-1)");
        expect(message).not.toMatch(/\d+\.\d\d USD\/month/);
    });

    it("prices an idle month at 730 hours, to the cent", () => {
        expect(HOURS_PER_MONTH).toBe(730);
        expect(idleMonth({ hour: 0.045, gb: 0.045, source: "" })).toEqual({ usd: 32.85, quantity: "730 h × 0.045" });
        expect(NAT_GATEWAY_PRICES["ap-northeast-2"]).toMatchObject({ hour: 0.059, gb: 0.059 });
    });
});

describe("the pack", () => {
    it("has the mandatory rules and the two advisories, each named once", () => {
        const levels = Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel]));
        expect(policies).toHaveLength(Object.keys(levels).length);
        expect(levels).toEqual({
            "lambda-private-subnet-behind-nat": "mandatory",
            "lambda-role-can-manage-enis": "mandatory",
            "nat-instance-forwards": "mandatory",
            "nat-instance-sg-not-open": "mandatory",
            "warmer-invokes-one-function": "mandatory",
            "lambda-environment-holds-no-secret": "mandatory",
            "nat-gateway-monthly-cost": "advisory",
            "nat-image-end-of-life": "advisory",
        });
    });
});
