// Pure config validation: raw strings in (exactly what the Pulumi CLI hands the program, with the
// Pulumi.yaml defaults already applied), a typed object out, or one error listing every problem.
// Defaults live in Pulumi.yaml only; this module never invents a value. Each area (network, NAT,
// Aligo, functions) is read by its own module; the NAT's and the network's rules are the
// components' own (components/rules.ts).
import { type NatStrategy, quote } from "../../components/index";
import { parseAlarmsConfig, type AlarmsConfig } from "./alarms";
import { parseAligoConfig, type AligoConfig } from "./aligo";
import { parseFunctionsConfig, type FunctionsConfig } from "./functions";
import { parseNatConfig, type NatConfig } from "./nat";
import { parseNetworkConfig, type NetworkConfig } from "./network";
import { RawReader, type RawConfig } from "./reader";

export type { RawConfig } from "./reader";
export { LAMBDA_ARCHITECTURES, LOG_RETENTION_DAYS } from "./functions";
export { NAT_STRATEGY_VALUES as NAT_STRATEGIES } from "../../components/index";
export type { NatStrategy } from "../../components/index";

export type ConfigType = "string" | "integer" | "boolean" | "array";

/**
 * Every key the program reads, with its Pulumi.yaml type. Pulumi.yaml must declare exactly these
 * (a test holds the two, and the README table, in step).
 */
export const CONFIG_KEYS: Record<string, { type: ConfigType; secret?: boolean; required?: boolean }> = {
    nat: { type: "string" },
    vpcCidr: { type: "string" },
    azCount: { type: "integer" },
    publicSubnetCidrs: { type: "array" },
    privateSubnetCidrs: { type: "array" },
    natInstanceType: { type: "string" },
    natImage: { type: "string" },
    natKeyName: { type: "string" },
    natSshCidr: { type: "string" },
    egressIpAllocationIds: { type: "array" },
    egressIpStandby: { type: "boolean" },
    natImageRefresh: { type: "string" },
    natPerAz: { type: "boolean" },
    aligoApiKey: { type: "string", secret: true, required: true },
    aligoUserId: { type: "string", required: true },
    aligoSender: { type: "string", required: true },
    lambdaArchitecture: { type: "string" },
    lambdaMemoryMb: { type: "integer" },
    lambdaTimeoutSeconds: { type: "integer" },
    logRetentionDays: { type: "integer" },
    warmerSchedule: { type: "string" },
    warmerConcurrency: { type: "integer" },
    warmerEnabled: { type: "boolean" },
    alarmEmail: { type: "string" },
    alarmTopicArn: { type: "string" },
    aligoBalanceAlarmBelow: { type: "integer" },
};

export interface AppConfig extends NetworkConfig, NatConfig, AligoConfig, FunctionsConfig, AlarmsConfig {
    /** AWS region from `aws:region`. */
    readonly region: string;
}

export interface ParsedConfig {
    readonly config: AppConfig;
    /** Things worth saying that do not stop a deployment. */
    readonly warnings: string[];
}

export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(
            `Invalid stack configuration (nothing was created or changed):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * Validates all of `raw`. Throws {@link ConfigError} naming every bad key, its value and what is
 * allowed; returns the typed config and any warnings otherwise.
 */
export function parseConfig(raw: RawConfig): ParsedConfig {
    const r = new RawReader(raw);

    // Own keys only: `toString`, `constructor` or `__proto__` are not settings.
    for (const k of Object.keys(raw).filter(
        (key) => !key.includes(":") && !Object.prototype.hasOwnProperty.call(CONFIG_KEYS, key),
    )) {
        const near = Object.keys(CONFIG_KEYS).find((known) => known.toLowerCase() === k.toLowerCase());
        r.fail(
            `${k}: is not a setting of this program${near ? `; did you mean ${near}?` : ""} (known: ${Object.keys(CONFIG_KEYS).join(", ")})`,
        );
    }

    let region = r.str("aws:region");
    if (region === undefined) {
        r.fail(`aws:region: is not set; run \`pulumi config set aws:region ap-northeast-2\` (Seoul)`);
    } else if (!REGION.test(region)) {
        region = r.fail(`aws:region: ${quote(region)} is not an AWS region name such as ap-northeast-2 or us-east-1`);
    }
    const nat = parseNatConfig(r);
    const network = parseNetworkConfig(r);
    const aligo = parseAligoConfig(
        r,
        Object.prototype.hasOwnProperty.call(raw, "aligoApiKey") ? raw.aligoApiKey : undefined,
    );
    const functions = parseFunctionsConfig(r);
    const alarms = parseAlarmsConfig(r, region);

    if (r.problems.length > 0 || region === undefined || !nat || !network || !aligo || !functions || !alarms)
        throw new ConfigError(r.problems);
    return { config: { region, ...network, ...nat, ...aligo, ...functions, ...alarms }, warnings: r.warnings };
}

/**
 * Whether the warmer's schedule fires: only when it is enabled *and* there is a NAT. With nat none
 * the functions cannot reach the Lambda API, so every run would fail at its timeout and cost
 * money for nothing; the rule stays, disabled.
 */
export function warmerActive(cfg: { warmerEnabled: boolean; nat: NatStrategy }): boolean {
    return cfg.warmerEnabled && cfg.nat !== "none";
}
