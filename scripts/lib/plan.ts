// The offline plan: the real program under mocks with a stack's configuration, what it would
// create, what each NAT strategy would cost, and a diagram. No cloud, no credentials, no CLI.
import { alarmsWanted } from "../../program/config/alarms";
import {
    NAT_STRATEGIES,
    parseConfig,
    warmerActive,
    type AppConfig,
    type NatStrategy,
    type RawConfig,
} from "../../program/config/config";
import { estimateMonthlyCost, type CostEstimate } from "../../program/cost/estimate";
import { PRICES } from "../../program/cost/prices";
import { IMAGE_FAMILIES, NAT_IMAGE_FAMILIES, instanceArchitecture } from "../../components/images";
import { egressPlan, sharesOneAddress } from "../../components/nat-plan";
import { OfflineAccount, type World } from "../../offline/account";
import { runMockProgram, type MockRun, type Recorded } from "../../offline/engine";
import { loadStackConfig, readProject } from "../../program/stack-config";

export interface PlanOptions {
    stack: string;
    /** Plan as if `nat` were this. Default: the stack's own. */
    nat?: NatStrategy;
    /** GB a month through the NAT, for the NAT gateway's data charge. Default 0. */
    gb?: number;
    /** Repository root (tests use the real one). */
    root?: string;
}

export interface PlannedResource {
    type: string;
    name: string;
    details: string;
}

export interface PlanReport {
    stack: string;
    region: string;
    nat: NatStrategy;
    gb: number;
    /** Settings the stack file lacks, replaced by placeholders so the plan can run. */
    placeholders: string[];
    warnings: string[];
    /** Things about this configuration a deployer should know before switching or paying. */
    notes: string[];
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    costs: Record<NatStrategy, CostEstimate>;
    /** The alarms: the stack's own, or, when no one would hear them, those it would get with alarmEmail set. */
    alarms: AlarmPlan;
    mermaid: string;
}

export interface PlannedAlarm {
    name: string;
    metric: string;
    /** The alarm's description, which says what is wrong and what to do. */
    description: string;
}

export interface AlarmPlan {
    /** Whether alarmEmail or alarmTopicArn is set. */
    configured: boolean;
    list: PlannedAlarm[];
    /** Their monthly cost under the stack's strategy (the alarms and the balance metric). */
    monthlyUsd: number;
}

/** Settings a user sets per stack (some as secrets): the plan stands in for them if missing. */
const PLACEHOLDERS: Record<string, string> = {
    aligoApiKey: "placeholder-api-key",
    aligoUserId: "placeholder",
    aligoSender: "0200000000",
};

/** A fake account for planning: AZ names a..d, and an image for every family and architecture. */
export function offlineWorld(
    region: string,
    natImage: string | undefined,
    natInstanceType: string | undefined,
    allocationIds: string[],
): World {
    const images: World["images"] = [];
    for (const family of NAT_IMAGE_FAMILIES) {
        const facts = IMAGE_FAMILIES[family];
        for (const arch of facts.architectures) {
            images.push({
                id: "ami-resolved-at-deploy",
                name: facts.namePattern(arch).replace(/\*/g, "<newest>"),
                architecture: arch,
                owner: facts.owners[0],
                created: "2026-01-01",
            });
        }
    }
    if (natImage?.startsWith("ami-")) {
        images.push({
            id: natImage,
            name: `${natImage} (pinned; checked at deploy)`,
            architecture: instanceArchitecture(natInstanceType ?? "t3.nano"),
            owner: "self",
            created: "2026-01-01",
        });
    }
    return {
        region,
        zones: ["a", "b", "c", "d"].map((l) => `${region}${l}`),
        images,
        eips: allocationIds.map((id) => ({ allocationId: id, publicIp: `<address of ${id}>` })),
        enis: {},
    };
}

export async function planStack(opts: PlanOptions): Promise<PlanReport> {
    const project = readProject(opts.root).name;
    const { values, secretKeys } = loadStackConfig(opts.stack, opts.root);
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) if (v !== undefined) config[k] = v;
    if (opts.nat) config[`${project}:nat`] = opts.nat;
    const placeholders: string[] = [];
    for (const [key, value] of Object.entries(PLACEHOLDERS)) {
        const full = `${project}:${key}`;
        if (config[full] === undefined) {
            config[full] = value;
            placeholders.push(key);
        }
    }
    const secrets = [...new Set([...secretKeys, `${project}:aligoApiKey`])];

    // Validate first, exactly as the program will, so a bad stack file fails here with the same words.
    const raw: RawConfig = {};
    for (const [k, v] of Object.entries(config)) raw[k.startsWith(`${project}:`) ? k.slice(project.length + 1) : k] = v;
    for (const k of Object.keys(raw)) if (k.includes(":") && k !== "aws:region") delete raw[k];
    const parsed = parseConfig(raw);
    const cfg = parsed.config;

    const world = offlineWorld(cfg.region, raw.natImage, cfg.natInstanceType, cfg.egressIpAllocationIds ?? []);
    const run = await runMockProgram({
        project,
        stack: opts.stack,
        config,
        secretKeys: secrets,
        mocks: new OfflineAccount(world),
        preview: true,
    });
    if (run.error) throw run.error;

    const gb = opts.gb ?? 0;
    const costs = Object.fromEntries(NAT_STRATEGIES.map((s) => [s, estimateMonthlyCost(cfg, s, gb)])) as Record<
        NatStrategy,
        CostEstimate
    >;

    // Alarms: this stack's own; when it has none (no one to hear them), the program is run once more
    // with an address set, to show what alarmEmail would bring and cost.
    const configured = alarmsWanted(cfg);
    const example = { ...config, [`${project}:alarmEmail`]: "you@example.com" };
    const alarmRun = configured
        ? run
        : await runMockProgram({
              project,
              stack: opts.stack,
              config: example,
              secretKeys: secrets,
              mocks: new OfflineAccount(world),
              preview: true,
          });
    if (alarmRun.error) throw alarmRun.error;
    const alarmCfg = configured ? cfg : { ...cfg, alarmEmail: "you@example.com" };
    const priced = estimateMonthlyCost(alarmCfg, cfg.nat).lines.filter(
        (l) => l.item === "CloudWatch alarms" || l.item.startsWith("custom metric"),
    );
    const alarms: AlarmPlan = {
        configured,
        list: alarmRun.resources
            .filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
            .map((r) => ({
                name: r.name,
                metric: `${r.inputs.namespace} ${r.inputs.metricName}`,
                description: String(r.inputs.alarmDescription ?? ""),
            }))
            .sort((a, b) => a.name.localeCompare(b.name)),
        monthlyUsd: Math.round(priced.reduce((sum, l) => sum + (l.usd ?? 0), 0) * 100) / 100,
    };
    return {
        stack: opts.stack,
        region: cfg.region,
        nat: cfg.nat,
        gb,
        placeholders,
        warnings: parsed.warnings,
        notes: notesFor(cfg),
        resources: describeResources(run),
        // Only outputs that mean something before deployment (ids and addresses do not exist yet).
        outputs: {
            natStrategy: run.outputs.natStrategy,
            estimatedMonthlyCostUsd: run.outputs.estimatedMonthlyCostUsd,
            egressAddresses: (run.outputs.egressIps ?? []).length,
        },
        costs,
        alarms,
        mermaid: mermaid(run, cfg.nat),
    };
}

/** What a deployer should know about this configuration, in the plan's words. */
export function notesFor(cfg: AppConfig): string[] {
    const notes: string[] = [];
    if (sharesOneAddress(egressPlan(cfg.egressIpAllocationIds, cfg.egressIpStandby))) {
        notes.push(
            "One Elastic IP serves whichever NAT is on" +
                `${cfg.egressIpAllocationIds ? " (egressIpAllocationIds lists one)" : " (egressIpStandby is false)"}: ` +
                "switching between gateway and instance takes two `pulumi up`s through `nat none`, with no outbound traffic in between.",
        );
    }
    if (cfg.nat === "instance") {
        notes.push(
            "The NAT instance keeps the image it was created with; set natImageRefresh to a new value to move to the newest one. " +
                "A new image, instance type or key pair builds a new instance beside the old one; traffic moves to it only after it passes " +
                "its EC2 status checks (usually a few minutes; at most 10), and the old one is deleted last.",
        );
    }
    if (cfg.warmerEnabled && !warmerActive(cfg)) notes.push("The warmer's schedule is paused while nat is none.");
    return notes;
}

/** id → logical name, so details name resources rather than fake ids. */
function namer(run: MockRun) {
    const byId = new Map<string, string>();
    for (const r of run.resources) {
        if (r.id) byId.set(r.id, r.name);
        if (r.state.arn) byId.set(r.state.arn, r.name);
        if (r.state.name && r.custom) byId.set(r.state.name, r.name);
        if (r.state.primaryNetworkInterfaceId) byId.set(r.state.primaryNetworkInterfaceId, `${r.name} (primary ENI)`);
    }
    const name = (v: unknown): string => {
        if (typeof v !== "string") return String(v);
        if (byId.has(v)) return byId.get(v)!;
        // A function ARN with a version or alias wildcard.
        if (v.endsWith(":*") && byId.has(v.slice(0, -2))) return `${byId.get(v.slice(0, -2))}:*`;
        return v;
    };
    return name;
}

function describeResources(run: MockRun): PlannedResource[] {
    const n = namer(run);
    const describe = (r: Recorded): string => {
        const i = r.inputs;
        switch (r.type) {
            case "aws:ec2/vpc:Vpc":
                return `${i.cidrBlock}, DNS support ${i.enableDnsSupport}, hostnames ${i.enableDnsHostnames}`;
            case "aws:ec2/subnet:Subnet":
                return `${i.cidrBlock} in ${i.availabilityZone}`;
            case "aws:ec2/routeTableAssociation:RouteTableAssociation":
                return `${n(i.subnetId)} → ${n(i.routeTableId)}`;
            case "aws:ec2/route:Route": {
                const target = i.gatewayId ?? i.natGatewayId ?? i.networkInterfaceId ?? i.instanceId;
                return `${n(i.routeTableId)}: ${i.destinationCidrBlock} → ${n(target)}`;
            }
            case "aws:ec2/natGateway:NatGateway":
                return `in ${n(i.subnetId)}, address ${n(i.allocationId)}`;
            case "aws:ec2/instance:Instance":
                return `${i.instanceType}, image ${i.tags?.NatImage ?? i.ami}, in ${n(i.subnetId)}, source/dest check ${i.sourceDestCheck ? "on" : "off"}, IMDS tokens ${i.metadataOptions?.httpTokens}, ${i.rootBlockDevice?.volumeSize} GiB gp3${i.userData ? ", iptables user data" : ""}`;
            case "aws:ec2/securityGroup:SecurityGroup": {
                const rules = (i.ingress ?? []).map(
                    (x: any) =>
                        `${x.protocol === "-1" ? "all" : `${x.protocol}/${x.fromPort}`} from ${(x.cidrBlocks ?? []).join(",")}`,
                );
                return `ingress: ${rules.length ? rules.join("; ") : "none"}; egress: all`;
            }
            case "aws:ec2/eip:Eip":
                return "Elastic IP";
            case "aws:ec2/eipAssociation:EipAssociation":
                return `${n(i.allocationId)} → ${n(i.networkInterfaceId ?? i.instanceId)}`;
            case "aws:lambda/function:Function":
                return `${i.runtime} ${i.architectures?.join(",")}, ${i.memorySize} MB, ${i.timeout} s, subnets ${(i.vpcConfig?.subnetIds ?? []).map(n).join(", ")}`;
            case "aws:cloudwatch/eventRule:EventRule":
                return `${i.scheduleExpression}, ${i.state}`;
            case "aws:cloudwatch/logGroup:LogGroup":
                return `${i.name}, ${i.retentionInDays} days`;
            case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
                return `${n(i.role)} ← ${String(i.policyArn).split("/").pop()}`;
            case "aws:ssm/parameter:Parameter":
                return `${i.name}: ${i.type}, ${i.tier} tier, key ${i.keyId ?? "aws/ssm (AWS-managed)"}; the value stays secret`;
            case "aws:iam/rolePolicy:RolePolicy": {
                const st = JSON.parse(i.policy).Statement.map(
                    (s: any) => `${s.Action} on ${[s.Resource].flat().map(n).join(", ")}`,
                );
                return `${n(i.role)}: ${st.join("; ")}`;
            }
            case "aws:cloudwatch/metricAlarm:MetricAlarm":
                return `${i.metricName} → ${(i.alarmActions ?? []).join(",")}`;
            case "aws:lambda/permission:Permission":
                return `${i.principal} may invoke ${n(i.function)} from ${n(i.sourceArn)}`;
            case "aws:cloudwatch/eventTarget:EventTarget":
                return `${n(i.rule)} → ${n(i.arn)}`;
            case "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig":
                return `${n(i.functionName)}: async retries ${i.maximumRetryAttempts}`;
            case "pulumi:index:Stash":
                return `keeps the image this instance generation was created with (${i.input?.name ?? "?"}); a new image, type, key pair or natImageRefresh makes a new generation`;
            case "pulumi-nodejs:dynamic:NatReadiness":
                return `waits until ${n(i.instanceId)} passes its EC2 status checks (at most ${i.timeoutSeconds} s) before its address and routes move`;
            case "pulumi-nodejs:dynamic:LambdaEniRelease":
                return `on destroy, waits until Lambda has released its interfaces in ${(i.subnetIds ?? []).map(n).join(", ")} (at most ${i.timeoutSeconds} s), so the roles outlive them`;
            default:
                return "";
        }
    };
    const order = ["network", "nat", "functions"];
    const group = (r: Recorded) => order.findIndex((prefix) => r.name.startsWith(`${prefix}-`));
    return run.resources
        .filter((r) => r.custom)
        .map((r, i) => ({ r, i }))
        .sort((a, b) => group(a.r) - group(b.r) || a.i - b.i)
        .map(({ r }) => ({ type: r.type, name: r.name, details: describe(r) }));
}

/**
 * A Mermaid flowchart that tells the story: the functions' traffic goes through the private
 * subnets to the NAT and out of the internet gateway to Aligo, from the active Elastic IP; every
 * Elastic IP is to be registered with Aligo. Subnets are grouped by availability zone; traffic
 * edges are directed.
 */
export function mermaid(run: MockRun, nat: NatStrategy): string {
    const n = namer(run);
    const of = (type: string) => run.resources.filter((r) => r.type === type);
    const id = (name: string) => name.replace(/[^A-Za-z0-9]/g, "_");
    const lines = ["flowchart LR"];
    const vpc = of("aws:ec2/vpc:Vpc")[0];
    const subnets = of("aws:ec2/subnet:Subnet");
    const gateway = of("aws:ec2/natGateway:NatGateway")[0];
    const instance = of("aws:ec2/instance:Instance")[0];
    const natNode = gateway ?? instance;
    const natHome = natNode ? n(natNode.inputs.subnetId) : undefined;
    const fns = of("aws:lambda/function:Function");
    const eips = of("aws:ec2/eip:Eip");
    const assoc = of("aws:ec2/eipAssociation:EipAssociation")[0];
    const boundAlloc = gateway?.inputs.allocationId ?? assoc?.inputs.allocationId;
    const igw = of("aws:ec2/internetGateway:InternetGateway")[0];

    lines.push(`  subgraph ${id(vpc.name)}["VPC ${vpc.inputs.cidrBlock}"]`);
    const zones = [...new Set(subnets.map((x) => String(x.inputs.availabilityZone)))];
    for (const zone of zones) {
        lines.push(`    subgraph zone_${id(zone)}["${zone}"]`);
        for (const x of subnets.filter((y) => y.inputs.availabilityZone === zone)) {
            const kind = /public/.test(x.name) ? "public" : "private";
            const label = `"${kind} subnet ${x.inputs.cidrBlock}<br/>${x.name}"`;
            if (natNode && natHome === x.name) {
                // The NAT lives in its public subnet: drawn inside it (the subnet is a subgraph holding it).
                const what = gateway ? "NAT gateway" : `NAT instance ${instance.inputs.instanceType}`;
                lines.push(
                    `      subgraph ${id(x.name)}[${label}]`,
                    `        ${id(natNode.name)}{{"${what}"}}`,
                    "      end",
                );
            } else {
                lines.push(`      ${id(x.name)}[${label}]`);
            }
        }
        lines.push("    end");
    }
    for (const f of fns) lines.push(`    ${id(f.name)}["λ ${f.name}"]`);
    lines.push(`    ${id(igw.name)}["internet gateway"]`);
    lines.push("  end");
    lines.push('  aligo(("Aligo API<br/>apis.aligo.in"))');

    // The way out: subnets to their route targets, through their tables.
    const rtOfSubnet = new Map(
        of("aws:ec2/routeTableAssociation:RouteTableAssociation").map((a) => [
            n(a.inputs.subnetId),
            n(a.inputs.routeTableId),
        ]),
    );
    for (const x of subnets) {
        const table = rtOfSubnet.get(x.name);
        const route = of("aws:ec2/route:Route").find(
            (r) => n(r.inputs.routeTableId) === table && r.inputs.destinationCidrBlock === "0.0.0.0/0",
        );
        if (!route) {
            lines.push(`  ${id(x.name)} -.->|"no route out (nat=${nat})"| no_route_out["no way out"]`);
            continue;
        }
        const target = n(
            route.inputs.gatewayId ?? route.inputs.natGatewayId ?? route.inputs.networkInterfaceId,
        ).replace(/ \(primary ENI\)$/, "");
        lines.push(`  ${id(x.name)} -->|"0.0.0.0/0"| ${id(target)}`);
    }
    if (natNode) lines.push(`  ${id(natNode.name)} --> ${id(igw.name)}`);
    const active = eips.find((e) => boundAlloc === e.id);
    // Without a NAT nothing from the functions reaches Aligo.
    lines.push(
        natNode
            ? `  ${id(igw.name)} ==>|"HTTPS${active ? `, from ${active.name}` : ""}"| aligo`
            : `  ${id(igw.name)} -.->|"no traffic (nat=${nat})"| aligo`,
    );

    const rule = of("aws:cloudwatch/eventRule:EventRule")[0];
    const warmer = fns.find((f) => f.name.endsWith("warmer"));
    const sms = fns.find((f) => f.name.endsWith("sms"));
    // The SMS function sends from the private subnets; the warmer only runs there (it never calls Aligo).
    for (const f of fns) {
        for (const sid of f.inputs.vpcConfig?.subnetIds ?? [])
            lines.push(`  ${id(f.name)} -->|"${f === warmer ? "runs in" : "sends from"}"| ${id(n(sid))}`);
    }

    // Every address, with its role; each one is registered with Aligo.
    for (const e of eips) {
        const role = !natNode
            ? "kept while nat=none, unused"
            : active === e
              ? `active: traffic leaves from it (${gateway ? "NAT gateway" : "NAT instance"})`
              : "standby: for the other NAT kind";
        lines.push(`  ${id(e.name)}[/"Elastic IP ${e.name}<br/>${role}"/]`);
        if (active === e && natNode) lines.push(`  ${id(e.name)} -.->|"bound to"| ${id(natNode.name)}`);
        lines.push(`  ${id(e.name)} -.->|"register in 발송 IP"| aligo`);
    }

    // A paused schedule (nat=none) is drawn as such: it fires nothing.
    const paused = rule?.inputs.state === "DISABLED";
    if (rule && warmer) {
        lines.push(
            paused
                ? `  ${id(rule.name)}(["${rule.inputs.scheduleExpression}<br/>(disabled)"]) -.->|"(disabled)"| ${id(warmer.name)}`
                : `  ${id(rule.name)}(["${rule.inputs.scheduleExpression}"]) --> ${id(warmer.name)}`,
        );
    }
    if (warmer && sms)
        lines.push(
            paused
                ? `  ${id(warmer.name)} -.->|"warm-up pings (disabled)"| ${id(sms.name)}`
                : `  ${id(warmer.name)} -->|"warm-up pings"| ${id(sms.name)}`,
        );
    return `${lines.join("\n")}\n`;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const padLeft = (s: string, n: number) => (s.length >= n ? s : " ".repeat(n - s.length) + s);

export function renderText(p: PlanReport): string {
    const out: string[] = [];
    out.push(
        `Plan for stack ${p.stack} (${p.region}), nat=${p.nat}: offline, no cloud calls. AZ names are assumed (${p.region}a, b, ...) and AMIs are looked up at deploy.`,
    );
    for (const key of p.placeholders)
        out.push(
            `note: ${key} is not set in Pulumi.${p.stack}.yaml (or is encrypted there); the plan used a placeholder. \`pulumi up\` needs the real value.`,
        );
    for (const w of p.warnings) out.push(`warning: ${w}`);
    for (const note of p.notes) out.push(`note: ${note}`);
    out.push("", `Resources (${p.resources.length}):`);
    const typeWidth = Math.max(...p.resources.map((r) => r.type.length));
    const nameWidth = Math.max(...p.resources.map((r) => r.name.length));
    for (const r of p.resources) out.push(`  ${pad(r.type, typeWidth)}  ${pad(r.name, nameWidth)}  ${r.details}`);

    out.push(
        "",
        p.alarms.configured
            ? `Alarms (${p.alarms.list.length}, ${p.alarms.monthlyUsd.toFixed(2)} USD a month with the balance metric):`
            : `Alarms: none a person would hear (a NAT instance has its host-recovery alarm regardless). With \`pulumi config set alarmEmail you@example.com --stack ${p.stack}\` ` +
                  `(or alarmTopicArn) the stack would get these ${p.alarms.list.length}, ${p.alarms.monthlyUsd.toFixed(2)} USD a month with the balance metric:`,
    );
    for (const a of p.alarms.list) out.push(`  ${a.name} (${a.metric}): ${a.description}`);

    out.push(
        "",
        `Outputs: natStrategy ${p.outputs.natStrategy}; estimatedMonthlyCostUsd ${p.outputs.estimatedMonthlyCostUsd ?? "(not estimated)"}; egressIps: ${p.outputs.egressAddresses} address(es) to register with Aligo after deploy.`,
    );
    out.push(
        "",
        `Monthly cost in ${p.region} (730 h, on-demand USD, NAT data ${p.gb} GB/month; data transfer out to the internet is the same for every strategy and not shown):`,
    );
    const first = p.costs.gateway;
    if (first.unknownRegion) {
        out.push(`  ${first.unknownRegion}`);
        return `${out.join("\n")}\n`;
    }
    const rank = (item: string) =>
        ["NAT gateway", "NAT instance", "public IPv4", "warmer", "CloudWatch", "custom metric"].findIndex((prefix) =>
            item.startsWith(prefix),
        );
    const items = [...new Set(NAT_STRATEGIES.flatMap((s) => p.costs[s].lines.map((l) => l.item)))].sort(
        (a, b) => rank(a) - rank(b),
    );
    const width = Math.max(...items.map((i) => i.length), 10);
    out.push(`  ${pad("", width)}  ${NAT_STRATEGIES.map((s) => padLeft(s === p.nat ? `${s}*` : s, 10)).join("")}`);
    for (const item of items) {
        const cells = NAT_STRATEGIES.map((s) => {
            const line = p.costs[s].lines.find((l) => l.item === item);
            return padLeft(line ? (line.usd === undefined ? "unknown" : line.usd.toFixed(2)) : "-", 10);
        });
        out.push(`  ${pad(item, width)}  ${cells.join("")}`);
    }
    out.push(
        `  ${pad("total", width)}  ${NAT_STRATEGIES.map((s) => padLeft(`${p.costs[s].totalUsd.toFixed(2)}${p.costs[s].complete ? "" : "+?"}`, 10)).join("")}`,
    );
    out.push(`  (* = this stack's nat)`);
    out.push("", "How the lines are computed:");
    const sources: string[] = [];
    const ref = (source: string) => {
        if (!sources.includes(source)) sources.push(source);
        return sources.indexOf(source) + 1;
    };
    for (const s of NAT_STRATEGIES)
        for (const l of p.costs[s].lines)
            out.push(`  ${s}: ${l.item}: ${l.quantity}${l.source ? ` [${ref(l.source)}]` : ""}`);
    out.push("", "Sources (date read in brackets):");
    sources.forEach((source, i) => out.push(`  [${i + 1}] ${source}`));
    out.push("", `Prices known for: ${Object.keys(PRICES).join(", ")} (program/cost/prices.ts).`);
    return `${out.join("\n")}\n`;
}
