// The subnet layout of a VPC, resolved once: the VPC block checked, and one public and one private
// block per zone, either given or carved in the layout that never moves (cidr.ts, carveSubnets).
// Pure; the Network component and the program's configuration both resolve their layout here.
import { formatCidr } from "./cidr";
import { carveOrExplain, checkSubnetLists, checkVpcCidr, type NetworkNames, type Problem } from "./rules";

export interface LayoutInput {
    vpcCidr: string;
    /** How many zones, when known (the subnet lists' length otherwise). */
    count?: number;
    publicSubnetCidrs?: string[];
    privateSubnetCidrs?: string[];
}

export interface Layout {
    /** The VPC block, normalised. */
    readonly vpcCidr: string;
    readonly count: number;
    readonly publicCidrs: readonly string[];
    readonly privateCidrs: readonly string[];
    /** Worth saying, not worth stopping for (a VPC block in public address space). */
    readonly warnings: readonly string[];
}

/** The layout, or the problems (each naming its property as `names` call them). */
export function resolveLayout(input: LayoutInput, names: NetworkNames): { layout?: Layout; problems: Problem[] } {
    const checked = checkVpcCidr(input.vpcCidr, names);
    const problems = [...checked.problems];
    const { publicSubnetCidrs: pub, privateSubnetCidrs: priv } = input;
    let blocks: { publicCidrs: string[]; privateCidrs: string[] } | undefined;
    if (pub === undefined && priv === undefined) {
        if (checked.vpc && input.count !== undefined) {
            const carved = carveOrExplain(checked.vpc, input.count, names);
            if ("path" in carved) problems.push(carved);
            else blocks = carved;
        }
    } else if (pub === undefined || priv === undefined) {
        const [given, missing] =
            pub === undefined
                ? [names.privateSubnetCidrs, names.publicSubnetCidrs]
                : [names.publicSubnetCidrs, names.privateSubnetCidrs];
        problems.push({
            path: missing,
            reason: `is not set but ${given} is; give both lists (one block per zone each) or neither`,
        });
    } else {
        const listed = checkSubnetLists(checked.vpc, input.count, pub, priv, names);
        problems.push(...listed);
        if (listed.length === 0) blocks = { publicCidrs: pub, privateCidrs: priv };
    }
    if (problems.length > 0 || !checked.vpc || !blocks) return { problems };
    const layout: Layout = {
        vpcCidr: formatCidr(checked.vpc),
        count: blocks.publicCidrs.length,
        publicCidrs: Object.freeze([...blocks.publicCidrs]),
        privateCidrs: Object.freeze([...blocks.privateCidrs]),
        warnings: Object.freeze([...checked.warnings]),
    };
    return { layout: Object.freeze(layout), problems: [] };
}
