// Pure planning for the NAT component: which Elastic IP each strategy binds, and ARN partitions.

/** Which address each strategy uses. */
export type EgressPlan =
    | { kind: "allocate" }
    | { kind: "byo"; gateway: string; instance: string; shared: boolean };

/**
 * No ids: the program allocates one EIP per strategy. One id: both strategies use it (a switch
 * between gateway and instance then has to pass through nat=none, because the new NAT is created
 * before the old one lets go of the address). Two ids: the gateway's, then the instance's.
 */
export function egressPlan(allocationIds: string[] | undefined): EgressPlan {
    if (!allocationIds || allocationIds.length === 0) return { kind: "allocate" };
    const [gateway, instance = gateway] = allocationIds;
    return { kind: "byo", gateway, instance, shared: gateway === instance };
}

/** The ARN partition a region belongs to. */
export function partitionOf(region: string): "aws" | "aws-cn" | "aws-us-gov" {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}
