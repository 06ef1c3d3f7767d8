// Every price the program and the tools use, in one table, each with the public page it was read
// from and when. On-demand USD. A region or instance type that is not here is reported as unknown,
// never guessed.
//
// AWS's own pricing pages fill their tables in with scripts, so a stored copy of them shows no
// figures; where that is so, the source is a public copy of AWS's price list (named below) and says
// so. Re-check against https://aws.amazon.com/ec2/pricing/on-demand/,
// https://aws.amazon.com/vpc/pricing/, https://aws.amazon.com/ebs/pricing/ and
// https://aws.amazon.com/lambda/pricing/ before relying on a figure to the cent.

import { NAT_GATEWAY_PRICES } from "../../policy/prices";

// The hours in a month and the NAT gateway's figures are the policy pack's (it is published alone,
// so it cannot import them from here).
export { HOURS_PER_MONTH } from "../../policy/prices";

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

const READ = "2026-11-25";

// Each source names AWS's own pricing page first, then where the figure was read (the page fills its
// tables in with scripts, so a stored copy of it holds no figures).
const READ_FROM = (awsPage: string, copy: string) => `${awsPage}; figure as read in ${copy}`;
const SEOUL_COPY =
    "AWS's price list API files for ap-northeast-2, as transcribed 2026-10-01 in " +
    "https://github.com/Softbank-hackathon2026-peony/one-click-deploy-agent/blob/17b43b0f854b9f953c56c14dcb5fb157db0f5d89/docs/research/capabilities/05-compute-tier1-2.md";

/** SkyPilot's catalogue is generated from the AWS price list API (on-demand hourly price per type and region). */
const EC2 = READ_FROM(
    "https://aws.amazon.com/ec2/pricing/on-demand/",
    "AWS's EC2 price list as published in SkyPilot's AWS catalogue, https://github.com/skypilot-org/skypilot-catalog/blob/00148f2af3672e2229b4f7bf8157d5a3f36e3c35/catalogs/v8/aws/vms.csv",
);
const IPV4 = READ_FROM(
    "https://aws.amazon.com/vpc/pricing/ (public IPv4 addresses)",
    'AWS\'s announcement "AWS to Charge Public IPv4 Addresses" (community.aws, 2024-02-08): 0.005 USD per address per hour from 2024-02-01, attached or idle',
);
const SEOUL_EBS = READ_FROM("https://aws.amazon.com/ebs/pricing/", SEOUL_COPY);
const SEOUL_LAMBDA = READ_FROM("https://aws.amazon.com/lambda/pricing/", SEOUL_COPY);
const US_GP3 = READ_FROM(
    "https://aws.amazon.com/ebs/pricing/",
    "https://www.saisci.com/aws/gp2-vs-gp3-cost-comparison-ebs-volumes/ (N. Virginia)",
);
const LAMBDA_REQUESTS = READ_FROM(
    "https://aws.amazon.com/lambda/pricing/",
    'AWS\'s whitepaper "How AWS Pricing Works", Lambda: https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html',
);
const US_LAMBDA_GBS = READ_FROM(
    "https://aws.amazon.com/lambda/pricing/",
    "https://cloudchipr.com/blog/aws-lambda-pricing (US East, N. Virginia, first tier)",
);

const CW_ALARMS = READ_FROM(
    "https://aws.amazon.com/cloudwatch/pricing/",
    "https://c3x.dev/resources/aws/aws_cloudwatch_metric_alarm: standard-resolution alarm 0.10 USD per alarm-month, the US East list price (no stored copy of the Seoul figure was found)",
);
const CW_METRICS = READ_FROM(
    "https://aws.amazon.com/cloudwatch/pricing/",
    "https://cal53.calculator.city/cloudwatch-custom-metrics-calculator/: custom metrics 0.30 USD per metric-month for the first 10,000, the US East list price (no stored copy of the Seoul figure was found)",
);

const price = (usd: number, source: string): Price => ({ usd, source, asOf: READ });
/** A NAT gateway's hourly and per-GB price in `region`, from the policy pack's table. */
const natGateway = (region: string) => {
    const p = NAT_GATEWAY_PRICES[region];
    if (!p) throw new Error(`policy/prices.ts has no NAT gateway price for ${region}; add it there`);
    return { natGatewayHour: price(p.hour, p.source), natGatewayGb: price(p.gb, p.source) };
};

export const PRICES: Record<string, RegionPrices> = {
    "ap-northeast-2": {
        region: "ap-northeast-2",
        ...natGateway("ap-northeast-2"),
        publicIpv4Hour: price(0.005, IPV4),
        gp3GbMonth: price(0.0912, SEOUL_EBS),
        instanceHour: {
            "t3.nano": price(0.0065, EC2),
            "t3a.nano": price(0.0059, EC2),
            "t3.micro": price(0.013, EC2),
            "t2.micro": price(0.0144, EC2),
            "t4g.nano": price(0.0052, EC2),
        },
        lambdaRequestsPerMillion: price(0.2, SEOUL_LAMBDA),
        lambdaGbSecond: { arm64: price(0.0000133334, SEOUL_LAMBDA), x86_64: price(0.0000166667, SEOUL_LAMBDA) },
        cloudWatchAlarmMonth: price(0.1, CW_ALARMS),
        customMetricMonth: price(0.3, CW_METRICS),
    },
    "us-east-1": {
        region: "us-east-1",
        ...natGateway("us-east-1"),
        publicIpv4Hour: price(0.005, IPV4),
        gp3GbMonth: price(0.08, US_GP3),
        instanceHour: {
            "t3.nano": price(0.0052, EC2),
            "t3a.nano": price(0.0047, EC2),
            "t3.micro": price(0.0104, EC2),
            "t2.micro": price(0.0116, EC2),
            "t4g.nano": price(0.0042, EC2),
        },
        lambdaRequestsPerMillion: price(0.2, LAMBDA_REQUESTS),
        lambdaGbSecond: { arm64: price(0.0000133334, US_LAMBDA_GBS), x86_64: price(0.0000166667, US_LAMBDA_GBS) },
        cloudWatchAlarmMonth: price(0.1, CW_ALARMS),
        customMetricMonth: price(0.3, CW_METRICS),
    },
};
