// The network's settings: the VPC block, the number of zones, and the subnet blocks (carved in the
// stable layout, or given).
import {
    MAX_AZ,
    formatCidr,
    carveOrExplain,
    checkSubnetLists,
    checkVpcCidr,
    type NetworkNames,
} from "../../components";
import type { RawReader } from "./reader";

export interface NetworkConfig {
    readonly vpcCidr: string;
    readonly azCount: number;
    /** Resolved subnet blocks, carved or given; one public and one private per AZ. */
    readonly publicSubnetCidrs: string[];
    readonly privateSubnetCidrs: string[];
}

const NAMES: NetworkNames = {
    vpcCidr: "vpcCidr",
    publicSubnetCidrs: "publicSubnetCidrs",
    privateSubnetCidrs: "privateSubnetCidrs",
    count: "azCount",
};

export function parseNetworkConfig(r: RawReader): NetworkConfig | undefined {
    const vpcRaw = r.need("vpcCidr", "give a private block such as 10.0.0.0/16");
    const checked = vpcRaw === undefined ? undefined : checkVpcCidr(vpcRaw, NAMES);
    if (checked) {
        r.problemsFrom(checked.problems);
        r.warnings.push(...checked.warnings);
    }
    const vpc = checked?.vpc;
    const azCount = r.integer("azCount", 1, MAX_AZ);

    const pub = r.list("publicSubnetCidrs");
    const priv = r.list("privateSubnetCidrs");
    let blocks: { publicCidrs: string[]; privateCidrs: string[] } | undefined;
    if (pub === undefined && priv === undefined) {
        if (vpc && azCount) {
            const carved = carveOrExplain(vpc, azCount, NAMES);
            if ("path" in carved) r.problemsFrom([carved]);
            else blocks = carved;
        }
    } else if (pub === undefined || priv === undefined) {
        const [given, missing] =
            pub === undefined
                ? ["privateSubnetCidrs", "publicSubnetCidrs"]
                : ["publicSubnetCidrs", "privateSubnetCidrs"];
        r.fail(`${missing}: is not set but ${given} is; give both lists (one block per AZ each) or neither`);
    } else {
        const problems = checkSubnetLists(vpc, azCount, pub, priv, NAMES);
        r.problemsFrom(problems);
        if (problems.length === 0) blocks = { publicCidrs: pub, privateCidrs: priv };
    }
    if (!vpc || azCount === undefined || !blocks) return undefined;
    return {
        vpcCidr: formatCidr(vpc),
        azCount,
        publicSubnetCidrs: blocks.publicCidrs,
        privateSubnetCidrs: blocks.privateCidrs,
    };
}
