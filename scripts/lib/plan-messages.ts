// The plan's words: its notes on a configuration, and the headings of its text report.

/** What a deployer should know about a configuration before switching or paying. */
export const NOTES = {
    oneAddress: (listed: boolean) =>
        "One Elastic IP serves whichever NAT is on" +
        `${listed ? " (egressIpAllocationIds lists one)" : " (egressIpStandby is false)"}: ` +
        "switching between gateway and instance takes two `pulumi up`s through `nat none`, " +
        "with no outbound traffic in between.",
    instanceImage:
        "The NAT instance keeps the image it was created with; set natImageRefresh to a new value to move to " +
        "the newest one. A new image, instance type or key pair builds a new instance beside the old one; " +
        "traffic moves to it only after it passes its EC2 status checks (usually a few minutes; at most 10), " +
        "and the old one is deleted last.",
    warmerPaused: "The warmer's schedule is paused while nat is none.",
    perAzPending: (zones: number) =>
        `One NAT per zone (${zones} NATs, ${zones} private routes each to its own zone's). On a live stack, turning natPerAz on ` +
        "(or raising azCount with it on) is two steps: the `pulumi up` that builds the new zones' NATs keeps their traffic on " +
        "the first zone's NAT and exports their new addresses; register them with Aligo, then the next `pulumi up` moves " +
        "each zone to its own NAT. A first deployment routes every zone to its own NAT at once.",
};

/** The text report's lines that are more than a heading. */
export const REPORT_TEXT = {
    title: (stack: string, region: string, nat: string) =>
        `Plan for stack ${stack} (${region}), nat=${nat}: offline, no cloud calls. ` +
        `AZ names are assumed (${region}a, b, ...) and AMIs are looked up at deploy.`,
    placeholder: (key: string, stack: string) =>
        `note: ${key} is not set in Pulumi.${stack}.yaml (or is encrypted there); the plan used a placeholder. ` +
        "`pulumi up` needs the real value.",
    /** `usd`: the cost to the cent, or "unknown". */
    alarms: (count: number, usd: string) => `Alarms (${count}, ${usd} USD a month with the balance metric):`,
    noAlarms: (stack: string, count: number, usd: string) =>
        "Alarms: none a person would hear (a NAT instance has its reboot and host-recovery alarms regardless). " +
        `With \`pulumi config set alarmEmail you@example.com --stack ${stack}\` ` +
        `(or alarmTopicArn) the stack would get these ${count}, ${usd} USD a month with the balance metric:`,
    outputs: (natStrategy: string, cost: number | null, addresses: string[]) =>
        `Outputs: natStrategy ${natStrategy}; estimatedMonthlyCostUsd ${cost ?? "unknown (not exported)"}; ` +
        `egressIps: ${addresses.length} address(es) to register with Aligo after deploy` +
        (addresses.length ? `: ${addresses.join(", ")}.` : "."),
    costHeading: (region: string, gb: number) =>
        `Monthly cost in ${region} (730 h, on-demand USD, NAT data ${gb} GB/month; ` +
        "data transfer out to the internet is the same for every strategy and not shown):",
};
