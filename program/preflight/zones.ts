// The zones of the stack's subnets: chosen once and kept. A subnet that exists keeps its zone (a
// subnet cannot move: a new zone would mean a new subnet whose block overlaps the old one,
// InvalidSubnet.Conflict); a new subnet takes the first available zone, in name order, that no
// subnet of the stack uses yet. So a change in the region's zone list never moves a subnet, and
// raising azCount adds zones after the kept ones. The subnets themselves are the record: the
// program finds its own by their Name tags, so stacks deployed before this rule keep exactly the
// zones they have.
import * as aws from "@pulumi/aws";
import { childTags } from "../../components/index";
import { ConfigError, type AppConfig } from "../config/config";
import { NETWORK_COMPONENT_NAME } from "./names";

/** Each existing private subnet of this stack's network: its block and zone. */
async function existingPrivateSubnets(): Promise<Map<string, string>> {
    const pattern = childTags(NETWORK_COMPONENT_NAME, undefined)("private-*").Name;
    const found = await aws.ec2.getSubnets({ filters: [{ name: "tag:Name", values: [pattern] }] });
    const subnets = await Promise.all(found.ids.map((id) => aws.ec2.getSubnet({ id })));
    return new Map(subnets.map((s) => [s.cidrBlock, s.availabilityZone]));
}

/** The region's zones that need no opt-in, available now, in name order. */
async function availableZones(): Promise<string[]> {
    const zones = await aws.getAvailabilityZones({
        state: "available",
        filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    return [...zones.names].sort();
}

/** One zone per subnet pair, in the layout's order: the kept zones, then new ones. */
export async function lookupZones(cfg: AppConfig): Promise<string[]> {
    const [kept, live] = await Promise.all([existingPrivateSubnets(), availableZones()]);
    const zones = cfg.privateSubnetCidrs.map((cidr) => kept.get(cidr));
    const free = live.filter((z) => !zones.includes(z));
    const missing = zones.filter((z) => z === undefined).length;
    if (free.length < missing) {
        const usable = live.length + zones.filter((z) => z !== undefined && !live.includes(z)).length;
        throw new ConfigError([
            `azCount: ${cfg.azCount} but ${cfg.region} has ${live.length} available zone${live.length === 1 ? "" : "s"} (${live.join(", ")}); set azCount to at most ${usable}`,
        ]);
    }
    return zones.map((z) => z ?? (free.shift() as string));
}
