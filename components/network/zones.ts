// The zones of a Network whose zones were not given: chosen once and kept. Each zone is chosen when
// its subnets are first made, and kept in the stack's state in a Stash of its own (Pulumi's
// built-in Stash, CLI 3.208 or newer: created with output = input, and an update keeps the old
// output; pulumi/pulumi pkg/resource/deploy/builtins.go, read 2026-11-25). So a change in the
// region's list of zones never moves a subnet (a moved subnet would be a new one overlapping the
// old: InvalidSubnet.Conflict), and adding zones only adds the next free ones.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REQUIRED_PULUMI_VERSION } from "../version";

/** The region's zones that need no opt-in, available now, in name order (through the component's provider). */
function liveZones(owner: pulumi.Resource): pulumi.Output<string[]> {
    return aws
        .getAvailabilityZonesOutput(
            { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
            { parent: owner },
        )
        .apply((z) => [...z.names].sort());
}

/**
 * `count` zones, zone i kept in the stash `<name>-zone-<i>`. A new zone is the first live zone, in
 * name order, that no zone before it took (the zones before it as kept, not as listed now).
 */
export function keptZones(owner: pulumi.Resource, name: string, count: number): pulumi.Output<string>[] {
    // An older CLI stops here with the engine's version error (naming the range), not an unknown type.
    const cliChecked = pulumi.output(pulumi.runtime.requirePulumiVersion(REQUIRED_PULUMI_VERSION));
    const live = pulumi.all([cliChecked, liveZones(owner)]).apply(([, names]) => names);
    const zones: pulumi.Output<string>[] = [];
    for (let i = 0; i < count; i++) {
        const before = pulumi.all(zones);
        const choice = pulumi.all([live, before]).apply(([names, taken]) => {
            const free = names.find((z) => !taken.includes(z));
            if (!free)
                throw new pulumi.ResourceError(
                    `azCount: ${count} zones are asked for, but the region has ${names.length} available (${names.join(", ")}); ` +
                        `lower azCount, or give availabilityZones`,
                    owner,
                    true,
                );
            return free;
        });
        const stash = new pulumi.Stash(`${name}-zone-${i}`, { input: choice }, { parent: owner });
        zones.push(stash.output as pulumi.Output<string>);
    }
    return zones;
}
