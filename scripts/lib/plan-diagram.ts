// The plan's diagram: a Mermaid flowchart of the recorded graph.
import type { NatStrategy } from "../../program/config/config";
import type { MockRun, Recorded } from "../../offline/engine";
import {
    inputsOf,
    namer,
    type EipAssociationInputs,
    type EventRuleInputs,
    type FunctionInputs,
    type InstanceInputs,
    type NatGatewayInputs,
    type Namer,
    type RouteInputs,
    type RouteTableAssociationInputs,
    type SubnetInputs,
    type VpcInputs,
} from "./plan-resources";

/** A Mermaid node id for a logical name. */
const id = (name: string) => name.replace(/[^A-Za-z0-9]/g, "_");

/** Text for inside a quoted Mermaid label: its entity codes for what would end the label or read as HTML. */
const labelText = (text: string) => text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");

/** The resources the diagram draws, found once. */
interface Drawn {
    n: Namer;
    nat: NatStrategy;
    of: (type: string) => Recorded[];
    subnets: Recorded[];
    gateway?: Recorded;
    instance?: Recorded;
    /** The NAT, whichever kind is on. */
    natNode?: Recorded;
    fns: Recorded[];
    eips: Recorded[];
    igw: Recorded;
    /** The Elastic IP the NAT sends from. */
    active?: Recorded;
}

function drawn(run: MockRun, nat: NatStrategy): Drawn {
    const of = (type: string) => run.resources.filter((r) => r.type === type);
    const gateway = of("aws:ec2/natGateway:NatGateway").at(0);
    const instance = of("aws:ec2/instance:Instance").at(0);
    const assoc = of("aws:ec2/eipAssociation:EipAssociation").at(0);
    const boundAlloc =
        (gateway && inputsOf<NatGatewayInputs>(gateway).allocationId) ??
        (assoc && inputsOf<EipAssociationInputs>(assoc).allocationId);
    const eips = of("aws:ec2/eip:Eip");
    return {
        n: namer(run),
        nat,
        of,
        subnets: of("aws:ec2/subnet:Subnet"),
        gateway,
        instance,
        natNode: gateway ?? instance,
        fns: of("aws:lambda/function:Function"),
        eips,
        igw: of("aws:ec2/internetGateway:InternetGateway")[0],
        active: eips.find((e) => boundAlloc === e.id),
    };
}

/**
 * A Mermaid flowchart that tells the story: the functions' traffic goes through the private
 * subnets to the NAT and out of the internet gateway to Aligo, from the active Elastic IP; every
 * Elastic IP is to be registered with Aligo. Subnets are grouped by availability zone; traffic
 * edges are directed.
 */
export function mermaid(run: MockRun, nat: NatStrategy): string {
    const d = drawn(run, nat);
    const lines = ["flowchart LR", ...vpcLines(d), ...routeLines(d), ...functionLines(d), ...addressLines(d)];
    lines.push(...scheduleLines(d));
    return `${lines.join("\n")}\n`;
}

/** The VPC: its zones with their subnets (the NAT inside its public subnet), the functions, the gateway. */
function vpcLines(d: Drawn): string[] {
    const vpc = d.of("aws:ec2/vpc:Vpc")[0];
    const natHome = d.natNode ? d.n(inputsOf<NatGatewayInputs | InstanceInputs>(d.natNode).subnetId) : undefined;
    const lines = [`  subgraph ${id(vpc.name)}["VPC ${inputsOf<VpcInputs>(vpc).cidrBlock}"]`];
    const zoneOf = (x: Recorded) => String(inputsOf<SubnetInputs>(x).availabilityZone);
    for (const zone of [...new Set(d.subnets.map(zoneOf))]) {
        lines.push(`    subgraph zone_${id(zone)}["${zone}"]`);
        for (const x of d.subnets.filter((y) => zoneOf(y) === zone)) {
            const kind = /public/.test(x.name) ? "public" : "private";
            const label = `"${kind} subnet ${inputsOf<SubnetInputs>(x).cidrBlock}<br/>${x.name}"`;
            if (d.natNode && natHome === x.name) {
                // The NAT lives in its public subnet: drawn inside it (the subnet is a subgraph holding it).
                const what = d.gateway
                    ? "NAT gateway"
                    : `NAT instance ${inputsOf<InstanceInputs>(d.natNode).instanceType}`;
                lines.push(
                    `      subgraph ${id(x.name)}[${label}]`,
                    `        ${id(d.natNode.name)}{{"${what}"}}`,
                    "      end",
                );
            } else {
                lines.push(`      ${id(x.name)}[${label}]`);
            }
        }
        lines.push("    end");
    }
    for (const f of d.fns) lines.push(`    ${id(f.name)}["λ ${f.name}"]`);
    lines.push(`    ${id(d.igw.name)}["internet gateway"]`, "  end", '  aligo(("Aligo API<br/>apis.aligo.in"))');
    return lines;
}

/** The way out: subnets to their route targets, through their tables; the NAT to the gateway, on to Aligo. */
function routeLines(d: Drawn): string[] {
    const { n, natNode, igw, active, nat } = d;
    const lines: string[] = [];
    const rtOfSubnet = new Map(
        d.of("aws:ec2/routeTableAssociation:RouteTableAssociation").map((a) => {
            const i = inputsOf<RouteTableAssociationInputs>(a);
            return [n(i.subnetId), n(i.routeTableId)];
        }),
    );
    const routes = d.of("aws:ec2/route:Route").map((r) => inputsOf<RouteInputs>(r));
    for (const x of d.subnets) {
        const table = rtOfSubnet.get(x.name);
        const route = routes.find((r) => n(r.routeTableId) === table && r.destinationCidrBlock === "0.0.0.0/0");
        if (!route) {
            lines.push(`  ${id(x.name)} -.->|"no route out (nat=${nat})"| no_route_out["no way out"]`);
            continue;
        }
        const target = n(route.gatewayId ?? route.natGatewayId ?? route.networkInterfaceId).replace(
            / \(primary ENI\)$/,
            "",
        );
        lines.push(`  ${id(x.name)} -->|"0.0.0.0/0"| ${id(target)}`);
    }
    if (natNode) lines.push(`  ${id(natNode.name)} --> ${id(igw.name)}`);
    // Without a NAT nothing from the functions reaches Aligo.
    lines.push(
        natNode
            ? `  ${id(igw.name)} ==>|"HTTPS${active ? `, from ${active.name}` : ""}"| aligo`
            : `  ${id(igw.name)} -.->|"no traffic (nat=${nat})"| aligo`,
    );
    return lines;
}

/** The SMS function sends from the private subnets; the warmer only runs there (it never calls Aligo). */
function functionLines(d: Drawn): string[] {
    const warmer = d.fns.find((f) => f.name.endsWith("warmer"));
    return d.fns.flatMap((f) =>
        (inputsOf<FunctionInputs>(f).vpcConfig?.subnetIds ?? []).map(
            (sid) => `  ${id(f.name)} -->|"${f === warmer ? "runs in" : "sends from"}"| ${id(d.n(sid))}`,
        ),
    );
}

/** Every address, with its role; each one is registered with Aligo. */
function addressLines(d: Drawn): string[] {
    const { natNode, active, gateway } = d;
    return d.eips.flatMap((e) => {
        const role = !natNode
            ? "kept while nat=none, unused"
            : active === e
              ? `active: traffic leaves from it (${gateway ? "NAT gateway" : "NAT instance"})`
              : "standby: for the other NAT kind";
        // Its address as the planning account gives it: a placeholder until AWS assigns it at deploy.
        const address = labelText(String((e.state as { publicIp?: string }).publicIp));
        return [
            `  ${id(e.name)}[/"Elastic IP ${e.name}<br/>${address}<br/>${role}"/]`,
            ...(active === e && natNode ? [`  ${id(e.name)} -.->|"bound to"| ${id(natNode.name)}`] : []),
            `  ${id(e.name)} -.->|"register in 발송 IP"| aligo`,
        ];
    });
}

/** The warmer's schedule and its pings; a paused schedule (nat=none) is drawn as such: it fires nothing. */
function scheduleLines(d: Drawn): string[] {
    const rule = d.of("aws:cloudwatch/eventRule:EventRule").at(0);
    const warmer = d.fns.find((f) => f.name.endsWith("warmer"));
    const sms = d.fns.find((f) => f.name.endsWith("sms"));
    const schedule = rule && inputsOf<EventRuleInputs>(rule);
    const paused = schedule?.state === "DISABLED";
    const lines: string[] = [];
    if (rule && schedule && warmer) {
        const node = `  ${id(rule.name)}(["${schedule.scheduleExpression}${paused ? "<br/>(disabled)" : ""}"])`;
        lines.push(paused ? `${node} -.->|"(disabled)"| ${id(warmer.name)}` : `${node} --> ${id(warmer.name)}`);
    }
    if (warmer && sms)
        lines.push(
            paused
                ? `  ${id(warmer.name)} -.->|"warm-up pings (disabled)"| ${id(sms.name)}`
                : `  ${id(warmer.name)} -->|"warm-up pings"| ${id(sms.name)}`,
        );
    return lines;
}
