// What a NAT gateway costs, for the advisory rule, from the project's one price table. The pack is
// published on its own (`pulumi policy publish` uploads this folder only), so it carries a
// byte-identical copy of the program's table (program/cost/price-table.json), which
// `npm run sync-prices` writes and a test holds equal.
import table from "./price-table.json";

/** Hours in the month AWS bills by (AWS's monthly figures use 730 hours). */
export const HOURS_PER_MONTH: number = table.hoursPerMonth;

export interface NatGatewayPrice {
    /** USD per hour the gateway exists, used or not. */
    hour: number;
    /** USD per GB it processes. */
    gb: number;
    /** The public page the figures were read from. */
    source: string;
}

export const NAT_GATEWAY_PRICES: Record<string, NatGatewayPrice> = Object.fromEntries(
    Object.entries(table.regions).map(([region, p]) => [
        region,
        { hour: p.natGatewayHour.usd, gb: p.natGatewayGb.usd, source: p.natGatewayHour.source },
    ]),
);

/** An idle month of a NAT gateway at `price`, rounded to the cent, and how it was computed. */
export function idleMonth(price: NatGatewayPrice): { usd: number; quantity: string } {
    return {
        usd: Math.round(HOURS_PER_MONTH * price.hour * 100) / 100,
        quantity: `${HOURS_PER_MONTH} h × ${price.hour}`,
    };
}
