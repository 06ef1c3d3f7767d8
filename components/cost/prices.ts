// Every price the program and the tools use, in one table, each with where it came from and when.
// On-demand USD. A region or instance type that is not here is reported as unknown, never guessed.

export interface Price {
    usd: number;
    source: string;
    /** When the figure was taken from its source. */
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
}

const NOTES = "AWS pricing as recorded in shared/nat-notes.md";
const VPC = "AWS VPC pricing page (public IPv4 charge since 2024-02-01)";
const EBS = "AWS EBS pricing page, gp3 storage; not re-checked offline";
const LAMBDA = "AWS Lambda pricing page; not re-checked offline";
const SEOUL_NAT = "AWS console price (2018); third-party copies of the AWS price list API";

// Lambda's request and duration prices are the same in both regions listed here.
const lambdaPrices = {
    lambdaRequestsPerMillion: { usd: 0.2, source: LAMBDA, asOf: "2026-11" },
    lambdaGbSecond: { arm64: { usd: 0.0000133334, source: LAMBDA, asOf: "2026-11" }, x86_64: { usd: 0.0000166667, source: LAMBDA, asOf: "2026-11" } },
};

export const PRICES: Record<string, RegionPrices> = {
    "ap-northeast-2": {
        region: "ap-northeast-2",
        natGatewayHour: { usd: 0.059, source: SEOUL_NAT, asOf: "2026-08" },
        natGatewayGb: { usd: 0.059, source: SEOUL_NAT, asOf: "2026-08" },
        publicIpv4Hour: { usd: 0.005, source: VPC, asOf: "2024-02-01" },
        gp3GbMonth: { usd: 0.0912, source: EBS, asOf: "2026-11" },
        instanceHour: {
            "t2.micro": { usd: 0.0144, source: NOTES, asOf: "2026-11" },
            "t3.micro": { usd: 0.013, source: NOTES, asOf: "2026-11" },
            "t4g.nano": { usd: 0.0052, source: NOTES, asOf: "2026-11" },
        },
        ...lambdaPrices,
    },
    "us-east-1": {
        region: "us-east-1",
        natGatewayHour: { usd: 0.045, source: "AWS VPC pricing page", asOf: "2026-11" },
        natGatewayGb: { usd: 0.045, source: "AWS VPC pricing page", asOf: "2026-11" },
        publicIpv4Hour: { usd: 0.005, source: VPC, asOf: "2024-02-01" },
        gp3GbMonth: { usd: 0.08, source: EBS, asOf: "2026-11" },
        instanceHour: {
            "t2.micro": { usd: 0.0116, source: NOTES, asOf: "2026-11" },
            "t3.micro": { usd: 0.0104, source: NOTES, asOf: "2026-11" },
            "t4g.nano": { usd: 0.0042, source: NOTES, asOf: "2026-11" },
        },
        ...lambdaPrices,
    },
};
