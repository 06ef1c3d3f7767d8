// Monthly cost of a configuration, per NAT strategy, from the price table. Pure: the program uses
// it for the estimatedMonthlyCostUsd output, the plan tool for its side-by-side table, the policy
// pack for its NAT gateway advisory.
import { warmerActive, type AppConfig, type NatStrategy } from "../config/config";
import { balanceAlarmCount } from "../config/alarms";
import { firingsIn } from "../functions/schedule";
import { addressCount, egressPlan } from "../../components";
import { HOURS_PER_MONTH, PRICES, type Price, type RegionPrices } from "./prices";

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
    source?: string;
}

export interface CostEstimate {
    region: string;
    strategy: NatStrategy;
    lines: CostLine[];
    /** Sum of the known lines. */
    totalUsd: number;
    /** False when some line has no price (the total then leaves it out). */
    complete: boolean;
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

/** An hourly item for a whole month: its quantity text and cost. */
export function monthOf(price: Price): { quantity: string; usd: number } {
    return { quantity: `${HOURS_PER_MONTH} h × ${price.usd}`, usd: money(HOURS_PER_MONTH * price.usd) };
}

type LineAdder = (item: string, quantity: string, amount: number, price: Price | undefined) => void;

/** The NAT's own lines: the gateway's hours and data, or the instance's hours and volume. */
/** "" for the one NAT, else " (zone i of n)": one line per zone's NAT. */
const zoneLabel = (i: number, n: number): string => (n === 1 ? "" : ` (zone ${i + 1} of ${n})`);

/** The NAT's own lines: each gateway's hours and the data, or each instance's hours and volume. */
function natLines(cfg: CostInputs, prices: RegionPrices, strategy: NatStrategy, natGb: number, line: LineAdder): void {
    const n = natCount(cfg);
    switch (strategy) {
        case "gateway":
            for (let i = 0; i < n; i++)
                line(
                    `NAT gateway${zoneLabel(i, n)}`,
                    monthOf(prices.natGatewayHour).quantity,
                    HOURS_PER_MONTH,
                    prices.natGatewayHour,
                );
            line("NAT gateway data processing", `${natGb} GB × ${prices.natGatewayGb.usd}`, natGb, prices.natGatewayGb);
            break;
        case "instance": {
            const price = prices.instanceHour[cfg.natInstanceType];
            for (let i = 0; i < n; i++) {
                line(
                    `NAT instance ${cfg.natInstanceType}${zoneLabel(i, n)}`,
                    price ? monthOf(price).quantity : `no price for ${cfg.natInstanceType} in ${cfg.region}`,
                    HOURS_PER_MONTH,
                    price,
                );
                line(
                    `NAT instance root volume${zoneLabel(i, n)}`,
                    `${NAT_ROOT_GB} GiB gp3 × ${prices.gp3GbMonth.usd}`,
                    NAT_ROOT_GB,
                    prices.gp3GbMonth,
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

/** Every public address the stack holds, billed whether attached or not. */
function addressLine(cfg: CostInputs, prices: RegionPrices, strategy: NatStrategy, line: LineAdder): void {
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
        `${addresses} × ${HOURS_PER_MONTH} h × ${prices.publicIpv4Hour.usd} (${standby} standing by)`,
        addresses * HOURS_PER_MONTH,
        prices.publicIpv4Hour,
    );
}

/** The warmer's invocations and duration, while its schedule runs (with nat none the program pauses it; see warmerActive). */
function warmerLine(cfg: CostInputs, prices: RegionPrices, strategy: NatStrategy): CostLine | undefined {
    if (!warmerActive({ warmerEnabled: cfg.warmerEnabled, nat: strategy })) return undefined;
    const runs = firingsIn(cfg.warmerSchedule, HOURS_PER_MONTH);
    const pings = runs * cfg.warmerConcurrency;
    const gb = cfg.lambdaMemoryMb / 1024;
    const pingMs = cfg.warmerConcurrency > 1 ? HELD_PING_MS : PING_MS;
    const gbSeconds = (gb * (runs * WARMER_MS + pings * pingMs)) / 1000;
    const gbPrice = prices.lambdaGbSecond[cfg.lambdaArchitecture];
    const requests = runs + pings;
    return {
        item: "warmer (Lambda requests + duration)",
        quantity: `${runs} runs → ${requests} invocations, ~${Math.round(gbSeconds)} GB-s (est. ${WARMER_MS} ms warmer, ${pingMs} ms per ping)`,
        usd: money((requests / 1e6) * prices.lambdaRequestsPerMillion.usd + gbSeconds * gbPrice.usd),
        source: `${gbPrice.source} (${gbPrice.asOf}); free tier not deducted`,
    };
}

/** The alarms, and the balance metric that arrives hourly. */
function alarmLines(cfg: CostInputs, prices: RegionPrices, strategy: NatStrategy, line: LineAdder): void {
    const { alarms, balanceMetric } = alarmCount(cfg, strategy);
    if (alarms > 0)
        line(
            "CloudWatch alarms",
            `${alarms} × ${prices.cloudWatchAlarmMonth.usd}`,
            alarms,
            prices.cloudWatchAlarmMonth,
        );
    // The balance arrives hourly; the failure metrics (failed sends, IP refusals, warmer failures)
    // bill only for the hours they receive data, so nothing while all is well.
    if (balanceMetric)
        line(
            "custom metric: Aligo balance (hourly)",
            `1 × ${prices.customMetricMonth.usd}`,
            1,
            prices.customMetricMonth,
        );
}

/** The monthly cost of running `strategy` with this configuration and `natGb` GB through the NAT. */
export function estimateMonthlyCost(cfg: CostInputs, strategy: NatStrategy, natGb = 0): CostEstimate {
    const prices = PRICES[cfg.region];
    if (!prices) {
        return {
            region: cfg.region,
            strategy,
            lines: [],
            totalUsd: 0,
            complete: false,
            unknownRegion: `no prices for ${cfg.region}; known regions: ${Object.keys(PRICES).join(", ")}`,
        };
    }
    const lines: CostLine[] = [];
    const line: LineAdder = (item, quantity, amount, price) =>
        lines.push({
            item,
            quantity,
            usd: price ? money(amount * price.usd) : undefined,
            source: price ? `${price.source} (${price.asOf})` : undefined,
        });
    natLines(cfg, prices, strategy, natGb, line);
    addressLine(cfg, prices, strategy, line);
    const warmer = warmerLine(cfg, prices, strategy);
    if (warmer) lines.push(warmer);
    alarmLines(cfg, prices, strategy, line);
    const known = lines.filter((l) => l.usd !== undefined);
    return {
        region: cfg.region,
        strategy,
        lines,
        totalUsd: money(known.reduce((sum, l) => sum + (l.usd ?? 0), 0)),
        complete: known.length === lines.length,
    };
}
