// What a NAT gateway costs, for the advisory rule. The pack is published on its own (`pulumi policy
// publish` uploads this folder only), so these figures live here, and the program's price table
// (program/cost/prices.ts) takes them from here rather than keeping a copy.
// On-demand USD, read 2026-11-25. Re-check against https://aws.amazon.com/vpc/pricing/.

/** Hours in the month AWS bills by (AWS's monthly figures use 730 hours). */
export const HOURS_PER_MONTH = 730;

export interface NatGatewayPrice {
    /** USD per hour the gateway exists, used or not. */
    hour: number;
    /** USD per GB it processes. */
    gb: number;
    /** The public page the figures were read from. */
    source: string;
}

export const NAT_GATEWAY_PRICES: Record<string, NatGatewayPrice> = {
    "ap-northeast-2": {
        hour: 0.059,
        gb: 0.059,
        source:
            "https://aws.amazon.com/vpc/pricing/ (NAT gateway); figure as read in AWS's price list API files for ap-northeast-2 (AmazonVPC), as transcribed 2026-10-01 in " +
            "https://github.com/Softbank-hackathon2026-peony/one-click-deploy-agent/blob/17b43b0f854b9f953c56c14dcb5fb157db0f5d89/docs/research/capabilities/05-compute-tier1-2.md",
    },
    "us-east-1": {
        hour: 0.045,
        gb: 0.045,
        source: "https://aws.amazon.com/vpc/pricing/ (NAT gateway); figure as read in https://basavytix.com/blog/aws-nat-gateway-pricing (us-east-1 rates)",
    },
};

/** An idle month of a NAT gateway at `price`, rounded to the cent, and how it was computed. */
export function idleMonth(price: NatGatewayPrice): { usd: number; quantity: string } {
    return {
        usd: Math.round(HOURS_PER_MONTH * price.hour * 100) / 100,
        quantity: `${HOURS_PER_MONTH} h × ${price.hour}`,
    };
}
