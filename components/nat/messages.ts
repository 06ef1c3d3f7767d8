// What the Nat component tells people: its warnings, refusals and alarm descriptions, in one table.

export const NAT_MESSAGES = {
    /** The readiness gate cannot see a provider passed in the options (its credentials). */
    gateCredentials: (name: string) =>
        `Nat ${name}: the NAT instance's readiness gate calls EC2 itself, as the stack's aws: configuration says ` +
        `(aws:profile, aws:accessKey and aws:secretKey, aws:assumeRoles), in the region of the AWS provider given in the options; ` +
        `it cannot see that provider's own credentials. If that provider reaches another account or role, pass the same settings as awsIdentity; ` +
        `otherwise the gate stops the deployment, saying so.`,
    /** Your own addresses failed their check (the reasons joined). */
    addressRefused: (name: string, reason: string) =>
        `Nat ${name}: ${reason}. The NAT was not created and no address was bound.`,
    gatewayPortAllocation:
        "The NAT gateway could not allocate a source port (ErrorPortAllocation): new connections out of the private subnets are failing. " +
        "It happens with very many concurrent connections to one destination; AWS's NAT gateway troubleshooting guide lists the remedies.",
    gatewayPacketsDropped:
        "The NAT gateway keeps dropping packets (PacketsDropCount in two of the last three 5-minute periods): calls out may time out. " +
        "Check the AWS Health Dashboard for the region; if it persists, deploy with strategy instance.",
    instanceRecover:
        "The NAT instance's host failed its system status check: EC2 recovers the instance on other hardware " +
        "(same instance, network interface and Elastic IP); traffic out stops for the minutes that takes.",
    instanceImpaired: (instanceId: string) =>
        `The NAT instance ${instanceId} fails its own status check: traffic out of the private subnets is likely failing. ` +
        `EC2 reboots it once when this alarm fires. If it stays in alarm, look at its system log ` +
        `(aws ec2 get-console-output --instance-id ${instanceId} --latest); giving the component's instance.imageRefresh a new value ` +
        `(e.g. today's date) and deploying builds a fresh instance that takes over once ready.`,
    instanceStateChanged:
        "\"The NAT instance <instance> is <state> (EC2 state change). Traffic out of its zone's private subnets stops until it runs again; " +
        'the next deployment (pulumi up, which refreshes first) starts a stopped instance, and builds a terminated one again."',
} as const;
