// The Network component's arguments: their interface (the component host infers the schema from
// it), and their resolution, once, into a frozen record the component builds from, or the problems
// (each naming its property). Everything has a default: a /16 in private space, two zones looked up
// in the region, the layout carved from the VPC block.
import { withoutNulls, plainArgProblems } from "../errors";
import { MAX_AZ } from "../cidr";
import { resolveLayout, type Layout } from "../layout";
import { quote, type NetworkNames, type Problem } from "../rules";

/** The VPC block a Network gets when none is given. */
export const DEFAULT_VPC_CIDR = "10.0.0.0/16";
/** How many zones a Network spans when neither azCount nor availabilityZones is given. */
export const DEFAULT_AZ_COUNT = 2;

/** The arguments of a {@link Network}. */
export interface NetworkArgs {
    /**
     * The VPC's address block, /16 to /28 (private space expected).
     * Default: `10.0.0.0/16`.
     * @default "10.0.0.0/16"
     */
    vpcCidr?: string;
    /**
     * How many zones, 1 to 6, when availabilityZones is not given: the region's first available zones that need no
     * opt-in, in name order, each kept for its subnets once chosen.
     * Default: `2`.
     * @default 2
     */
    azCount?: number;
    /**
     * Availability zone names, one per pair of subnets, in order, e.g. ["ap-northeast-2a", "ap-northeast-2b"].
     * Default: looked up (see azCount).
     * @default looked up (see azCount)
     */
    availabilityZones?: string[];
    /**
     * One public subnet block per zone, in the same order, inside vpcCidr.
     * Default: carved from vpcCidr in a layout that never moves a subnet when zones are added (public blocks in the
     * lower half, private in the upper).
     * @default carved
     */
    publicSubnetCidrs?: string[];
    /**
     * One private subnet block per zone, in the same order, inside vpcCidr.
     * Default: carved (see publicSubnetCidrs).
     * @default carved
     */
    privateSubnetCidrs?: string[];
    /**
     * Tags added to every resource; the component adds a Name tag.
     * Default: none.
     * @default {}
     */
    tags?: Record<string, string>;
}

/** A {@link NetworkArgs} checked once, with its defaults: what the component builds from. */
export interface ResolvedNetworkArgs {
    readonly layout: Layout;
    /** The zones given, or undefined: look them up (layout.count of them). */
    readonly availabilityZones?: readonly string[];
    readonly tags?: Record<string, string>;
}

/** The properties as the layout's rules name them; the count is availabilityZones' when they are given, else azCount. */
const names = (args: NetworkArgs): NetworkNames => ({
    vpcCidr: "vpcCidr",
    publicSubnetCidrs: "publicSubnetCidrs",
    privateSubnetCidrs: "privateSubnetCidrs",
    count: args.availabilityZones ? "availabilityZones (count)" : "azCount",
});

const PLAIN = "the subnets are made from it";

function zoneProblems(args: NetworkArgs): Problem[] {
    const problems: Problem[] = [];
    const zones = args.availabilityZones;
    if (args.azCount !== undefined && !(Number.isInteger(args.azCount) && args.azCount >= 1 && args.azCount <= MAX_AZ))
        problems.push({ path: "azCount", reason: `${args.azCount} is not a whole number from 1 to ${MAX_AZ}` });
    if (zones === undefined) return problems;
    if (zones.length === 0)
        problems.push({
            path: "availabilityZones",
            reason: "is empty; give at least one zone, or leave it out to look them up",
        });
    zones.forEach((z, i) => {
        if (!/^[a-z]{2}(-[a-z0-9]+)+$/.test(z))
            problems.push({
                path: `availabilityZones[${i}]`,
                reason: `${quote(z)} is not a zone name such as ap-northeast-2a`,
            });
    });
    if (args.azCount !== undefined && args.azCount !== zones.length)
        problems.push({
            path: "azCount",
            reason: `is ${args.azCount} but availabilityZones lists ${zones.length}; give one of them`,
        });
    return problems;
}

/** Checks a {@link NetworkArgs} once: the frozen record the component builds from, or the problems. */
export function resolveNetworkArgs(given: NetworkArgs): { args?: ResolvedNetworkArgs; problems: Problem[] } {
    const args = withoutNulls(given);
    const shapes = plainArgProblems(args, {
        vpcCidr: { shape: "string", optional: true, whyPlain: PLAIN },
        azCount: { shape: "number", optional: true, whyPlain: "one subnet pair is made per zone" },
        availabilityZones: { shape: "strings", optional: true, whyPlain: "one subnet pair is made per zone" },
        publicSubnetCidrs: { shape: "strings", optional: true, whyPlain: PLAIN },
        privateSubnetCidrs: { shape: "strings", optional: true, whyPlain: PLAIN },
        tags: { shape: "tags", optional: true },
    });
    if (shapes.length > 0) return { problems: shapes };
    const problems = zoneProblems(args);
    const listed = args.publicSubnetCidrs?.length ?? args.privateSubnetCidrs?.length;
    const count =
        args.availabilityZones?.length ?? args.azCount ?? (listed === undefined ? DEFAULT_AZ_COUNT : undefined);
    const { layout, problems: layoutProblems } = resolveLayout(
        {
            vpcCidr: args.vpcCidr ?? DEFAULT_VPC_CIDR,
            count,
            publicSubnetCidrs: args.publicSubnetCidrs,
            privateSubnetCidrs: args.privateSubnetCidrs,
        },
        names(args),
    );
    problems.push(...layoutProblems);
    if (problems.length > 0 || !layout) return { problems };
    return {
        args: Object.freeze({ layout, availabilityZones: args.availabilityZones, tags: args.tags }),
        problems: [],
    };
}

/** Checks a {@link NetworkArgs}; the problems name its properties. */
export function networkArgsProblems(given: NetworkArgs): Problem[] {
    return resolveNetworkArgs(given).problems;
}
