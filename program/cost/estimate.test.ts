import { describe, expect, it } from "vitest";
import { estimateMonthlyCost, type CostInputs } from "./estimate";
import { PRICES, type Price } from "./prices";

/** Every price in the table with where it sits: "ap-northeast-2 instanceHour t3.nano". */
function allPrices(): [string, Price][] {
    const out: [string, Price][] = [];
    const walk = (where: string, v: unknown) => {
        if (v && typeof v === "object" && "usd" in v && "source" in v) out.push([where, v as Price]);
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(`${where} ${k}`, x);
    };
    for (const [region, table] of Object.entries(PRICES)) walk(region, table);
    return out;
}

const seoul: CostInputs = {
    region: "ap-northeast-2",
    natInstanceType: "t3.nano",
    egressIpAllocationIds: undefined,
    egressIpStandby: true,
    warmerEnabled: false,
    warmerSchedule: "rate(5 minutes)",
    warmerConcurrency: 1,
    lambdaArchitecture: "arm64",
    lambdaMemoryMb: 256,
    aligoBalanceAlarmBelow: 500,
    natPerAz: false,
    azCount: 2,
};

const usd = (e: ReturnType<typeof estimateMonthlyCost>, item: RegExp) => e.lines.find((l) => item.test(l.item))?.usd;

describe("estimateMonthlyCost", () => {
    it("Seoul NAT gateway: 0.059 × 730 h, data at 0.059/GB, two public IPv4 addresses", () => {
        const e = estimateMonthlyCost(seoul, "gateway", 100);
        expect(usd(e, /^NAT gateway$/)).toBe(43.07);
        expect(usd(e, /data processing/)).toBe(5.9);
        expect(usd(e, /public IPv4/)).toBe(7.3);
        expect(e.totalUsd).toBe(56.27);
        expect(e.complete).toBe(true);
    });

    it.each([
        ["ap-northeast-2", "t3.nano", 4.75, 0.73, 12.98],
        ["ap-northeast-2", "t3.micro", 9.49, 0.73, 17.72],
        ["ap-northeast-2", "t4g.nano", 3.8, 0.73, 12.03],
        ["us-east-1", "t3.nano", 3.8, 0.64, 11.94],
        ["us-east-1", "t3.micro", 7.59, 0.64, 15.73],
    ])(
        "%s NAT instance %s: %f + root volume %f + addresses + its reboot and host-recovery alarms (0.20) = %f",
        (region, type, instance, ebs, total) => {
            const e = estimateMonthlyCost({ ...seoul, region, natInstanceType: type }, "instance");
            expect(usd(e, /^NAT instance /)).toBe(instance);
            expect(usd(e, /root volume/)).toBe(ebs);
            expect(e.totalUsd).toBe(total);
        },
    );

    it("nat=none leaves only the idle addresses", () => {
        const e = estimateMonthlyCost(seoul, "none");
        expect(e.lines.map((l) => l.item)).toEqual(["public IPv4: Elastic IPs allocated by the stack"]);
        expect(e.totalUsd).toBe(7.3);
    });

    it("egressIpStandby false: one address allocated, whatever the strategy", () => {
        for (const s of ["gateway", "instance", "none"] as const) {
            const e = estimateMonthlyCost({ ...seoul, egressIpStandby: false }, s);
            expect(e.lines.find((l) => l.item.startsWith("public IPv4"))).toMatchObject({
                usd: 3.65,
                quantity: expect.stringMatching(/^1 × 730 h × 0\.005/),
            });
        }
        expect(estimateMonthlyCost({ ...seoul, egressIpStandby: false }, "instance").totalUsd).toBe(9.33);
    });

    it("every line names where each of its prices was read and the date, never a file outside the repository", () => {
        const e = estimateMonthlyCost({ ...seoul, warmerEnabled: true, alarmEmail: "a@example.com" }, "gateway", 1);
        for (const l of e.lines) {
            expect(l.sources.length, l.item).toBeGreaterThan(0);
            for (const source of l.sources) {
                expect(source, l.item).toMatch(/^https:\/\//);
                expect(source, l.item).toMatch(/\(\d{4}-\d{2}-\d{2}\)/);
            }
        }
        // The warmer bills requests and duration: both prices are cited.
        expect(e.lines.find((l) => l.item.startsWith("warmer"))?.sources).toHaveLength(2);
    });

    // Every entry of the table, every region and instance type, not only what one estimate uses.
    // A figure is AWS's only when it was read on AWS's own page or price list file; any other names the
    // copy it was read in, and AWS's price list file for its service and region to check it against.
    it.each(allPrices())(
        "%s: cited to where it was read, with the date; AWS's own file or page only if it was",
        (where, p) => {
            const region = where.split(" ")[0];
            expect(p.usd).toBeGreaterThan(0);
            expect(p.asOf).toMatch(/^20\d{2}-\d{2}-\d{2}$/);
            expect(p.source).toMatch(/^https:\/\//);
            if (p.fromAws) {
                expect(p.source).toMatch(
                    new RegExp(
                        `^(https://aws\\.amazon\\.com/[\\w/-]*pricing/|https://pricing\\.us-east-1\\.amazonaws\\.com/offers/v1\\.0/aws/\\w+/current/${region}/)`,
                    ),
                );
            } else {
                expect(p.source, "a third-party copy is not presented as AWS's page").not.toMatch(
                    /^https:\/\/(aws\.amazon\.com|pricing\.us-east-1\.amazonaws\.com)\//,
                );
                expect(p.checkAt).toMatch(
                    new RegExp(
                        `^https://pricing\\.us-east-1\\.amazonaws\\.com/offers/v1\\.0/aws/\\w+/current/${region}/index\\.json$`,
                    ),
                );
            }
        },
    );

    it("one bring-your-own address is one address", () => {
        expect(
            usd(
                estimateMonthlyCost({ ...seoul, egressIpAllocationIds: ["eipalloc-12345678"] }, "gateway"),
                /public IPv4/,
            ),
        ).toBe(3.65);
    });

    it("says so when an instance type has no price: the line and the total are unknown, not a sum of the rest", () => {
        const e = estimateMonthlyCost({ ...seoul, natInstanceType: "c7gn.large" }, "instance");
        expect(e.complete).toBe(false);
        expect(e.lines[0]).toMatchObject({
            item: "NAT instance c7gn.large",
            usd: undefined,
            quantity: "no price for c7gn.large in ap-northeast-2",
            sources: [],
        });
        // The other lines keep their prices; the total is unknown (8.23 would be the known lines alone).
        expect(usd(e, /root volume/)).toBe(0.73);
        expect(e.totalUsd).toBeUndefined();
        expect(e.unknown).toEqual(["no price for c7gn.large in ap-northeast-2"]);
    });

    it("says so for a region without prices instead of guessing: every item listed, none priced, alarms included", () => {
        const e = estimateMonthlyCost(
            { ...seoul, region: "eu-west-1", warmerEnabled: true, alarmEmail: "ops@example.com" },
            "instance",
        );
        expect(e.unknownRegion).toBe("no prices for eu-west-1; known regions: ap-northeast-2, us-east-1");
        expect(e.unknown).toEqual([e.unknownRegion]);
        expect(e.complete).toBe(false);
        expect(e.totalUsd).toBeUndefined();
        expect(e.lines.map((l) => [l.item, l.usd])).toEqual([
            ["NAT instance t3.nano", undefined],
            ["NAT instance root volume", undefined],
            ["public IPv4: Elastic IPs allocated by the stack", undefined],
            ["warmer (Lambda requests + duration)", undefined],
            ["CloudWatch alarms", undefined],
            ["custom metric: Aligo balance (hourly)", undefined],
        ]);
        // The quantities stay (what would be billed), without a price.
        expect(e.lines.find((l) => l.item === "CloudWatch alarms")?.quantity).toBe("10");
        expect(e.lines.find((l) => l.item === "NAT instance t3.nano")?.quantity).toBe("730 h");
    });

    it("nat=none has no warmer cost: the program pauses its schedule", () => {
        const e = estimateMonthlyCost({ ...seoul, warmerEnabled: true }, "none");
        expect(e.lines.map((l) => l.item)).toEqual(["public IPv4: Elastic IPs allocated by the stack"]);
    });

    it("prices the warmer from its schedule and concurrency", () => {
        const e = estimateMonthlyCost({ ...seoul, warmerEnabled: true }, "instance");
        const warmer = e.lines.find((l) => l.item.startsWith("warmer"))!;
        expect(warmer.quantity).toMatch(/^8760 runs → 17520 invocations/);
        expect(warmer.usd).toBeGreaterThan(0);
        expect(warmer.usd).toBeLessThan(0.05);
    });
});

describe("alarms in the estimate", () => {
    it("none without someone to hear them, but the NAT instance's reboot and host recovery", () => {
        expect(usd(estimateMonthlyCost(seoul, "gateway"), /alarms/)).toBeUndefined();
        expect(estimateMonthlyCost(seoul, "instance").lines.find((l) => l.item === "CloudWatch alarms")?.quantity).toBe(
            "2 × 0.1",
        );
    });

    it("natPerAz: every NAT's lines once per zone, every zone's addresses and alarms", () => {
        const threeZones = { ...seoul, natPerAz: true, azCount: 3 };
        const instance = estimateMonthlyCost(threeZones, "instance");
        expect(instance.lines.filter((l) => l.item.startsWith("NAT instance t3.nano")).map((l) => l.item)).toEqual([
            "NAT instance t3.nano (zone 1 of 3)",
            "NAT instance t3.nano (zone 2 of 3)",
            "NAT instance t3.nano (zone 3 of 3)",
        ]);
        expect(instance.lines.find((l) => l.item === "CloudWatch alarms")?.quantity).toBe("6 × 0.1");
        expect(instance.lines.find((l) => l.item.startsWith("public IPv4"))).toMatchObject({
            quantity: "6 × 730 h × 0.005 (3 standing by)",
            usd: 21.9,
        });
        const gateway = estimateMonthlyCost(threeZones, "gateway");
        expect(gateway.lines.filter((l) => l.item.startsWith("NAT gateway (zone")).map((l) => l.usd)).toEqual([
            43.07, 43.07, 43.07,
        ]);
        expect(gateway.totalUsd).toBe(Math.round((3 * 43.07 + 21.9 + 0) * 100) / 100);
    });

    it("with an address: 6 function alarms, the two balance alarms (low, and no figure) and the hourly metric while the warmer runs, and the NAT's own (2 for a gateway, 2 for an instance)", () => {
        const withEmail = { ...seoul, alarmEmail: "ops@example.com", warmerEnabled: true };
        expect(
            estimateMonthlyCost(withEmail, "gateway").lines.find((l) => l.item === "CloudWatch alarms")?.quantity,
        ).toBe("10 × 0.1");
        expect(
            estimateMonthlyCost(withEmail, "instance").lines.find((l) => l.item === "CloudWatch alarms"),
        ).toMatchObject({ quantity: "10 × 0.1", usd: 1 });
        expect(usd(estimateMonthlyCost(withEmail, "gateway"), /custom metric: Aligo balance/)).toBe(0.3);
        // nat none pauses the warmer: no figures, so no balance alarms and no metric.
        expect(estimateMonthlyCost(withEmail, "none").lines.find((l) => l.item === "CloudWatch alarms")?.quantity).toBe(
            "6 × 0.1",
        );
        expect(usd(estimateMonthlyCost(withEmail, "none"), /custom metric/)).toBeUndefined();
        expect(
            usd(estimateMonthlyCost({ ...withEmail, warmerEnabled: false }, "gateway"), /custom metric/),
        ).toBeUndefined();
        expect(
            usd(estimateMonthlyCost({ ...withEmail, aligoBalanceAlarmBelow: 0 }, "gateway"), /custom metric/),
        ).toBeUndefined();
    });
});
