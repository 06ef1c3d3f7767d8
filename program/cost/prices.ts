// Every price the program and the tools use, in one table, each with the public page it was read
// from and when. On-demand USD. A region or instance type that is not here is reported as unknown,
// never guessed.
//
// AWS's own pricing pages fill their tables in with scripts, so a stored copy of them shows no
// figures; where that is so, the source is a public copy of AWS's price list (named below) and says
// so. Re-check against https://aws.amazon.com/ec2/pricing/on-demand/,
// https://aws.amazon.com/vpc/pricing/, https://aws.amazon.com/ebs/pricing/ and
// https://aws.amazon.com/lambda/pricing/ before relying on a figure to the cent.

/** Hours in the month AWS bills by (AWS pricing pages compute monthly figures from 730 hours). */
export const HOURS_PER_MONTH = 730;

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

/** SkyPilot's catalogue is generated from the AWS price list API (on-demand hourly price per type and region). */
const EC2 = "AWS EC2 on-demand price list, as published in SkyPilot's AWS catalogue: https://github.com/skypilot-org/skypilot-catalog/blob/00148f2af3672e2229b4f7bf8157d5a3f36e3c35/catalogs/v8/aws/vms.csv";
const IPV4 = "AWS, \"AWS to Charge Public IPv4 Addresses\" (community.aws, 2024-02-08): 0.005 USD per address per hour from 2024-02-01, attached or idle";
const SEOUL_LIST =
    "AWS price list API files for ap-northeast-2 (AmazonEC2, AmazonVPC, AmazonEC2 EBS, AWSLambda), as transcribed 2026-10-01 in " +
    "https://github.com/Softbank-hackathon2026-peony/one-click-deploy-agent/blob/17b43b0f854b9f953c56c14dcb5fb157db0f5d89/docs/research/capabilities/05-compute-tier1-2.md";
const US_NAT = "AWS VPC pricing, us-east-1 rates as quoted in https://basavytix.com/blog/aws-nat-gateway-pricing";
const US_GP3 = "AWS EBS pricing, N. Virginia, as quoted in https://www.saisci.com/aws/gp2-vs-gp3-cost-comparison-ebs-volumes/";
const LAMBDA_REQUESTS = "AWS whitepaper \"How AWS Pricing Works\", Lambda: https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html";
const US_LAMBDA_GBS = "AWS Lambda pricing, US East (N. Virginia) first tier, as quoted in https://cloudchipr.com/blog/aws-lambda-pricing";

const CW_ALARMS =
    "Amazon CloudWatch pricing, standard-resolution alarm 0.10 USD per alarm-month (US East list price, as quoted in https://c3x.dev/resources/aws/aws_cloudwatch_metric_alarm; " +
    "no stored copy of the Seoul figure was found: check https://aws.amazon.com/cloudwatch/pricing/)";
const CW_METRICS =
    "Amazon CloudWatch pricing, custom metrics 0.30 USD per metric-month for the first 10,000 (US East list price, as quoted in https://cal53.calculator.city/cloudwatch-custom-metrics-calculator/; " +
    "no stored copy of the Seoul figure was found: check https://aws.amazon.com/cloudwatch/pricing/)";

const price = (usd: number, source: string): Price => ({ usd, source, asOf: READ });

export const PRICES: Record<string, RegionPrices> = {
    "ap-northeast-2": {
        region: "ap-northeast-2",
        natGatewayHour: price(0.059, SEOUL_LIST),
        natGatewayGb: price(0.059, SEOUL_LIST),
        publicIpv4Hour: price(0.005, IPV4),
        gp3GbMonth: price(0.0912, SEOUL_LIST),
        instanceHour: {
            "t3.nano": price(0.0065, EC2),
            "t3a.nano": price(0.0059, EC2),
            "t3.micro": price(0.013, EC2),
            "t2.micro": price(0.0144, EC2),
            "t4g.nano": price(0.0052, EC2),
        },
        lambdaRequestsPerMillion: price(0.2, SEOUL_LIST),
        lambdaGbSecond: { arm64: price(0.0000133334, SEOUL_LIST), x86_64: price(0.0000166667, SEOUL_LIST) },
        cloudWatchAlarmMonth: price(0.1, CW_ALARMS),
        customMetricMonth: price(0.3, CW_METRICS),
    },
    "us-east-1": {
        region: "us-east-1",
        natGatewayHour: price(0.045, US_NAT),
        natGatewayGb: price(0.045, US_NAT),
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
