// The plan's reading of the recorded graph: each resource's inputs as far as the plan shows them,
// fake ids turned back into logical names, and one line of details per resource.
import type { MockRun, Recorded } from "../../offline/engine";

/** The inputs of the resource types the plan shows, as far as it reads them. */
export interface VpcInputs {
    cidrBlock: string;
    enableDnsSupport?: boolean;
    enableDnsHostnames?: boolean;
}
export interface SubnetInputs {
    cidrBlock: string;
    availabilityZone: string;
}
export interface RouteInputs {
    routeTableId: string;
    destinationCidrBlock?: string;
    gatewayId?: string;
    natGatewayId?: string;
    networkInterfaceId?: string;
    instanceId?: string;
}
export interface RouteTableAssociationInputs {
    subnetId: string;
    routeTableId: string;
}
export interface NatGatewayInputs {
    subnetId: string;
    allocationId?: string;
}
export interface InstanceInputs {
    instanceType: string;
    ami: string;
    subnetId: string;
    sourceDestCheck?: boolean;
    tags?: Record<string, string>;
    metadataOptions?: { httpTokens?: string };
    rootBlockDevice?: { volumeSize?: number };
    userData?: string;
}
export interface SecurityGroupInputs {
    ingress?: { protocol: string; fromPort: number; cidrBlocks?: string[] }[];
}
export interface EipAssociationInputs {
    allocationId: string;
    networkInterfaceId?: string;
    instanceId?: string;
}
export interface FunctionInputs {
    runtime: string;
    architectures?: string[];
    memorySize: number;
    timeout: number;
    vpcConfig?: { subnetIds?: string[] };
}
export interface EventRuleInputs {
    scheduleExpression: string;
    state: string;
}
interface PolicyDocument {
    Statement: { Action: string | string[]; Resource: string | string[] }[];
}

/** A resource's inputs, read as the type it is (the recorded inputs are untyped JSON). */
export const inputsOf = <T>(r: Recorded): T => r.inputs as T;

/** Turns a fake id, ARN or physical name back into the logical name of its resource. */
export type Namer = (v: unknown) => string;

/** id → logical name, so details name resources rather than fake ids. */
export function namer(run: MockRun): Namer {
    const byId = new Map<string, string>();
    for (const r of run.resources) {
        const state = r.state as { arn?: string; name?: string; primaryNetworkInterfaceId?: string };
        if (r.id) byId.set(r.id, r.name);
        if (state.arn) byId.set(state.arn, r.name);
        if (state.name && r.custom) byId.set(state.name, r.name);
        if (state.primaryNetworkInterfaceId) byId.set(state.primaryNetworkInterfaceId, `${r.name} (primary ENI)`);
    }
    return (v: unknown): string => {
        if (typeof v !== "string") return String(v);
        if (byId.has(v)) return byId.get(v)!;
        // A function ARN with a version or alias wildcard.
        if (v.endsWith(":*") && byId.has(v.slice(0, -2))) return `${byId.get(v.slice(0, -2))}:*`;
        return v;
    };
}

type Describe = (r: Recorded, n: Namer) => string;

const describeInstance: Describe = (r, n) => {
    const i = inputsOf<InstanceInputs>(r);
    return (
        `${i.instanceType}, image ${i.tags?.NatImage ?? i.ami}, in ${n(i.subnetId)}, ` +
        `source/dest check ${i.sourceDestCheck ? "on" : "off"}, IMDS tokens ${i.metadataOptions?.httpTokens}, ` +
        `${i.rootBlockDevice?.volumeSize} GiB gp3${i.userData ? ", iptables user data" : ""}`
    );
};

const describeSecurityGroup: Describe = (r) => {
    const rules = (inputsOf<SecurityGroupInputs>(r).ingress ?? []).map(
        (x) => `${x.protocol === "-1" ? "all" : `${x.protocol}/${x.fromPort}`} from ${(x.cidrBlocks ?? []).join(",")}`,
    );
    return `ingress: ${rules.length ? rules.join("; ") : "none"}; egress: all`;
};

const describePolicy: Describe = (r, n) => {
    const i = inputsOf<{ role: string; policy: string }>(r);
    const statements = (JSON.parse(i.policy) as PolicyDocument).Statement.map(
        (s) => `${String(s.Action)} on ${[s.Resource].flat().map(n).join(", ")}`,
    );
    return `${n(i.role)}: ${statements.join("; ")}`;
};

const describeFunction: Describe = (r, n) => {
    const i = inputsOf<FunctionInputs>(r);
    const subnets = (i.vpcConfig?.subnetIds ?? []).map(n).join(", ");
    return `${i.runtime} ${i.architectures?.join(",")}, ${i.memorySize} MB, ${i.timeout} s, subnets ${subnets}`;
};

/** One line of details per resource type: what a deployer checks in a plan. */
const DESCRIBE: Record<string, Describe> = {
    "aws:ec2/vpc:Vpc": (r) => {
        const i = inputsOf<VpcInputs>(r);
        return `${i.cidrBlock}, DNS support ${i.enableDnsSupport}, hostnames ${i.enableDnsHostnames}`;
    },
    "aws:ec2/subnet:Subnet": (r) => {
        const i = inputsOf<SubnetInputs>(r);
        return `${i.cidrBlock} in ${i.availabilityZone}`;
    },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": (r, n) => {
        const i = inputsOf<RouteTableAssociationInputs>(r);
        return `${n(i.subnetId)} → ${n(i.routeTableId)}`;
    },
    "aws:ec2/route:Route": (r, n) => {
        const i = inputsOf<RouteInputs>(r);
        const target = i.gatewayId ?? i.natGatewayId ?? i.networkInterfaceId ?? i.instanceId;
        return `${n(i.routeTableId)}: ${i.destinationCidrBlock} → ${n(target)}`;
    },
    "aws:ec2/natGateway:NatGateway": (r, n) => {
        const i = inputsOf<NatGatewayInputs>(r);
        return `in ${n(i.subnetId)}, address ${n(i.allocationId)}`;
    },
    "aws:ec2/instance:Instance": describeInstance,
    "aws:ec2/securityGroup:SecurityGroup": describeSecurityGroup,
    // The address as the planning account gives it: a placeholder (AWS assigns it at deploy).
    "aws:ec2/eip:Eip": (r) => `Elastic IP, address ${String((r.state as { publicIp?: string }).publicIp)}`,
    "aws:ec2/eipAssociation:EipAssociation": (r, n) => {
        const i = inputsOf<EipAssociationInputs>(r);
        return `${n(i.allocationId)} → ${n(i.networkInterfaceId ?? i.instanceId)}`;
    },
    "aws:lambda/function:Function": describeFunction,
    "aws:cloudwatch/eventRule:EventRule": (r) => {
        const i = inputsOf<EventRuleInputs>(r);
        return `${i.scheduleExpression}, ${i.state}`;
    },
    "aws:cloudwatch/logGroup:LogGroup": (r) => {
        const i = inputsOf<{ name: string; retentionInDays: number }>(r);
        return `${i.name}, ${i.retentionInDays} days`;
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (r, n) => {
        const i = inputsOf<{ role: string; policyArn: string }>(r);
        return `${n(i.role)} ← ${String(i.policyArn).split("/").pop()}`;
    },
    "aws:ssm/parameter:Parameter": (r) => {
        const i = inputsOf<{ name: string; type: string; tier: string; keyId?: string }>(r);
        return `${i.name}: ${i.type}, ${i.tier} tier, key ${i.keyId ?? "aws/ssm (AWS-managed)"}; the value stays secret`;
    },
    "aws:iam/rolePolicy:RolePolicy": describePolicy,
    "aws:cloudwatch/metricAlarm:MetricAlarm": (r, n) => {
        const i = inputsOf<{ metricName: string; alarmActions?: string[] }>(r);
        return `${i.metricName} → ${(i.alarmActions ?? []).map(n).join(",")}`;
    },
    "aws:lambda/permission:Permission": (r, n) => {
        const i = inputsOf<{ principal: string; function: string; sourceArn: string }>(r);
        return `${i.principal} may invoke ${n(i.function)} from ${n(i.sourceArn)}`;
    },
    "aws:cloudwatch/eventTarget:EventTarget": (r, n) => {
        const i = inputsOf<{ rule: string; arn: string }>(r);
        return `${n(i.rule)} → ${n(i.arn)}`;
    },
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": (r, n) => {
        const i = inputsOf<{ functionName: string; maximumRetryAttempts: number }>(r);
        return `${n(i.functionName)}: async retries ${i.maximumRetryAttempts}`;
    },
    "pulumi:index:Stash": (r) => {
        const image = inputsOf<{ input?: { name?: string } }>(r).input?.name ?? "?";
        return (
            `keeps the image this instance generation was created with (${image}); ` +
            "a new image, type, key pair or natImageRefresh makes a new generation"
        );
    },
    "pulumi-nodejs:dynamic:NatReadiness": (r, n) => {
        const i = inputsOf<{ instanceId: string; timeoutSeconds: number }>(r);
        return (
            `waits until ${n(i.instanceId)} passes its EC2 status checks (at most ${i.timeoutSeconds} s) ` +
            "before its address and routes move"
        );
    },
    "pulumi-nodejs:dynamic:LambdaEniRelease": (r, n) => {
        const i = inputsOf<{ subnetIds?: string[]; timeoutSeconds: number }>(r);
        return (
            `on destroy, waits until Lambda has released its interfaces in ${(i.subnetIds ?? []).map(n).join(", ")} ` +
            `(at most ${i.timeoutSeconds} s), so the roles outlive them`
        );
    },
};

export interface PlannedResource {
    type: string;
    name: string;
    details: string;
}

/** The custom resources, network first, then the NAT, then the functions, each with its details. */
export function describeResources(run: MockRun): PlannedResource[] {
    const n = namer(run);
    const order = ["network", "nat", "functions"];
    const group = (r: Recorded) => order.findIndex((prefix) => r.name.startsWith(`${prefix}-`));
    return run.resources
        .filter((r) => r.custom)
        .map((r, i) => ({ r, i }))
        .sort((a, b) => group(a.r) - group(b.r) || a.i - b.i)
        .map(({ r }) => ({ type: r.type, name: r.name, details: DESCRIBE[r.type]?.(r, n) ?? "" }));
}
