// The network's settings: the VPC block, the number of zones, and the subnet blocks (carved in the
// stable layout, or given).
import { MAX_AZ, resolveLayout, type NetworkNames } from "../../components/index";
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
    const vpcCidr = r.need("vpcCidr", "give a private block such as 10.0.0.0/16");
    const azCount = r.integer("azCount", 1, MAX_AZ);
    const publicSubnetCidrs = r.list("publicSubnetCidrs");
    const privateSubnetCidrs = r.list("privateSubnetCidrs");
    if (vpcCidr === undefined) return undefined;
    // The Network component's own layout rule, in this program's words (azCount, not availabilityZones).
    const { layout, problems } = resolveLayout(
        { vpcCidr, count: azCount, publicSubnetCidrs, privateSubnetCidrs },
        NAMES,
    );
    r.problemsFrom(problems);
    if (!layout || azCount === undefined) return undefined;
    r.warnings.push(...layout.warnings);
    return {
        vpcCidr: layout.vpcCidr,
        azCount,
        publicSubnetCidrs: [...layout.publicCidrs],
        privateSubnetCidrs: [...layout.privateCidrs],
    };
}
