// Pure config validation: raw strings in (exactly what the Pulumi CLI hands the program, with the
// Pulumi.yaml defaults already applied), a typed object out, or one error listing every problem.
// Defaults live in Pulumi.yaml only; this module never invents a value.
import {
    AWS_MAX_PREFIX,
    AWS_MIN_PREFIX,
    CidrError,
    MAX_AZ,
    carveSubnets,
    contains,
    formatCidr,
    isRfc1918,
    overlaps,
    parseCidr,
    type Cidr,
} from "../../components/cidr";
import {
    AMI_ID,
    IMAGE_FAMILIES,
    INSTANCE_TYPE,
    NAT_IMAGE_FAMILIES,
    instanceArchitecture,
    type Architecture,
    type NatImage,
    type NatImageFamily,
} from "../../components/images";
import { scheduleProblem } from "../functions/schedule";

export const NAT_STRATEGIES = ["gateway", "instance", "none"] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

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
};

export const LAMBDA_ARCHITECTURES = ["arm64", "x86_64"] as const;
/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Raw config: short keys of this project, plus `aws:region`. Values as the CLI passes them. */
export type RawConfig = Record<string, string | undefined>;

export interface AppConfig {
    /** AWS region from `aws:region`. */
    readonly region: string;
    readonly nat: NatStrategy;
    readonly vpcCidr: string;
    readonly azCount: number;
    /** Resolved subnet blocks, carved or given; one public and one private per AZ. */
    readonly publicSubnetCidrs: string[];
    readonly privateSubnetCidrs: string[];
    readonly natInstanceType: string;
    readonly natImage: NatImage;
    /** CPU architecture of `natInstanceType`. */
    readonly natArchitecture: Architecture;
    readonly natKeyName?: string;
    readonly natSshCidr?: string;
    /** Bring-your-own Elastic IPs (1 or 2); undefined when the program allocates its own. */
    readonly egressIpAllocationIds?: string[];
    /**
     * Whether the program keeps a standby address for the NAT kind that is off (one per kind, so a
     * switch is one `pulumi up`), or allocates just one (a switch then passes through nat=none).
     */
    readonly egressIpStandby: boolean;
    /** Any new value moves the NAT instance to the newest image of its kind at the next `up`; "" = none yet. */
    readonly natImageRefresh: string;
    readonly aligoUserId: string;
    readonly aligoSender: string;
    readonly lambdaArchitecture: (typeof LAMBDA_ARCHITECTURES)[number];
    readonly lambdaMemoryMb: number;
    readonly lambdaTimeoutSeconds: number;
    readonly logRetentionDays: number;
    readonly warmerSchedule: string;
    readonly warmerConcurrency: number;
    readonly warmerEnabled: boolean;
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

const q = (v: string) => JSON.stringify(v);

/** The longest value echoed back in an error; a pasted file should not flood the terminal. */
function shown(v: string): string {
    return q(v.length > 80 ? `${v.slice(0, 77)}...` : v);
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ALLOCATION_ID = /^eipalloc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const KEY_PAIR_NAME = /^[\x20-\x7e]{1,255}$/;

/**
 * Validates all of `raw`. Throws {@link ConfigError} naming every bad key, its value and what is
 * allowed; returns the typed config and any warnings otherwise.
 */
export function parseConfig(raw: RawConfig): ParsedConfig {
    const problems: string[] = [];
    const warnings: string[] = [];
    const fail = (msg: string) => {
        problems.push(msg);
        return undefined;
    };

    // Own keys only: `toString`, `constructor` or `__proto__` are not settings.
    const unknownKeys = Object.keys(raw).filter((k) => !k.includes(":") && !Object.prototype.hasOwnProperty.call(CONFIG_KEYS, k));
    for (const k of unknownKeys) {
        const near = Object.keys(CONFIG_KEYS).find((known) => known.toLowerCase() === k.toLowerCase());
        fail(`${k}: is not a setting of this program${near ? `; did you mean ${near}?` : ""} (known: ${Object.keys(CONFIG_KEYS).join(", ")})`);
    }

    const str = (key: string): string | undefined => {
        const v = raw[key];
        return v === undefined || v === "" ? undefined : v;
    };
    const need = (key: string, what: string): string | undefined =>
        str(key) ?? fail(`${key}: is not set; ${what}`);
    const integer = (key: string, min: number, max: number, what = `a whole number from ${min} to ${max}`): number | undefined => {
        const v = need(key, what);
        if (v === undefined) return undefined;
        const n = Number(v);
        if (/^\d+$/.test(v.trim()) && n >= min && n <= max) return n;
        return fail(`${key}: ${shown(v)} is not ${what}`);
    };
    const bool = (key: string): boolean | undefined => {
        const v = need(key, "true or false");
        if (v === "true" || v === "false") return v === "true";
        if (v !== undefined) fail(`${key}: ${shown(v)} is not true or false`);
        return undefined;
    };
    const oneOf = <T extends string>(key: string, allowed: readonly T[]): T | undefined => {
        const v = need(key, `allowed: ${allowed.join(", ")}`);
        if (v === undefined) return undefined;
        if ((allowed as readonly string[]).includes(v)) return v as T;
        return fail(`${key}: ${shown(v)} is not one of ${allowed.join(", ")}`);
    };


    // aws:region
    const region = str("aws:region");
    if (region === undefined) {
        fail(`aws:region: is not set; run \`pulumi config set aws:region ap-northeast-2\` (Seoul)`);
    } else if (!REGION.test(region)) {
        fail(`aws:region: ${shown(region)} is not an AWS region name such as ap-northeast-2 or us-east-1`);
    }

    // nat
    const nat = oneOf("nat", NAT_STRATEGIES);

    // vpcCidr
    let vpc: Cidr | undefined;
    const vpcRaw = need("vpcCidr", "give a private block such as 10.0.0.0/16");
    if (vpcRaw !== undefined) {
        try {
            vpc = parseCidr(vpcRaw);
            if (vpc.prefix < AWS_MIN_PREFIX || vpc.prefix > AWS_MAX_PREFIX) {
                vpc = fail(`vpcCidr: ${shown(vpcRaw)} has prefix /${vpc.prefix}; AWS allows /${AWS_MIN_PREFIX} to /${AWS_MAX_PREFIX}`);
            } else if (!isRfc1918(vpc)) {
                warnings.push(
                    `vpcCidr: ${shown(vpcRaw)} is not private address space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16). ` +
                        `It belongs to someone on the internet, and traffic to their addresses would stay inside your VPC. ` +
                        `Use e.g. 10.0.0.0/16 unless you mean it.`,
                );
            }
        } catch (e) {
            vpc = fail(`vpcCidr: ${(e as Error).message}`);
        }
    }

    const azCount = integer("azCount", 1, MAX_AZ);

    // subnets
    const list = (key: string): string[] | undefined => {
        const v = str(key);
        if (v === undefined) return undefined;
        let parsed: unknown;
        try {
            parsed = JSON.parse(v);
        } catch {
            return fail(`${key}: ${shown(v)} is not a list; set items with \`pulumi config set --path '${key}[0]' <value>\``);
        }
        if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === "string")) {
            return fail(`${key}: ${shown(v)} is not a list of strings`);
        }
        // [] is the Pulumi.yaml default: not set.
        return parsed.length === 0 ? undefined : parsed;
    };
    const pubList = list("publicSubnetCidrs");
    const privList = list("privateSubnetCidrs");
    let publicSubnetCidrs: string[] | undefined;
    let privateSubnetCidrs: string[] | undefined;
    if (pubList === undefined && privList === undefined) {
        if (vpc && azCount) {
            try {
                ({ publicCidrs: publicSubnetCidrs, privateCidrs: privateSubnetCidrs } = carveSubnets(vpc, azCount));
            } catch (e) {
                fail(`vpcCidr: ${(e as CidrError).message}; use a larger vpcCidr, or give publicSubnetCidrs and privateSubnetCidrs yourself`);
            }
        }
    } else if (pubList === undefined || privList === undefined) {
        const [given, missing] = pubList === undefined ? ["privateSubnetCidrs", "publicSubnetCidrs"] : ["publicSubnetCidrs", "privateSubnetCidrs"];
        fail(`${missing}: is not set but ${given} is; give both lists (one block per AZ each) or neither`);
    } else {
        const checked = checkExplicitSubnets(vpc, azCount, pubList, privList);
        problems.push(...checked);
        if (checked.length === 0) {
            publicSubnetCidrs = pubList;
            privateSubnetCidrs = privList;
        }
    }

    // natInstanceType + natImage
    let natArchitecture: Architecture | undefined;
    const typeRaw = need("natInstanceType", "e.g. t3.nano");
    if (typeRaw !== undefined) {
        if (INSTANCE_TYPE.test(typeRaw)) natArchitecture = instanceArchitecture(typeRaw);
        else fail(`natInstanceType: ${shown(typeRaw)} is not an EC2 instance type such as t3.nano or t4g.nano`);
    }
    let natImage: NatImage | undefined;
    const imageRaw = need("natImage", `allowed: ${NAT_IMAGE_FAMILIES.join(", ")} or an ami-… id`);
    if (imageRaw !== undefined) {
        if ((NAT_IMAGE_FAMILIES as readonly string[]).includes(imageRaw)) {
            natImage = { kind: "family", family: imageRaw as NatImageFamily };
        } else if (AMI_ID.test(imageRaw)) {
            natImage = { kind: "ami", id: imageRaw };
        } else {
            fail(`natImage: ${shown(imageRaw)} is not one of ${NAT_IMAGE_FAMILIES.join(", ")}, nor an AMI id (ami- and 8 or 17 hex digits)`);
        }
    }
    if (natImage?.kind === "family" && natArchitecture && typeRaw) {
        const supported = IMAGE_FAMILIES[natImage.family].architectures;
        if (!supported.includes(natArchitecture)) {
            fail(
                `natInstanceType: ${shown(typeRaw)} is ${natArchitecture}, but natImage ${q(natImage.family)} exists only for ${supported.join(", ")}; ` +
                    `pick an x86_64 type such as t3.nano, or natImage fck-nat / al2023 for ${natArchitecture}`,
            );
        }
    }

    // SSH
    const natKeyName = str("natKeyName");
    if (natKeyName !== undefined && !KEY_PAIR_NAME.test(natKeyName)) {
        fail(`natKeyName: ${shown(natKeyName)} is not an EC2 key pair name (1–255 printable ASCII characters)`);
    }
    const sshRaw = str("natSshCidr");
    let natSshCidr: string | undefined;
    if (sshRaw !== undefined) {
        try {
            const c = parseCidr(sshRaw);
            if (c.prefix < 16) {
                fail(`natSshCidr: ${shown(sshRaw)} opens SSH to ${c.prefix === 0 ? "the whole internet" : `${2 ** (32 - c.prefix)} addresses`}; allowed: /16 to /32, e.g. your own address as 203.0.113.7/32`);
            } else if (natKeyName === undefined) {
                fail(`natSshCidr: ${shown(sshRaw)} is set but natKeyName is not; SSH needs a key pair (set natKeyName, or unset natSshCidr)`);
            } else {
                natSshCidr = formatCidr(c);
            }
        } catch (e) {
            fail(`natSshCidr: ${(e as Error).message}`);
        }
    }

    // egressIpAllocationIds
    const allocList = list("egressIpAllocationIds");
    let egressIpAllocationIds: string[] | undefined;
    if (allocList !== undefined) {
        const bad = allocList.filter((id) => !ALLOCATION_ID.test(id));
        if (allocList.length > 2) {
            fail(`egressIpAllocationIds: ${shown(JSON.stringify(allocList))} has ${allocList.length} entries; allowed: 1 (one address for whichever NAT is on) or 2 (gateway's, then instance's)`);
        } else if (bad.length > 0) {
            fail(`egressIpAllocationIds: ${bad.map(shown).join(", ")} ${bad.length === 1 ? "is not an allocation id" : "are not allocation ids"} (eipalloc- and 8 or 17 hex digits, from \`aws ec2 describe-addresses\`)`);
        } else if (allocList.length === 2 && allocList[0] === allocList[1]) {
            fail(`egressIpAllocationIds: ${shown(allocList[0])} is listed twice; give one entry, or two different addresses`);
        } else {
            egressIpAllocationIds = allocList;
        }
    }

    const egressIpStandby = bool("egressIpStandby");
    if (egressIpStandby === false && egressIpAllocationIds?.length === 2) {
        fail(
            `egressIpStandby: false contradicts egressIpAllocationIds, which lists two addresses (one per NAT kind); ` +
                `list one address for whichever NAT is on, or set egressIpStandby true`,
        );
    }
    const natImageRefresh = str("natImageRefresh") ?? "";
    if (!/^[\x20-\x7e]{0,64}$/.test(natImageRefresh)) {
        fail(`natImageRefresh: ${shown(natImageRefresh)} is not a short label (up to 64 printable ASCII characters, e.g. today's date 2026-11-25)`);
    }

    // Aligo
    const apiKey = raw.aligoApiKey;
    if (apiKey === undefined || apiKey === "") {
        fail(`aligoApiKey: is not set; run \`pulumi config set --secret aligoApiKey <key from the Aligo console>\``);
    } else if (/\s/.test(apiKey)) {
        // Never echo a secret: say what is wrong with it instead.
        fail(`aligoApiKey: contains whitespace (a pasted newline or space?); set it again with \`pulumi config set --secret aligoApiKey\``);
    }
    const aligoUserId = need("aligoUserId", "your Aligo login id; run `pulumi config set aligoUserId <id>`");
    if (aligoUserId !== undefined && !/^[A-Za-z0-9._@-]{1,64}$/.test(aligoUserId)) {
        fail(`aligoUserId: ${shown(aligoUserId)} is not an Aligo user id (letters, digits, . _ @ -)`);
    }
    const senderRaw = need("aligoSender", "the sending number registered in the Aligo console, e.g. 02-1234-5678");
    let aligoSender: string | undefined;
    if (senderRaw !== undefined) {
        const digits = senderRaw.replace(/[-\s]/g, "");
        if (/^\d{8,12}$/.test(digits)) aligoSender = digits;
        else fail(`aligoSender: ${shown(senderRaw)} is not a phone number (8–12 digits, hyphens allowed, e.g. 02-1234-5678, 1588-1234, 010-1234-5678)`);
    }

    // Lambdas
    const lambdaArchitecture = oneOf("lambdaArchitecture", LAMBDA_ARCHITECTURES);
    const lambdaMemoryMb = integer("lambdaMemoryMb", 128, 10_240);
    // At least 5 s: a request gets up to 3 s to connect, and 1 s is kept back to answer.
    const lambdaTimeoutSeconds = integer("lambdaTimeoutSeconds", 5, 900);
    const retention = oneOf("logRetentionDays", LOG_RETENTION_DAYS.map(String));
    const logRetentionDays = retention === undefined ? undefined : Number(retention);
    const warmerSchedule = need("warmerSchedule", "e.g. rate(5 minutes)");
    if (warmerSchedule !== undefined) {
        const problem = scheduleProblem(warmerSchedule);
        if (problem) fail(`warmerSchedule: ${shown(warmerSchedule)} ${problem.startsWith("is ") ? problem : `is not valid: ${problem}`}`);
    }
    const warmerConcurrency = integer("warmerConcurrency", 1, 10);
    const warmerEnabled = bool("warmerEnabled");

    if (problems.length > 0) throw new ConfigError(problems);
    return {
        config: {
            region: region!,
            nat: nat!,
            vpcCidr: formatCidr(vpc!),
            azCount: azCount!,
            publicSubnetCidrs: publicSubnetCidrs!,
            privateSubnetCidrs: privateSubnetCidrs!,
            natInstanceType: typeRaw!,
            natImage: natImage!,
            natArchitecture: natArchitecture!,
            natKeyName,
            natSshCidr,
            egressIpAllocationIds,
            egressIpStandby: egressIpStandby!,
            natImageRefresh,
            aligoUserId: aligoUserId!,
            aligoSender: aligoSender!,
            lambdaArchitecture: lambdaArchitecture!,
            lambdaMemoryMb: lambdaMemoryMb!,
            lambdaTimeoutSeconds: lambdaTimeoutSeconds!,
            logRetentionDays: logRetentionDays!,
            warmerSchedule: warmerSchedule!,
            warmerConcurrency: warmerConcurrency!,
            warmerEnabled: warmerEnabled!,
        },
        warnings,
    };
}

/**
 * Whether the warmer's schedule fires: only when it is enabled *and* there is a NAT. With nat none
 * the functions cannot reach the Lambda API, so every run would fail at its timeout and cost
 * money for nothing; the rule stays, disabled.
 */
export function warmerActive(cfg: Pick<AppConfig, "warmerEnabled" | "nat">): boolean {
    return cfg.warmerEnabled && cfg.nat !== "none";
}

/** Problems with explicit subnet lists; empty when they are usable. */
function checkExplicitSubnets(vpc: Cidr | undefined, azCount: number | undefined, pub: string[], priv: string[]): string[] {
    const problems: string[] = [];
    if (pub.length !== priv.length) {
        problems.push(`privateSubnetCidrs: has ${priv.length} blocks but publicSubnetCidrs has ${pub.length}; give one of each per AZ`);
    }
    if (azCount !== undefined && pub.length !== azCount) {
        problems.push(`publicSubnetCidrs: has ${pub.length} blocks but azCount is ${azCount}; set azCount to ${pub.length} or give ${azCount} blocks`);
    }
    const parsed: { key: string; text: string; cidr: Cidr }[] = [];
    for (const [key, items] of [["publicSubnetCidrs", pub], ["privateSubnetCidrs", priv]] as const) {
        for (const text of items) {
            try {
                const cidr = parseCidr(text);
                if (cidr.prefix < AWS_MIN_PREFIX || cidr.prefix > AWS_MAX_PREFIX) {
                    problems.push(`${key}: ${shown(text)} has prefix /${cidr.prefix}; AWS subnets are /${AWS_MIN_PREFIX} to /${AWS_MAX_PREFIX}`);
                } else if (vpc && !contains(vpc, cidr)) {
                    problems.push(`${key}: ${shown(text)} is not inside vpcCidr ${formatCidr(vpc)}`);
                } else {
                    parsed.push({ key, text, cidr });
                }
            } catch (e) {
                problems.push(`${key}: ${(e as Error).message}`);
            }
        }
    }
    for (let i = 0; i < parsed.length; i++) {
        for (let j = i + 1; j < parsed.length; j++) {
            if (overlaps(parsed[i].cidr, parsed[j].cidr)) {
                problems.push(`${parsed[j].key}: ${shown(parsed[j].text)} overlaps ${shown(parsed[i].text)} (${parsed[i].key}); subnets must not overlap`);
            }
        }
    }
    return problems;
}
