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
        ["11.0.0.0/16", false], // a block people pick by mistake for a VPC: public space that belongs to someone else
        ["100.64.0.0/16", false],
    ])("%s private: %s", (c, expected) => {
        expect(isRfc1918(parseCidr(c))).toBe(expected);
    });
});

describe("carveSubnets", () => {
    // Today's layout for every VPC of /20 or larger is pinned: such stacks may exist, and a moved
    // subnet would be replaced.
    it.each([
        ["10.0.0.0/16", 1, ["10.0.0.0/24"], ["10.0.128.0/24"]],
        ["10.0.0.0/16", 2, ["10.0.0.0/24", "10.0.1.0/24"], ["10.0.128.0/24", "10.0.129.0/24"]],
        [
            "10.0.0.0/16",
            3,
            ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"],
            ["10.0.128.0/24", "10.0.129.0/24", "10.0.130.0/24"],
        ],
        [
            "10.0.0.0/16",
            6,
            ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24", "10.0.4.0/24", "10.0.5.0/24"],
            ["10.0.128.0/24", "10.0.129.0/24", "10.0.130.0/24", "10.0.131.0/24", "10.0.132.0/24", "10.0.133.0/24"],
        ],
        ["172.16.0.0/20", 1, ["172.16.0.0/24"], ["172.16.8.0/24"]],
        ["172.16.0.0/20", 2, ["172.16.0.0/24", "172.16.1.0/24"], ["172.16.8.0/24", "172.16.9.0/24"]],
        [
            "172.16.0.0/20",
            6,
            ["172.16.0.0/24", "172.16.1.0/24", "172.16.2.0/24", "172.16.3.0/24", "172.16.4.0/24", "172.16.5.0/24"],
            ["172.16.8.0/24", "172.16.9.0/24", "172.16.10.0/24", "172.16.11.0/24", "172.16.12.0/24", "172.16.13.0/24"],
        ],
    ])("pinned: %s with %i AZs", (vpc, azCount, pub, priv) => {
        expect(carveSubnets(parseCidr(vpc), azCount)).toEqual({ publicCidrs: pub, privateCidrs: priv });
    });

    // Smaller VPCs: 8 slots per half, whatever azCount is.
    it.each([
        ["10.20.0.0/22", 2, ["10.20.0.0/26", "10.20.0.64/26"], ["10.20.2.0/26", "10.20.2.64/26"]],
        [
            "10.20.0.0/22",
            3,
            ["10.20.0.0/26", "10.20.0.64/26", "10.20.0.128/26"],
            ["10.20.2.0/26", "10.20.2.64/26", "10.20.2.128/26"],
        ],
        [
            "10.0.0.0/21",
            5,
            ["10.0.0.0/25", "10.0.0.128/25", "10.0.1.0/25", "10.0.1.128/25", "10.0.2.0/25"],
            ["10.0.4.0/25", "10.0.4.128/25", "10.0.5.0/25", "10.0.5.128/25", "10.0.6.0/25"],
        ],
        ["192.168.10.0/24", 1, ["192.168.10.0/28"], ["192.168.10.128/28"]],
    ])("small VPC: %s with %i AZs", (vpc, azCount, pub, priv) => {
        expect(carveSubnets(parseCidr(vpc), azCount)).toEqual({ publicCidrs: pub, privateCidrs: priv });
    });

    it.each(["10.0.0.0/25", "10.0.0.0/28"])("refuses %s: too small for 16 slots of at least /28", (vpc) => {
        expect(() => carveSubnets(parseCidr(vpc), 1)).toThrow(
            /too small for the subnet layout .* the smallest VPC for it is \/24/,
        );
    });

    const vpcs = fc
        .tuple(fc.constantFrom("10.0.0.0", "172.16.0.0", "192.168.0.0"), fc.integer({ min: 16, max: 24 }))
        .map(([base, prefix]) => parseCidr(`${base}/${prefix}`));

    it("property: every subnet lies inside the VPC, none overlap, one public and one private per AZ", () => {
        fc.assert(
            fc.property(vpcs, fc.integer({ min: 1, max: 6 }), (vpc, azCount) => {
                const plan = carveSubnets(vpc, azCount);
                const all = [...plan.publicCidrs, ...plan.privateCidrs].map(parseCidr);
                expect(plan.publicCidrs).toHaveLength(azCount);
                expect(plan.privateCidrs).toHaveLength(azCount);
                for (const [i, a] of all.entries()) {
                    expect(contains(vpc, a)).toBe(true);
                    for (const b of all.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
                }
            }),
        );
    });

    it("property: for every accepted VPC size and every azCount a → b (a < b), the first a public and a private blocks stay where they were", () => {
        fc.assert(
            fc.property(vpcs, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), (vpc, a, step) => {
                const b = Math.min(6, a + step);
                const before = carveSubnets(vpc, a);
                const after = carveSubnets(vpc, b);
                expect(after.publicCidrs.slice(0, a)).toEqual(before.publicCidrs);
                expect(after.privateCidrs.slice(0, a)).toEqual(before.privateCidrs);
            }),
            { numRuns: 500 },
        );
    });
});
