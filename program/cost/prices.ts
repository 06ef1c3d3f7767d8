// Every price the program, the plan and the policy pack use, from one table (price-table.json),
// each with the public page it was read from and when. On-demand USD. A region or instance type
// that is not there is reported as unknown, never guessed.
//
// AWS's own pricing pages fill their tables in with scripts, so a stored copy of them shows no
// figures; where that is so, the source names AWS's page and then the public copy of AWS's price
// list the figure was read from. Re-check against https://aws.amazon.com/ec2/pricing/on-demand/,
// https://aws.amazon.com/vpc/pricing/, https://aws.amazon.com/ebs/pricing/ and
// https://aws.amazon.com/lambda/pricing/ before relying on a figure to the cent.
//
// The policy pack is published on its own, so it carries a byte-identical copy of the table
// (policy/price-table.json, written by `npm run sync-prices`, held equal by a test); nothing here
// imports from the pack.
import table from "./price-table.json";

export interface Price {
    usd: number;
    /** The public page the figure was read from. */
    source: string;
    /** When it was read. */
    asOf: string;
}

export interface RegionPrices {
    region: string;
    natGatewayHour: Price;
    natGatewayGb: Price;
    /** Every public IPv4 address, attached or idle, since 2024-02-01. */
    publicIpv4Hour: Price;
    gp3GbMonth: Price;
    instanceHour: Record<string, Price>;
    lambdaRequestsPerMillion: Price;
    lambdaGbSecond: { arm64: Price; x86_64: Price };
    /** A standard-resolution metric alarm, per month. */
    cloudWatchAlarmMonth: Price;
    /** A custom metric, per month (first 10,000; billed for the hours it receives data). */
    customMetricMonth: Price;
}

/** Hours in the month AWS bills by (AWS's monthly figures use 730 hours). */
export const HOURS_PER_MONTH: number = table.hoursPerMonth;

export const PRICES: Record<string, RegionPrices> = Object.fromEntries(
    Object.entries(table.regions as Record<string, Omit<RegionPrices, "region">>).map(([region, p]) => [
        region,
        { region, ...p },
    ]),
);
