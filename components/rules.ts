// The rules for the components' arguments, in one place. Pure: each check returns problems as
// (path, reason) pairs, and the caller names the paths. The components turn them into Pulumi's
// input-property errors (`instance.instanceType`); the program's config parser into config errors
// (its own key names). Same rule, same words, one place.
import {
    AWS_MAX_PREFIX,
    AWS_MIN_PREFIX,
    CidrError,
    carveSubnets,
    contains,
    formatCidr,
    isRfc1918,
    overlaps,
    parseCidr,
    type Cidr,
} from "./cidr";
import {
    AMI_ID,
    IMAGE_FAMILIES,
    INSTANCE_TYPE,
    NAT_IMAGE_FAMILIES,
    instanceArchitecture,
    type Architecture,
    type NatImage,
    type NatImageFamily,
} from "./images";

export interface Problem {
    /** The property (component) or config key (program) that is wrong. */
    path: string;
    reason: string;
}

/** A value as it is quoted in a reason: JSON, at most 80 characters. */
export function quote(v: string): string {
    return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
}

/** The problems as one line each, `path: reason`. */
export function describeProblems(problems: Problem[]): string[] {
    return problems.map((p) => `${p.path}: ${p.reason}`);
}

// ---------------------------------------------------------------------------------------------
// Network

export interface NetworkNames {
    vpcCidr: string;
    publicSubnetCidrs: string;
    privateSubnetCidrs: string;
    /** What decides the number of subnet pairs: the config's azCount, the component's availabilityZones. */
    count: string;
}

export interface VpcCheck {
    vpc?: Cidr;
    problems: Problem[];
    /** Worth saying, not worth stopping for. */
    warnings: string[];
}

/** A VPC block: a.b.c.d/n, /16 to /28, private space expected (warned about otherwise). */
export function checkVpcCidr(text: string, names: Pick<NetworkNames, "vpcCidr">): VpcCheck {
    let vpc: Cidr;
    try {
        vpc = parseCidr(text);
    } catch (e) {
        return { problems: [{ path: names.vpcCidr, reason: (e as Error).message }], warnings: [] };
    }
    if (vpc.prefix < AWS_MIN_PREFIX || vpc.prefix > AWS_MAX_PREFIX) {
        return {
            problems: [
                {
                    path: names.vpcCidr,
                    reason: `${quote(text)} has prefix /${vpc.prefix}; AWS allows /${AWS_MIN_PREFIX} to /${AWS_MAX_PREFIX}`,
                },
            ],
            warnings: [],
        };
    }
    const warnings = isRfc1918(vpc)
        ? []
        : [
              `${names.vpcCidr}: ${quote(text)} is not private address space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16). ` +
                  `It belongs to someone on the internet, and traffic to their addresses would stay inside your VPC. ` +
                  `Use e.g. 10.0.0.0/16 unless you mean it.`,
          ];
    return { vpc, problems: [], warnings };
}

/** The stable subnet layout for `count` zones, or why the VPC cannot hold it. */
export function carveOrExplain(
    vpc: Cidr,
    count: number,
    names: NetworkNames,
): { publicCidrs: string[]; privateCidrs: string[] } | Problem {
    try {
        return carveSubnets(vpc, count);
    } catch (e) {
        return {
            path: names.vpcCidr,
            reason: `${(e as CidrError).message}; use a larger ${names.vpcCidr}, or give ${names.publicSubnetCidrs} and ${names.privateSubnetCidrs} yourself`,
        };
    }
}

/** Explicit subnet lists: one public and one private block per zone, inside the VPC, /16 to /28, none overlapping. */
export function checkSubnetLists(
    vpc: Cidr | undefined,
    count: number | undefined,
    pub: string[],
    priv: string[],
    names: NetworkNames,
): Problem[] {
    const problems: Problem[] = [];
    if (pub.length !== priv.length) {
        problems.push({
            path: names.privateSubnetCidrs,
            reason: `has ${priv.length} blocks but ${names.publicSubnetCidrs} has ${pub.length}; give one of each per AZ`,
        });
    }
    if (count !== undefined && pub.length !== count) {
        problems.push({
            path: names.publicSubnetCidrs,
            reason: `has ${pub.length} blocks but ${names.count} is ${count}; set ${names.count} to ${pub.length} or give ${count} blocks`,
        });
    }
    const parsed: { key: string; text: string; cidr: Cidr }[] = [];
    for (const [key, items] of [
        [names.publicSubnetCidrs, pub],
        [names.privateSubnetCidrs, priv],
    ] as const) {
        for (const text of items) {
            try {
                const cidr = parseCidr(text);
                if (cidr.prefix < AWS_MIN_PREFIX || cidr.prefix > AWS_MAX_PREFIX) {
                    problems.push({
                        path: key,
                        reason: `${quote(text)} has prefix /${cidr.prefix}; AWS subnets are /${AWS_MIN_PREFIX} to /${AWS_MAX_PREFIX}`,
                    });
                } else if (vpc && !contains(vpc, cidr)) {
                    problems.push({
                        path: key,
                        reason: `${quote(text)} is not inside ${names.vpcCidr} ${formatCidr(vpc)}`,
                    });
                } else {
                    parsed.push({ key, text, cidr });
                }
            } catch (e) {
                problems.push({ path: key, reason: (e as Error).message });
            }
        }
    }
    for (let i = 0; i < parsed.length; i++) {
        for (let j = i + 1; j < parsed.length; j++) {
            if (overlaps(parsed[i].cidr, parsed[j].cidr)) {
                problems.push({
                    path: parsed[j].key,
                    reason: `${quote(parsed[j].text)} overlaps ${quote(parsed[i].text)} (${parsed[i].key}); subnets must not overlap`,
                });
            }
        }
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------
// NAT

export interface NatNames {
    strategy: string;
    instanceType: string;
    image: string;
    keyName: string;
    sshCidr: string;
    refresh: string;
    allocationIds: string;
    standby: string;
    /** Where a new address must be registered before traffic leaves from it, in the caller's words (e.g. "in the partner's allow-list"). */
    allowList: string;
}

/** How the private subnets reach the internet. */
export const NatStrategy = {
    /** A managed NAT gateway: fast, no upkeep, billed by the hour whether used or not (about 0.045–0.059 USD an hour; see the region's VPC pricing page). */
    Gateway: "gateway",
    /** A NAT EC2 instance: a few USD a month, yours to look after. */
    Instance: "instance",
    /** No NAT: no NAT bill; the private subnets have no way out. */
    None: "none",
} as const;
export type NatStrategy = (typeof NatStrategy)[keyof typeof NatStrategy];

/** The NAT strategies, in the order messages list them. */
export const NAT_STRATEGY_VALUES: readonly NatStrategy[] = Object.values(NatStrategy);

export function isNatStrategy(value: unknown): value is NatStrategy {
    return (NAT_STRATEGY_VALUES as readonly unknown[]).includes(value);
}

export function checkStrategy(value: string, names: Pick<NatNames, "strategy">): Problem[] {
    return isNatStrategy(value)
        ? []
        : [{ path: names.strategy, reason: `${quote(value)} is not one of ${NAT_STRATEGY_VALUES.join(", ")}` }];
}

const KEY_PAIR_NAME = /^[\x20-\x7e]{1,255}$/;
const ALLOCATION_ID = /^eipalloc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export interface NatInstanceInput {
    instanceType: string;
    image: string;
    keyName?: string;
    sshCidr?: string;
    refresh?: string;
}

export interface NatInstanceChecked {
    architecture: Architecture;
    image: NatImage;
    /** The SSH block normalised, or undefined. */
    sshCidr?: string;
}

/** The NAT instance's settings: type, image (family or pinned id) and their CPUs, key pair, SSH block, refresh label. */
export function checkNatInstance(
    input: NatInstanceInput,
    names: NatNames,
): { value?: NatInstanceChecked; problems: Problem[] } {
    const problems: Problem[] = [];
    let architecture: Architecture | undefined;
    if (INSTANCE_TYPE.test(input.instanceType)) architecture = instanceArchitecture(input.instanceType);
    else
        problems.push({
            path: names.instanceType,
            reason: `${quote(input.instanceType)} is not an EC2 instance type such as t3.nano or t4g.nano`,
        });

    let image: NatImage | undefined;
    if ((NAT_IMAGE_FAMILIES as readonly string[]).includes(input.image))
        image = { kind: "family", family: input.image as NatImageFamily };
    else if (AMI_ID.test(input.image)) image = { kind: "ami", id: input.image };
    else
        problems.push({
            path: names.image,
            reason: `${quote(input.image)} is not one of ${NAT_IMAGE_FAMILIES.join(", ")}, nor an AMI id (ami- and 8 or 17 hex digits)`,
        });

    if (image?.kind === "family" && architecture) {
        const supported = IMAGE_FAMILIES[image.family].architectures;
        if (!supported.includes(architecture)) {
            problems.push({
                path: names.instanceType,
                reason:
                    `${quote(input.instanceType)} is ${architecture}, but ${names.image} ${JSON.stringify(image.family)} exists only for ${supported.join(", ")}; ` +
                    `pick an x86_64 type such as t3.nano, or ${names.image} fck-nat / al2023 for ${architecture}`,
            });
        }
    }

    if (input.keyName !== undefined && !KEY_PAIR_NAME.test(input.keyName)) {
        problems.push({
            path: names.keyName,
            reason: `${quote(input.keyName)} is not an EC2 key pair name (1–255 printable ASCII characters)`,
        });
    }
    let sshCidr: string | undefined;
    if (input.sshCidr !== undefined) {
        try {
            const c = parseCidr(input.sshCidr);
            if (c.prefix < 16) {
                problems.push({
                    path: names.sshCidr,
                    reason: `${quote(input.sshCidr)} opens SSH to ${c.prefix === 0 ? "the whole internet" : `${2 ** (32 - c.prefix)} addresses`}; allowed: /16 to /32, e.g. your own address as 203.0.113.7/32`,
                });
            } else if (input.keyName === undefined) {
                problems.push({
                    path: names.sshCidr,
                    reason: `${quote(input.sshCidr)} is set but ${names.keyName} is not; SSH needs a key pair (set ${names.keyName}, or unset ${names.sshCidr})`,
                });
            } else {
                sshCidr = formatCidr(c);
            }
        } catch (e) {
            problems.push({ path: names.sshCidr, reason: (e as Error).message });
        }
    }
    if (input.refresh !== undefined && !/^[\x20-\x7e]{0,64}$/.test(input.refresh)) {
        problems.push({
            path: names.refresh,
            reason: `${quote(input.refresh)} is not a short label (up to 64 printable ASCII characters, e.g. today's date 2026-11-25)`,
        });
    }
    if (problems.length > 0 || !architecture || !image) return { problems };
    return { value: { architecture, image, sshCidr }, problems };
}

/** Your own Elastic IPs: one or two allocation ids, distinct; two contradict "no standby". */
export function checkEgress(ids: string[] | undefined, standby: boolean | undefined, names: NatNames): Problem[] {
    const problems: Problem[] = [];
    if (ids !== undefined && ids.length > 0) {
        const bad = ids.filter((id) => !ALLOCATION_ID.test(id));
        if (ids.length > 2) {
            problems.push({
                path: names.allocationIds,
                reason: `${quote(JSON.stringify(ids))} has ${ids.length} entries; allowed: 1 (one address for whichever NAT is on) or 2 (gateway's, then instance's)`,
            });
        } else if (bad.length > 0) {
            problems.push({
                path: names.allocationIds,
                reason: `${bad.map(quote).join(", ")} ${bad.length === 1 ? "is not an allocation id" : "are not allocation ids"} (eipalloc- and 8 or 17 hex digits, from \`aws ec2 describe-addresses\`)`,
            });
        } else if (ids.length === 2 && ids[0] === ids[1]) {
            problems.push({
                path: names.allocationIds,
                reason: `${quote(ids[0])} is listed twice; give one entry, or two different addresses`,
            });
        }
    }
    if (standby === false && ids?.length === 2) {
        problems.push({
            path: names.standby,
            reason: `false contradicts ${names.allocationIds}, which lists two addresses (one per NAT kind); list one address for whichever NAT is on, or set ${names.standby} true`,
        });
    }
    return problems;
}

/** Whom an Elastic IP is associated with now, as EC2 reports it. */
export interface AddressHolding {
    allocationId: string;
    publicIp: string;
    /** The instance it is associated with, and that instance's Name tag. */
    instance?: { id: string; name?: string };
    /** The network interface it is on when no instance holds it, and that interface's type (`nat_gateway` for a NAT gateway's). */
    networkInterface?: { id: string; type: string };
}

/** Which NAT kind holds the address, if a NAT does (an instance is checked to be ours separately). */
export function holderKind(h: AddressHolding): NatStrategy | undefined {
    if (h.instance) return NatStrategy.Instance;
    return h.networkInterface?.type === "nat_gateway" ? NatStrategy.Gateway : undefined;
}

/**
 * Whether an instance's Name tag is this NAT's instance: `ownInstanceName` itself (an instance made
 * before instance generations) or followed by a generation (`-` and 8 hex digits), nothing else
 * (`…-nat-instance-old`, made by hand, is someone else's).
 */
function isOwnInstance(name: string | undefined, ownInstanceName: string): boolean {
    if (name === undefined || !name.startsWith(ownInstanceName)) return false;
    return /^(-[0-9a-f]{8})?$/.test(name.slice(ownInstanceName.length));
}

/**
 * Your own addresses must be free, or held by this NAT: an instance named as this NAT's instance
 * (any of its generations), or a NAT gateway (AWS never lets
 * another resource take a NAT gateway's address, so it cannot be pulled away from anyone). The NAT
 * instance takes its address in one call that moves it from wherever it is (AllowReassociation):
 * any other holder would lose it, so it is refused instead.
 */
export function foreignHolderProblems(
    holdings: AddressHolding[],
    ownInstanceName: string,
    names: Pick<NatNames, "allocationIds">,
): Problem[] {
    const problems: Problem[] = [];
    for (const h of holdings) {
        const what = `${quote(h.allocationId)} (${h.publicIp}) is attached to`;
        const fix = "disassociate it first, or list an address dedicated to this stack";
        if (h.instance && !isOwnInstance(h.instance.name, ownInstanceName)) {
            problems.push({
                path: names.allocationIds,
                reason: `${what} instance ${h.instance.id} (${h.instance.name ?? "no Name tag"}), which is not this stack's NAT instance; ${fix}`,
            });
        } else if (h.networkInterface && holderKind(h) === undefined) {
            problems.push({
                path: names.allocationIds,
                reason: `${what} network interface ${h.networkInterface.id}, which is not this stack's NAT; ${fix}`,
            });
        }
    }
    return problems;
}

/**
 * One address for both NAT kinds cannot move from the old NAT to the new one in one deployment:
 * Pulumi creates the new NAT before it deletes the old one, which still holds the address. `what`
 * names the address, `alternative` the other way out, `deploy(strategy)` how to deploy with a strategy.
 */
export function heldSwitchProblem(
    h: AddressHolding,
    strategy: NatStrategy,
    what: string,
    alternative: string,
    names: Pick<NatNames, "strategy">,
    deploy: (strategy: NatStrategy) => string,
): Problem | undefined {
    const from = holderKind(h);
    if (from === undefined || from === strategy || strategy === NatStrategy.None) return undefined;
    return {
        path: names.strategy,
        reason:
            `${quote(strategy)} cannot take over ${h.publicIp} (${what}) in one \`pulumi up\` while the NAT ${from} holds it. ` +
            `Switch in two steps: ${deploy(NatStrategy.None)}, then ${deploy(strategy)} (outbound traffic stops in between), or ${alternative}`,
    };
}

/** Your own allocation ids, as EC2 reports their holders now: no foreign holder, and no one-address switch in one step. */
export function givenAddressProblems(
    holdings: AddressHolding[],
    strategy: NatStrategy,
    ownInstanceName: string,
    names: Pick<NatNames, "strategy" | "allocationIds" | "allowList">,
    deploy: (strategy: NatStrategy) => string,
): Problem[] {
    // Under none nothing is bound: an address may be lent elsewhere meanwhile.
    if (strategy === NatStrategy.None || holdings.length === 0) return [];
    const problems = foreignHolderProblems(holdings, ownInstanceName, names);
    if (problems.length > 0) return problems;
    // The address this strategy binds (the first is the gateway's, the last the instance's) must not
    // be held by this stack's other NAT kind: the new NAT is made before the old one goes.
    const bound = strategy === NatStrategy.Gateway ? holdings[0] : holdings[holdings.length - 1];
    const other = strategy === NatStrategy.Gateway ? NatStrategy.Instance : NatStrategy.Gateway;
    const alternative =
        holdings.length === 1
            ? // Adding the address is its own step: a NAT that took a new address in the same
              // `pulumi up` would send from an address the allow-list does not know yet.
              `without a pause: ${
                  strategy === NatStrategy.Gateway
                      ? `put a new address first in ${names.allocationIds} (the gateway's) and keep ${quote(bound.allocationId)} second (the instance's)`
                      : `add a new address to ${names.allocationIds} after ${quote(bound.allocationId)} (the instance's)`
              }, run \`pulumi up\` with ${names.strategy} still ${other} (nothing moves), register the new address ${names.allowList}, then switch`
            : `give the ${strategy} an address the other NAT does not hold (${names.allocationIds} lists the gateway's first, the instance's second: are they swapped?)`;
    const held = heldSwitchProblem(
        bound,
        strategy,
        `${names.allocationIds} ${quote(bound.allocationId)}`,
        alternative,
        names,
        deploy,
    );
    return held ? [held] : [];
}
