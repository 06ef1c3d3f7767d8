// What the preflight tells people when it stops a deployment or warns, in one table.

export const PREFLIGHT_MESSAGES = {
    standbyOnUnderGateway: (ip: string) =>
        `egressIpStandby: true would move the NAT gateway from ${ip} to a new address at once, before you could register that address with Aligo (-101 until you do). ` +
        `Do it in order: \`pulumi config set nat instance && pulumi config set egressIpStandby true && pulumi up\` ` +
        `(the instance keeps ${ip}), register every address in \`pulumi stack output egressIps\` with Aligo, then \`pulumi config set nat gateway && pulumi up\``,
    quotaExceeded: (region: string, quota: number, held: number, toAllocate: number) =>
        `natPerAz/egressIpStandby: this deployment allocates ${toAllocate} Elastic IP${toAllocate === 1 ? "" : "s"}, but ${region} already holds ${held} of its quota of ${quota} ` +
        `(${held + toAllocate} > ${quota}); nothing was created. Ways out: ask for a higher "EC2-VPC Elastic IPs" quota (Service Quotas, code L-0263D0A3), ` +
        `set egressIpStandby false (one address per NAT instead of one per NAT kind; a switch then passes through nat none), ` +
        `set natPerAz false, or release addresses you no longer use (\`aws ec2 describe-addresses --region ${region}\`)`,
    quotaUnknown: (region: string, toAllocate: number, why: string | undefined) =>
        `Could not read the Elastic IP quota of ${region} (servicequotas:GetServiceQuota${why ? `: ${why}` : ""}); ` +
        `this deployment allocates ${toAllocate} address${toAllocate === 1 ? "" : "es"}. If it fails with AddressLimitExceeded, ` +
        `ask for a higher "EC2-VPC Elastic IPs" quota (code L-0263D0A3) or set egressIpStandby false.`,
    pendingZones: (zones: string[], first: string) =>
        `natPerAz: the NATs of ${zones.join(", ")} are built in this deployment, but their traffic keeps leaving through ${first}'s NAT for now: ` +
        `their new addresses were never in egressIps, so Aligo does not know them. Register every address of \`pulumi stack output egressIps\` ` +
        `(Aligo console → 연동형 API → 발송 IP), then run \`pulumi up\` again: each zone then sends through its own NAT.`,
} as const;
