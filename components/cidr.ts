// Pure IPv4 CIDR arithmetic. No Pulumi, no AWS: tested as a table and as properties.

/** A parsed IPv4 block: `base` is the network address as an unsigned 32-bit number. */
export interface Cidr {
    readonly base: number;
    readonly prefix: number;
}

/** Why a string is not a usable CIDR, in words a user can act on. */
export class CidrError extends Error {}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function ipToInt(ip: string): number {
    const parts = ip.split(".");
    if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) {
        throw new CidrError(`"${ip}" is not an IPv4 address`);
    }
    return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function intToIp(n: number): string {
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Number of addresses in a block of this prefix. */
export function blockSize(prefix: number): number {
    return 2 ** (32 - prefix);
}

/**
 * Parses `a.b.c.d/n`. Host bits must be zero: `10.0.1.5/24` is rejected with the block the user
 * probably meant, because AWS would reject it too (and silently "fixing" it hides a typo).
 */
export function parseCidr(text: string): Cidr {
    const m = /^([^/\s]+)\/(\d{1,2})$/.exec(text);
    if (!m) throw new CidrError(`"${text}" is not in a.b.c.d/n form`);
    const prefix = Number(m[2]);
    if (prefix > 32) throw new CidrError(`"${text}" has prefix /${prefix}; the largest is /32`);
    const ip = ipToInt(m[1]);
    const base = ip - (ip % blockSize(prefix));
    if (base !== ip) {
        throw new CidrError(`"${text}" has host bits set; did you mean ${intToIp(base)}/${prefix}?`);
    }
    return { base, prefix };
}

export function formatCidr(c: Cidr): string {
    return `${intToIp(c.base)}/${c.prefix}`;
}

/** Last address of the block, inclusive. */
function last(c: Cidr): number {
    return c.base + blockSize(c.prefix) - 1;
}

/** True when `inner` lies wholly inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
    return inner.prefix >= outer.prefix && inner.base >= outer.base && last(inner) <= last(outer);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
    return a.base <= last(b) && b.base <= last(a);
}

/** RFC 1918 private space. Anything else in a VPC is someone else's address on the internet. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(parseCidr);

export function isRfc1918(c: Cidr): boolean {
    return PRIVATE_RANGES.some((r) => contains(r, c));
}

/** The `index`-th block of `prefix` inside `parent` (index 0 starts at the parent's base). */
export function nthSubnet(parent: Cidr, prefix: number, index: number): Cidr {
    const count = blockSize(parent.prefix) / blockSize(prefix);
    if (prefix < parent.prefix || index < 0 || index >= count) {
        throw new CidrError(`${formatCidr(parent)} has no subnet #${index} of size /${prefix}`);
    }
    return { base: parent.base + index * blockSize(prefix), prefix };
}

/** AWS allows subnets (and VPCs) from /16 to /28. */
export const AWS_MIN_PREFIX = 16;
export const AWS_MAX_PREFIX = 28;

export interface SubnetPlan {
    readonly publicCidrs: string[];
    readonly privateCidrs: string[];
}

/** Most availability zones a stack may use; the subnet layout keeps a slot for each. */
export const MAX_AZ = 6;
/** Slots per half of the VPC: the smallest power of two that holds {@link MAX_AZ}. */
const SLOTS_PER_HALF = 2 ** Math.ceil(Math.log2(MAX_AZ));

/**
 * Carves `azCount` public and `azCount` private subnets out of a VPC, in a layout that never
 * moves: subnet i sits in slot i whatever `azCount` is, so raising `azCount` only adds subnets
 * (a moved subnet is a replacement that overlaps its predecessor, which AWS refuses, and Lambda's
 * interfaces keep a subnet busy for many minutes).
 *
 * The lower half of the VPC holds the public slots, the upper half the private ones, with room
 * for {@link MAX_AZ} of each. A slot is a /24 when that fits (every VPC of /20 or larger: public i
 * is block i, private i is block i of the upper half, as before), otherwise the VPC's size divided
 * by 2 × 8 slots: /25 in a /21, /26 in a /22, /27 in a /23, /28 in a /24. A smaller VPC cannot
 * hold 16 slots of AWS's smallest subnet (/28) and is refused.
 */
export function carveSubnets(vpc: Cidr, azCount: number): SubnetPlan {
    if (!Number.isInteger(azCount) || azCount < 1 || azCount > MAX_AZ)
        throw new CidrError(`azCount ${azCount} must be a whole number from 1 to ${MAX_AZ}`);
    const slotBits = 1 + Math.log2(SLOTS_PER_HALF);
    const prefix = Math.max(24, vpc.prefix + slotBits);
    if (prefix > AWS_MAX_PREFIX) {
        throw new CidrError(
            `${formatCidr(vpc)} is too small for the subnet layout (${SLOTS_PER_HALF} public and ${SLOTS_PER_HALF} private slots, so that adding zones never moves a subnet; ` +
                `each would be /${prefix}, and AWS allows up to /${AWS_MAX_PREFIX}); the smallest VPC for it is /${AWS_MAX_PREFIX - slotBits}`,
        );
    }
    const half = blockSize(vpc.prefix) / blockSize(prefix) / 2;
    const publicCidrs: string[] = [];
    const privateCidrs: string[] = [];
    for (let i = 0; i < azCount; i++) {
        publicCidrs.push(formatCidr(nthSubnet(vpc, prefix, i)));
        privateCidrs.push(formatCidr(nthSubnet(vpc, prefix, half + i)));
    }
    return { publicCidrs, privateCidrs };
}
