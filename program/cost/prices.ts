// Every price the program, the plan and the policy pack use, from one table (price-table.json),
// each with where it was actually read and when. On-demand USD. A region or instance type that is
// not there is reported as unknown, never guessed.
//
// A figure read on AWS's own pricing page or price list file for the region says so (fromAws). The
// others were read in third-party copies of AWS's price list (no stored copy of AWS's own file or
// page with the figure could be found; AWS's pricing pages fill their tables in with scripts) and
// name the price list file to check them against (checkAt). docs/cost.md lists which are which.
//
// The policy pack is published on its own, so it carries a byte-identical copy of the table
// (policy/price-table.json, written by `npm run sync-prices`, held equal by a test); nothing here
// imports from the pack.
import table from "./price-table.json";

export interface Price {
    usd: number;
    /** Where the figure was actually read (a URL, and what it says there). */
    source: string;
    /** When it was read. */
    asOf: string;
    /** True when `source` is AWS's own pricing page or price list file for the region. */
    fromAws: boolean;
    /** For a figure read elsewhere: AWS's price list file for the service and region, to check it against. */
    checkAt?: string;
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

/** A price's citation as the plan prints it: where it was read, the date, and whether AWS's own file or page was it. */
export function citation(price: Price): string {
    const read = `${price.source} (${price.asOf})`;
    return price.fromAws ? read : `${read}; not checked against AWS's own price list: ${price.checkAt}`;
}
