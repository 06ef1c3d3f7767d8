// The plan as text: what would be created, the alarms, the outputs, and the cost of each NAT
// strategy side by side with where each figure comes from.
import { NAT_STRATEGIES } from "../../program/config/config";
import { PRICES } from "../../program/cost/prices";
import type { PlanReport } from "./plan";
import { REPORT_TEXT } from "./plan-messages";

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const padLeft = (s: string, n: number) => (s.length >= n ? s : " ".repeat(n - s.length) + s);

export function renderText(p: PlanReport): string {
    const out = [REPORT_TEXT.title(p.stack, p.region, p.nat)];
    for (const key of p.placeholders) out.push(REPORT_TEXT.placeholder(key, p.stack));
    for (const w of p.warnings) out.push(`warning: ${w}`);
    for (const note of p.notes) out.push(`note: ${note}`);
    out.push("", `Resources (${p.resources.length}):`);
    const typeWidth = Math.max(...p.resources.map((r) => r.type.length));
    const nameWidth = Math.max(...p.resources.map((r) => r.name.length));
    for (const r of p.resources) out.push(`  ${pad(r.type, typeWidth)}  ${pad(r.name, nameWidth)}  ${r.details}`);

    const usd = usdText(p.alarms.monthlyUsd);
    out.push(
        "",
        p.alarms.configured
            ? REPORT_TEXT.alarms(p.alarms.list.length, usd)
            : REPORT_TEXT.noAlarms(p.stack, p.alarms.list.length, usd),
    );
    for (const a of p.alarms.list) out.push(`  ${a.name} (${a.metric}): ${a.description}`);
    const o = p.outputs;
    out.push("", REPORT_TEXT.outputs(o.natStrategy, o.estimatedMonthlyCostUsd, o.egressIps));
    // Every cost, known or not: an unknown one reads "unknown" (why is among the warnings above, once).
    out.push("", REPORT_TEXT.costHeading(p.region, p.gb), ...costTable(p), ...costSources(p));
    return `${out.join("\n")}\n`;
}

/** A figure in USD to the cent, or "unknown". */
const usdText = (usd: number | null): string => (usd === null ? "unknown" : usd.toFixed(2));

/** The three strategies side by side, item by item, the stack's own starred. */
function costTable(p: PlanReport): string[] {
    const rank = (item: string) =>
        ["NAT gateway", "NAT instance", "public IPv4", "warmer", "CloudWatch", "custom metric"].findIndex((prefix) =>
            item.startsWith(prefix),
        );
    const items = [...new Set(NAT_STRATEGIES.flatMap((s) => p.costs[s].lines.map((l) => l.item)))].sort(
        (a, b) => rank(a) - rank(b),
    );
    const width = Math.max(...items.map((i) => i.length), 10);
    const out = [`  ${pad("", width)}  ${NAT_STRATEGIES.map((s) => padLeft(s === p.nat ? `${s}*` : s, 10)).join("")}`];
    for (const item of items) {
        const cells = NAT_STRATEGIES.map((s) => {
            const line = p.costs[s].lines.find((l) => l.item === item);
            return padLeft(line ? usdText(line.usd) : "-", 10);
        });
        out.push(`  ${pad(item, width)}  ${cells.join("")}`);
    }
    const totals = NAT_STRATEGIES.map((s) => padLeft(usdText(p.costs[s].totalUsd), 10));
    out.push(`  ${pad("total", width)}  ${totals.join("")}`, `  (* = this stack's nat)`);
    return out;
}

/** How each line is computed, with its sources numbered once each. */
function costSources(p: PlanReport): string[] {
    const out = ["", "How the lines are computed:"];
    const sources: string[] = [];
    const ref = (source: string) => {
        if (!sources.includes(source)) sources.push(source);
        return sources.indexOf(source) + 1;
    };
    for (const s of NAT_STRATEGIES)
        for (const l of p.costs[s].lines) {
            const refs = l.sources.map((source) => ` [${ref(source)}]`).join("");
            out.push(`  ${s}: ${l.item}: ${l.quantity}${l.usd === null ? " (price unknown)" : refs}`);
        }
    if (sources.length > 0) out.push("", "Sources (date read in brackets):");
    sources.forEach((source, i) => out.push(`  [${i + 1}] ${source}`));
    out.push("", `Prices known for: ${Object.keys(PRICES).join(", ")} (program/cost/prices.ts).`);
    return out;
}
