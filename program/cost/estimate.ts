// Monthly cost of a configuration, per NAT strategy, from the price table. Pure: the program uses
// it for the estimatedMonthlyCostUsd output, the plan tool for its side-by-side table, the policy
// pack for its NAT gateway advisory.
import { warmerActive, type AppConfig, type NatStrategy } from "../config/config";
import { balanceAlarmCount } from "../config/alarms";
import { firingsIn } from "../functions/schedule";
import { addressCount, egressPlan } from "../../components/index";
import { citation, HOURS_PER_MONTH, PRICES, type Price, type RegionPrices } from "./prices";

/** Root volume of the NAT instance (the component sets it). */
export const NAT_ROOT_GB = 8;
/** Assumed billed durations for the warmer's runs; the real ones show in CloudWatch. */
export const WARMER_MS = 300;
export const PING_MS = 5;
export const HELD_PING_MS = 155;

export interface CostLine {
    item: string;
    quantity: string;
    /** Undefined when the price is unknown. */
    usd: number | undefined;
    /** Where each price of the line was read (see citation), none when it is unknown. */
    sources: string[];
}

export interface CostEstimate {
    region: string;
    strategy: NatStrategy;
    /** Every item the strategy bills, priced or not. */
    lines: CostLine[];
    /** The sum of the lines; undefined when any line's price is unknown (never a sum of the known ones). */
    totalUsd: number | undefined;
    /** False when some line has no price. */
    complete: boolean;
    /** Why prices are missing, each reason once: the region has none, or an instance type has none. */
    unknown: string[];
    /** Set when the region has no prices at all. */
    unknownRegion?: string;
}

export type CostInputs = Pick<
    AppConfig,
    | "region"
    | "natInstanceType"
    | "egressIpAllocationIds"
    | "egressIpStandby"
    | "warmerEnabled"
    | "warmerSchedule"
    | "warmerConcurrency"
    | "lambdaArchitecture"
    | "lambdaMemoryMb"
    | "alarmEmail"
    | "alarmTopicArn"
    | "aligoBalanceAlarmBelow"
    | "natPerAz"
    | "azCount"
>;

/** How many NATs a configuration runs: one per zone with natPerAz, else one. */
export const natCount = (cfg: Pick<CostInputs, "natPerAz" | "azCount">): number => (cfg.natPerAz ? cfg.azCount : 1);

/**
 * The alarms the stack has under `strategy`: each NAT instance's host recovery and reboot always,
 * the rest only when someone hears them; the balance alarm (and its metric) only while the warmer runs.
 */
export function alarmCount(
    cfg: Pick<
        CostInputs,
        | "alarmEmail"
        | "alarmTopicArn"
        | "aligoBalanceAlarmBelow"
        | "warmerEnabled"
        | "warmerSchedule"
        | "natPerAz"
        | "azCount"
    >,
    strategy: NatStrategy,
): { alarms: number; balanceMetric: boolean } {
    const wanted = cfg.alarmEmail !== undefined || cfg.alarmTopicArn !== undefined;
    const perNat = strategy === "instance" ? 2 : strategy === "gateway" && wanted ? 2 : 0;
    const nat = perNat * natCount(cfg);
    const balance = wanted
        ? balanceAlarmCount({
              balanceBelow: cfg.aligoBalanceAlarmBelow,
              warmerActive: warmerActive({ warmerEnabled: cfg.warmerEnabled, nat: strategy }),
              warmerSchedule: cfg.warmerSchedule,
          })
        : 0;
    // SMS errors, throttles, failed sends, IP refusals; warmer failures and errors; the balance's.
    const functions = wanted ? 6 + balance : 0;
    return { alarms: nat + functions, balanceMetric: balance > 0 };
}

const money = (n: number) => Math.round(n * 100) / 100;

/** " × price" for a known price; nothing for an unknown one (the quantity stays, the price is unknown). */
const times = (price: Price | undefined): string => (price ? ` × ${price.usd}` : "");

/** Records one line: `amount` units at `price` (undefined: the price is unknown, and so is the line). */
type LineAdder = (item: string, quantity: string, amount: number, price: Price | undefined) => void;

/** "" for the one NAT, else " (zone i of n)": one line per zone's NAT. */
const zoneLabel = (i: number, n: number): string => (n === 1 ? "" : ` (zone ${i + 1} of ${n})`);

/** What an estimate reads its prices from: the region's table, or nothing for a region without one. */
type Prices = RegionPrices | undefined;

/** The NAT's own lines: each gateway's hours and the data, or each instance's hours and volume. */
function natLines(cfg: CostInputs, prices: Prices, strategy: NatStrategy, natGb: number, line: LineAdder): void {
    const n = natCount(cfg);
    switch (strategy) {
        case "gateway": {
            const hour = prices?.natGatewayHour;
            for (let i = 0; i < n; i++)
                line(`NAT gateway${zoneLabel(i, n)}`, `${HOURS_PER_MONTH} h${times(hour)}`, HOURS_PER_MONTH, hour);
            const gb = prices?.natGatewayGb;
            line("NAT gateway data processing", `${natGb} GB${times(gb)}`, natGb, gb);
            break;
        }
        case "instance": {
            const price = prices?.instanceHour[cfg.natInstanceType];
            // A known region without this type says so where the price would be.
            const hours =
                prices && !price
                    ? noInstancePrice(cfg.natInstanceType, cfg.region)
                    : `${HOURS_PER_MONTH} h${times(price)}`;
            for (let i = 0; i < n; i++) {
                line(`NAT instance ${cfg.natInstanceType}${zoneLabel(i, n)}`, hours, HOURS_PER_MONTH, price);
                line(
                    `NAT instance root volume${zoneLabel(i, n)}`,
                    `${NAT_ROOT_GB} GiB gp3${times(prices?.gp3GbMonth)}`,
                    NAT_ROOT_GB,
                    prices?.gp3GbMonth,
                );
            }
            break;
        }
        case "none":
            break;
        default: {
            const unreachable: never = strategy;
            throw new Error(`unknown strategy ${String(unreachable)}`);
        }
    }
}

const noInstancePrice = (type: string, region: string) => `no price for ${type} in ${region}`;

/** Every public address the stack holds, billed whether attached or not. */
function addressLine(cfg: CostInputs, prices: Prices, strategy: NatStrategy, line: LineAdder): void {
    const plan = egressPlan(cfg.egressIpAllocationIds, cfg.egressIpStandby);
    const perNat = addressCount(plan);
    const addresses = perNat * natCount(cfg);
    const standby = strategy === "none" ? addresses : addresses - natCount(cfg);
    const label =
        plan.kind === "allocate"
            ? "Elastic IPs allocated by the stack"
            : "your Elastic IPs (billed whether used or not)";
    line(
        `public IPv4: ${label}`,
        `${addresses} × ${HOURS_PER_MONTH} h${times(prices?.publicIpv4Hour)} (${standby} standing by)`,
        addresses * HOURS_PER_MONTH,
        prices?.publicIpv4Hour,
    );
}

/** The warmer's invocations and duration, while its schedule runs (with nat none the program pauses it; see warmerActive). */
function warmerLine(cfg: CostInputs, prices: Prices, strategy: NatStrategy): CostLine | undefined {
    if (!warmerActive({ warmerEnabled: cfg.warmerEnabled, nat: strategy })) return undefined;
    const runs = firingsIn(cfg.warmerSchedule, HOURS_PER_MONTH);
    const pings = runs * cfg.warmerConcurrency;
    const gb = cfg.lambdaMemoryMb / 1024;
    const pingMs = cfg.warmerConcurrency > 1 ? HELD_PING_MS : PING_MS;
    const gbSeconds = (gb * (runs * WARMER_MS + pings * pingMs)) / 1000;
    const gbPrice = prices?.lambdaGbSecond[cfg.lambdaArchitecture];
    const requestPrice = prices?.lambdaRequestsPerMillion;
    const requests = runs + pings;
    return {
        item: "warmer (Lambda requests + duration)",
        quantity:
            `${runs} runs → ${requests} invocations, ~${Math.round(gbSeconds)} GB-s ` +
            `(est. ${WARMER_MS} ms warmer, ${pingMs} ms per ping; free tier not deducted)`,
        usd: gbPrice && requestPrice ? money((requests / 1e6) * requestPrice.usd + gbSeconds * gbPrice.usd) : undefined,
        sources: gbPrice && requestPrice ? [citation(requestPrice), citation(gbPrice)] : [],
    };
}

/** The alarms, and the balance metric that arrives hourly. */
function alarmLines(cfg: CostInputs, prices: Prices, strategy: NatStrategy, line: LineAdder): void {
    const { alarms, balanceMetric } = alarmCount(cfg, strategy);
    const alarm = prices?.cloudWatchAlarmMonth;
    if (alarms > 0) line(ALARMS_ITEM, `${alarms}${times(alarm)}`, alarms, alarm);
    // The balance arrives hourly; the failure metrics (failed sends, IP refusals, warmer failures)
    // bill only for the hours they receive data, so nothing while all is well.
    const metric = prices?.customMetricMonth;
    if (balanceMetric) line(BALANCE_METRIC_ITEM, `1${times(metric)}`, 1, metric);
}

/** The items that are the alarms' cost (the plan adds them up for its alarm section). */
export const ALARMS_ITEM = "CloudWatch alarms";
export const BALANCE_METRIC_ITEM = "custom metric: Aligo balance (hourly)";

/** The monthly cost of running `strategy` with this configuration and `natGb` GB through the NAT. */
export function estimateMonthlyCost(cfg: CostInputs, strategy: NatStrategy, natGb = 0): CostEstimate {
    const prices = PRICES[cfg.region];
    const lines: CostLine[] = [];
    const line: LineAdder = (item, quantity, amount, price) =>
        lines.push({
            item,
            quantity,
            usd: price ? money(amount * price.usd) : undefined,
            sources: price ? [citation(price)] : [],
        });
    natLines(cfg, prices, strategy, natGb, line);
    addressLine(cfg, prices, strategy, line);
    const warmer = warmerLine(cfg, prices, strategy);
    if (warmer) lines.push(warmer);
    alarmLines(cfg, prices, strategy, line);
    const unknownRegion = prices
        ? undefined
        : `no prices for ${cfg.region}; known regions: ${Object.keys(PRICES).join(", ")}`;
    const complete = lines.every((l) => l.usd !== undefined);
    const unknown = unknownRegion
        ? [unknownRegion]
        : [...new Set(lines.filter((l) => l.usd === undefined).map((l) => l.quantity))];
    return {
        region: cfg.region,
        strategy,
        lines,
        totalUsd: complete ? money(lines.reduce((sum, l) => sum + (l.usd ?? 0), 0)) : undefined,
        complete,
        unknown,
        ...(unknownRegion ? { unknownRegion } : {}),
    };
}
