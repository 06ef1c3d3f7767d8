import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CidrError, carveSubnets, contains, formatCidr, isRfc1918, overlaps, parseCidr } from "./cidr";

describe("parseCidr", () => {
    it.each([
        ["10.0.0.0/16", "10.0.0.0/16"],
        ["0.0.0.0/0", "0.0.0.0/0"],
        ["192.168.1.128/25", "192.168.1.128/25"],
        ["255.255.255.255/32", "255.255.255.255/32"],
    ])("accepts %s", (text, formatted) => {
        expect(formatCidr(parseCidr(text))).toBe(formatted);
    });

    it.each([
        ["10.0.0.0", /a\.b\.c\.d\/n form/],
        ["10.0.0/16", /not an IPv4 address/],
        ["10.0.0.256/24", /not an IPv4 address/],
        ["10.0.0.01/32", /not an IPv4 address/],
        ["10.0.0.0/33", /largest is \/32/],
        ["10.0.1.5/24", /host bits set; did you mean 10\.0\.1\.0\/24\?/],
        [" 10.0.0.0/16", /form|address/],
        ["", /form/],
    ])("rejects %j", (text, message) => {
        expect(() => parseCidr(text)).toThrow(CidrError);
        expect(() => parseCidr(text)).toThrow(message);
    });
});

describe("contains / overlaps / isRfc1918", () => {
    it.each([
        ["10.0.0.0/16", "10.0.5.0/24", true, true],
        ["10.0.0.0/16", "10.1.0.0/24", false, false],
        ["10.0.0.0/24", "10.0.0.0/16", false, true],
        ["10.0.0.0/25", "10.0.0.128/25", false, false],
        ["10.0.0.0/24", "10.0.0.255/32", true, true],
    ])("%s vs %s", (a, b, aContainsB, overlap) => {
        expect(contains(parseCidr(a), parseCidr(b))).toBe(aContainsB);
        expect(overlaps(parseCidr(a), parseCidr(b))).toBe(overlap);
        expect(overlaps(parseCidr(b), parseCidr(a))).toBe(overlap);
    });

    it.each([
        ["10.0.0.0/16", true],
        ["172.16.0.0/12", true],
        ["172.31.0.0/16", true],
        ["172.32.0.0/16", false],
        ["192.168.0.0/16", true],
        ["11.0.0.0/16", false], // the old console tutorial's block: someone else's public space
        ["100.64.0.0/16", false],
    ])("%s private: %s", (c, expected) => {
        expect(isRfc1918(parseCidr(c))).toBe(expected);
    });
});

describe("carveSubnets", () => {
    it.each([
        ["10.0.0.0/16", 2, ["10.0.0.0/24", "10.0.1.0/24"], ["10.0.128.0/24", "10.0.129.0/24"]],
        ["10.0.0.0/16", 3, ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"], ["10.0.128.0/24", "10.0.129.0/24", "10.0.130.0/24"]],
        ["10.0.0.0/24", 2, ["10.0.0.0/26", "10.0.0.64/26"], ["10.0.0.128/26", "10.0.0.192/26"]],
        ["192.168.10.0/23", 1, ["192.168.10.0/24"], ["192.168.11.0/24"]],
    ])("%s with %i AZs", (vpc, azCount, pub, priv) => {
        expect(carveSubnets(parseCidr(vpc), azCount)).toEqual({ publicCidrs: pub, privateCidrs: priv });
    });

    it("refuses a VPC too small for its subnets", () => {
        expect(() => carveSubnets(parseCidr("10.0.0.0/28"), 2)).toThrow(/too small for 4 subnets/);
    });

    const vpcs = fc
        .tuple(fc.constantFrom("10.0.0.0", "172.16.0.0", "192.168.0.0"), fc.integer({ min: 16, max: 26 }))
        .map(([base, prefix]) => parseCidr(`${base}/${prefix}`));

    it("property: every subnet lies inside the VPC, none overlap, one public and one private per AZ", () => {
        fc.assert(
            fc.property(vpcs, fc.integer({ min: 1, max: 6 }), (vpc, azCount) => {
                let plan;
                try {
                    plan = carveSubnets(vpc, azCount);
                } catch (e) {
                    // Only ever refused for being too small for /28 subnets.
                    return e instanceof CidrError && vpc.prefix + Math.ceil(Math.log2(2 * azCount)) > 28;
                }
                const all = [...plan.publicCidrs, ...plan.privateCidrs].map(parseCidr);
                expect(plan.publicCidrs).toHaveLength(azCount);
                expect(plan.privateCidrs).toHaveLength(azCount);
                for (const [i, a] of all.entries()) {
                    expect(contains(vpc, a)).toBe(true);
                    for (const b of all.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
                }
                return true;
            }),
        );
    });

    it("property: adding an AZ to a /16..../20 VPC keeps every existing subnet where it was", () => {
        fc.assert(
            fc.property(fc.integer({ min: 16, max: 20 }), fc.integer({ min: 1, max: 5 }), (prefix, azCount) => {
                const vpc = parseCidr(`10.0.0.0/${prefix}`);
                const before = carveSubnets(vpc, azCount);
                const after = carveSubnets(vpc, azCount + 1);
                expect(after.publicCidrs.slice(0, azCount)).toEqual(before.publicCidrs);
                expect(after.privateCidrs.slice(0, azCount)).toEqual(before.privateCidrs);
            }),
        );
    });
});
