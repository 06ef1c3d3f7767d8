// What the steps check, against the emulator's own answers: the program's promises (layout,
// routes, source/dest check, addresses, functions in the private subnets, the key's parameter, the
// schedule) and its stack outputs.
import { ListRulesCommand } from "@aws-sdk/client-eventbridge";
import {
    addresses,
    defaultRoute,
    functionConfig,
    instancesOf,
    natGatewaysOf,
    parameter,
    routeTablesOf,
    subnetsOf,
    tableOf,
    vpcOf,
    type Emulator,
} from "./aws";

/** Throws `message` unless `ok`. */
export function expect(ok: unknown, message: string): asserts ok {
    if (!ok) throw new Error(message);
}

/** The outputs a deployed stack must have, typed. */
export interface Outputs {
    natStrategy: string;
    egressIp?: string;
    egressIps: string[];
    vpcId: string;
    publicSubnetIds: string[];
    privateSubnetIds: string[];
    smsFunctionName: string;
    warmerFunctionName: string;
}

export function outputsOf(raw: Record<string, unknown>): Outputs {
    for (const key of ["natStrategy", "egressIps", "vpcId", "publicSubnetIds", "privateSubnetIds", "smsFunctionName"])
        expect(raw[key] !== undefined, `the stack has no ${key} output (has: ${Object.keys(raw).join(", ")})`);
    return raw as unknown as Outputs;
}

/** The VPC and its subnets as the layout promises (10.0.0.0/16: public /24s at 0, private at 128, one per zone). */
export async function checkLayout(e: Emulator, o: Outputs, zones: number): Promise<string> {
    const vpc = await vpcOf(e, o.vpcId);
    expect(vpc?.CidrBlock === "10.0.0.0/16", `VPC ${o.vpcId} has block ${vpc?.CidrBlock}, not 10.0.0.0/16`);
    const subnets = await subnetsOf(e, o.vpcId);
    const cidr = (id: string) => subnets.find((s) => s.SubnetId === id)?.CidrBlock;
    const zone = (id: string) => subnets.find((s) => s.SubnetId === id)?.AvailabilityZone;
    const wantPublic = Array.from({ length: zones }, (_, i) => `10.0.${i}.0/24`);
    const wantPrivate = Array.from({ length: zones }, (_, i) => `10.0.${128 + i}.0/24`);
    expect(
        JSON.stringify(o.publicSubnetIds.map(cidr)) === JSON.stringify(wantPublic),
        `public subnets ${o.publicSubnetIds.map(cidr).join(", ")}`,
    );
    expect(
        JSON.stringify(o.privateSubnetIds.map(cidr)) === JSON.stringify(wantPrivate),
        `private subnets ${o.privateSubnetIds.map(cidr).join(", ")}`,
    );
    const zonesUsed = o.privateSubnetIds.map(zone);
    expect(new Set(zonesUsed).size === zones, `private subnets share zones: ${zonesUsed.join(", ")}`);
    expect(
        JSON.stringify(o.publicSubnetIds.map(zone)) === JSON.stringify(zonesUsed),
        "a public subnet is not in its private subnet's zone",
    );
    return `VPC 10.0.0.0/16, subnets ${[...wantPublic, ...wantPrivate].join(" ")} in ${zonesUsed.join(", ")}`;
}

/** Each private subnet's default route's target, as the emulator reports it. */
export async function privateTargets(e: Emulator, o: Outputs): Promise<(string | undefined)[]> {
    const tables = await routeTablesOf(e, o.vpcId);
    return o.privateSubnetIds.map((id) => {
        const route = defaultRoute(tableOf(tables, id));
        return route
            ? (route.NatGatewayId ?? route.NetworkInterfaceId ?? route.InstanceId ?? route.GatewayId)
            : undefined;
    });
}

/** One NAT instance per zone with routes to its primary interface, source/dest check off, an egress address bound. */
export async function checkInstances(e: Emulator, o: Outputs, zones: number): Promise<string> {
    const instances = await instancesOf(e, o.vpcId);
    expect(instances.length === zones, `${instances.length} instances in the VPC, expected ${zones}`);
    const enis = instances.map(
        (i) => i.NetworkInterfaces?.find((n) => n.Attachment?.DeviceIndex === 0)?.NetworkInterfaceId,
    );
    const targets = await privateTargets(e, o);
    expect(
        targets.every((t) => t !== undefined && enis.includes(t)),
        `private routes go to ${targets.join(", ")}, not the instances' interfaces ${enis.join(", ")}`,
    );
    expect(new Set(targets).size === zones, `private routes share a NAT: ${targets.join(", ")}`);
    for (const i of instances) expect(i.SourceDestCheck === false, `instance ${i.InstanceId} has source/dest check on`);
    // Bound to the instance or to its primary interface: AWS reports both for either; moto only what was asked.
    const bound = (await addresses(e)).filter(
        (a) =>
            instances.some((i) => i.InstanceId === a.InstanceId) ||
            (a.NetworkInterfaceId !== undefined && enis.includes(a.NetworkInterfaceId)),
    );
    expect(bound.length === zones, `${bound.length} Elastic IPs bound to the instances, expected ${zones}`);
    for (const a of bound)
        expect(o.egressIps.includes(a.PublicIp ?? ""), `bound address ${a.PublicIp} is not in egressIps`);
    return `${zones} NAT instance(s), private routes → their primary interfaces, source/dest check off, bound ${bound.map((a) => a.PublicIp).join(", ")} ∈ egressIps`;
}

/** One NAT gateway per zone, each private route to one, each gateway's address in egressIps. */
export async function checkGateways(e: Emulator, o: Outputs, zones: number): Promise<string[]> {
    const gateways = await natGatewaysOf(e, o.vpcId);
    expect(gateways.length === zones, `${gateways.length} NAT gateways, expected ${zones}`);
    const ips = gateways.flatMap((g) => (g.NatGatewayAddresses ?? []).map((a) => a.PublicIp ?? ""));
    for (const ip of ips) expect(o.egressIps.includes(ip), `the NAT gateway's address ${ip} is not in egressIps`);
    const targets = await privateTargets(e, o);
    const ids = gateways.map((g) => g.NatGatewayId);
    expect(
        targets.every((t) => ids.includes(t)),
        `private routes go to ${targets.join(", ")}, not the gateways ${ids.join(", ")}`,
    );
    expect(new Set(targets).size === zones, `private routes share a NAT gateway: ${targets.join(", ")}`);
    return ips;
}

/** Both functions in the private subnets with one security group; the key's parameter; the schedule's state. */
export async function checkFunctions(
    e: Emulator,
    o: Outputs,
    stack: string,
    schedule: "ENABLED" | "DISABLED",
): Promise<string> {
    for (const name of [o.smsFunctionName, o.warmerFunctionName]) {
        const f = await functionConfig(e, name);
        const subnets = [...(f.VpcConfig?.SubnetIds ?? [])].sort();
        expect(
            JSON.stringify(subnets) === JSON.stringify([...o.privateSubnetIds].sort()),
            `${name} is in ${subnets.join(", ")}`,
        );
        expect(
            f.VpcConfig?.SecurityGroupIds?.length === 1,
            `${name} has ${f.VpcConfig?.SecurityGroupIds?.length} security groups`,
        );
    }
    const key = await parameter(e, `/aligo-sms/${stack}/aligo-api-key`);
    expect(key?.Type === "SecureString", `the key's parameter is ${key?.Type}`);
    const rules = (await e.events.send(new ListRulesCommand({ NamePrefix: "functions-warmer-schedule" }))).Rules ?? [];
    expect(
        rules.length === 1 && rules[0].State === schedule,
        `the warmer's rule is ${rules.map((r) => r.State).join(", ") || "missing"}, expected ${schedule}`,
    );
    return `both functions in the private subnets, the key a SecureString, the schedule ${schedule}`;
}
