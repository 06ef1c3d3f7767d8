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
import { ALARMS_ITEM, BALANCE_METRIC_ITEM, estimateMonthlyCost, type CostEstimate } from "../../program/cost/estimate";
import {
    IMAGE_FAMILIES,
    NAT_IMAGE_FAMILIES,
    instanceArchitecture,
    egressPlan,
    sharesOneAddress,
} from "../../components/index";
import { AT_DEPLOY, OfflineAccount, type World } from "../../offline/account";
import { runMockProgram, type MockRun } from "../../offline/engine";
import { loadStackConfig, readProject } from "../../program/stack-config";
import { mermaid } from "./plan-diagram";
import { NOTES } from "./plan-messages";
import { describeResources, type PlannedResource } from "./plan-resources";

export { mermaid } from "./plan-diagram";
export { renderText } from "./plan-text";
export type { PlannedResource } from "./plan-resources";

export interface PlanOptions {
    stack: string;
    /** Plan as if `nat` were this. Default: the stack's own. */
    nat?: NatStrategy;
    /** GB a month through the NAT, for the NAT gateway's data charge. Default 0. */
    gb?: number;
    /** Repository root (tests use the real one). */
    root?: string;
}

export interface PlanReport {
    stack: string;
    region: string;
    nat: NatStrategy;
    gb: number;
    /** Settings the stack file lacks, replaced by placeholders so the plan can run. */
    placeholders: string[];
    /** Every warning once: the configuration's, the program's, and why a price is unknown. */
    warnings: string[];
    /** Things about this configuration a deployer should know before switching or paying. */
    notes: string[];
    resources: PlannedResource[];
    /** Only outputs that mean something before deployment (ids and addresses do not exist yet). */
    outputs: PlannedOutputs;
    costs: Record<NatStrategy, PlannedCost>;
    /** The alarms: the stack's own, or, when no one would hear them, those it would get with alarmEmail set. */
    alarms: AlarmPlan;
    mermaid: string;
}

export interface PlannedOutputs {
    natStrategy: string;
    /** Null when a price is unknown (the stack then does not export it). */
    estimatedMonthlyCostUsd: number | null;
    /** How many addresses to register with Aligo after deploy. */
    egressAddresses: number;
    /** The addresses, in order: placeholders naming their Elastic IPs (AWS assigns them at deploy). */
    egressIps: string[];
}

/** A cost line as the plan reports it: null, not a number, where the price is unknown. */
export interface PlannedCostLine {
    item: string;
    quantity: string;
    usd: number | null;
    /** Where each of the line's prices was read, with the date; none when unknown. */
    sources: string[];
}

/** One strategy's monthly cost: `totalUsd` is null when any line's price is unknown. */
export interface PlannedCost {
    region: string;
    strategy: NatStrategy;
    lines: PlannedCostLine[];
    totalUsd: number | null;
    complete: boolean;
    /** Why prices are missing (also among the report's warnings). */
    unknown: string[];
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
    /** Their monthly cost under the stack's strategy (the alarms and the balance metric); null when unknown. */
    monthlyUsd: number | null;
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
        eips: allocationIds.map((id) => ({ allocationId: id, publicIp: AT_DEPLOY.address(id) })),
        enis: {},
    };
}

/** The stack's configuration as the program gets it, placeholders standing in for what a user sets. */
function stackConfig(opts: PlanOptions, project: string) {
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
    const secretsKeys = [...new Set([...secretKeys, `${project}:aligoApiKey`])];
    return { config, placeholders, secretKeys: secretsKeys };
}

/** The config keys as the program's parser reads them: this project's without prefix, and aws:region. */
function rawConfig(config: Record<string, string>, project: string): RawConfig {
    const raw: RawConfig = {};
    for (const [k, v] of Object.entries(config)) raw[k.startsWith(`${project}:`) ? k.slice(project.length + 1) : k] = v;
    for (const k of Object.keys(raw)) if (k.includes(":") && k !== "aws:region") delete raw[k];
    return raw;
}

export async function planStack(opts: PlanOptions): Promise<PlanReport> {
    const project = readProject(opts.root).name;
    const { config, placeholders, secretKeys } = stackConfig(opts, project);
    // Validate first, exactly as the program will, so a bad stack file fails here with the same words.
    const raw = rawConfig(config, project);
    const parsed = parseConfig(raw);
    const cfg = parsed.config;
    const world = offlineWorld(cfg.region, raw.natImage, cfg.natInstanceType, cfg.egressIpAllocationIds ?? []);
    const runWith = (values: Record<string, string>) =>
        runMockProgram({
            project,
            stack: opts.stack,
            config: values,
            secretKeys,
            // Placeholders for what AWS assigns at deploy; the program's warnings kept, printed once below.
            mocks: new OfflineAccount(world, { placeholders: true }),
            preview: true,
            quiet: true,
        });
    const run = await runWith(config);
    if (run.error) throw run.error;
    const gb = opts.gb ?? 0;
    const estimates = NAT_STRATEGIES.map((s) => estimateMonthlyCost(cfg, s, gb));
    // Alarms: this stack's own; when it has none (no one to hear them), the program is run once more
    // with an address set, to show what alarmEmail would bring and cost.
    const alarms = alarmsWanted(cfg)
        ? alarmPlan(run, cfg, true)
        : alarmPlan(await runWith({ ...config, [`${project}:alarmEmail`]: EXAMPLE_EMAIL }), cfg, false);
    const outputs = run.outputs as { natStrategy: string; estimatedMonthlyCostUsd?: number; egressIps?: string[] };
    return {
        stack: opts.stack,
        region: cfg.region,
        nat: cfg.nat,
        gb,
        placeholders,
        warnings: warningsOnce(
            [...parsed.warnings, ...run.warnings],
            estimates.flatMap((e) => e.unknown),
        ),
        notes: notesFor(cfg),
        resources: describeResources(run),
        outputs: {
            natStrategy: outputs.natStrategy,
            estimatedMonthlyCostUsd: outputs.estimatedMonthlyCostUsd ?? null,
            egressAddresses: (outputs.egressIps ?? []).length,
            egressIps: outputs.egressIps ?? [],
        },
        costs: Object.fromEntries(estimates.map((e) => [e.strategy, plannedCost(e)])) as Record<
            NatStrategy,
            PlannedCost
        >,
        alarms,
        mermaid: mermaid(run, cfg.nat),
    };
}

/**
 * Each warning once, in order: the configuration's and the program's (which repeat each other), then
 * each reason a price is unknown that no warning says already (the program says some of them).
 */
export function warningsOnce(warnings: string[], unknownPrices: string[]): string[] {
    const out = [...new Set(warnings)];
    for (const reason of new Set(unknownPrices)) if (!out.some((w) => w.includes(reason))) out.push(reason);
    return out;
}

/** An estimate as the plan reports it: unknown is null (JSON), never 0. */
function plannedCost(e: CostEstimate): PlannedCost {
    return {
        region: e.region,
        strategy: e.strategy,
        lines: e.lines.map((l) => ({ item: l.item, quantity: l.quantity, usd: l.usd ?? null, sources: l.sources })),
        totalUsd: e.totalUsd ?? null,
        complete: e.complete,
        unknown: e.unknown,
    };
}

/** The address the plan sets to show the alarms a stack without alarmEmail would get. */
const EXAMPLE_EMAIL = "you@example.com";

/** The alarms a run registered, and their monthly cost under the stack's strategy. */
function alarmPlan(alarmRun: MockRun, cfg: AppConfig, configured: boolean): AlarmPlan {
    if (alarmRun.error) throw alarmRun.error;
    const alarmCfg = configured ? cfg : { ...cfg, alarmEmail: EXAMPLE_EMAIL };
    const priced = estimateMonthlyCost(alarmCfg, cfg.nat).lines.filter(
        (l) => l.item === ALARMS_ITEM || l.item === BALANCE_METRIC_ITEM,
    );
    const unknown = priced.some((l) => l.usd === undefined);
    return {
        configured,
        list: alarmRun.resources
            .filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
            .map((r) => {
                const i = r.inputs as { namespace: string; metricName: string; alarmDescription?: string };
                return {
                    name: r.name,
                    metric: `${i.namespace} ${i.metricName}`,
                    description: String(i.alarmDescription ?? ""),
                };
            })
            .sort((a, b) => a.name.localeCompare(b.name)),
        monthlyUsd: unknown ? null : Math.round(priced.reduce((sum, l) => sum + (l.usd ?? 0), 0) * 100) / 100,
    };
}

/** What a deployer should know about this configuration, in the plan's words. */
export function notesFor(cfg: AppConfig): string[] {
    const notes: string[] = [];
    if (sharesOneAddress(egressPlan(cfg.egressIpAllocationIds, cfg.egressIpStandby)))
        notes.push(NOTES.oneAddress(!!cfg.egressIpAllocationIds));
    if (cfg.nat === "instance") notes.push(NOTES.instanceImage);
    if (cfg.warmerEnabled && !warmerActive(cfg)) notes.push(NOTES.warmerPaused);
    if (cfg.natPerAz && cfg.nat !== "none") notes.push(NOTES.perAzPending(cfg.azCount));
    return notes;
}
