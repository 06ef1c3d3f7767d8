// The deployed-stack check: does the SMS function leave from one of the stack's addresses, and
// does Aligo accept it? On failure, a diagnosis in plain words from the evidence.
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { explainAwsFailure, type OpsContext } from "./diagnose";
import { SMOKE } from "./diagnosis-messages";
import { isIpRefusalResult } from "./explain";
import { balanceText } from "./messages";
import { functionSubnets, invoke, type Invocation, type StackOutputs } from "./ops";

export interface Check {
    name: string;
    ok: boolean;
    detail: string;
}

export interface SmokeReport {
    ok: boolean;
    checks: Check[];
    /** Plain-words causes and fixes, most likely first. */
    diagnosis: string[];
}

function describe(inv: Invocation): string {
    switch (inv.kind) {
        case "result":
            return inv.result?.ok ? "ok" : `${inv.result?.error?.code}: ${inv.result?.error?.message}`;
        case "function-error":
            return `${inv.errorType}: ${inv.errorMessage}`;
        case "invoke-error":
            return `${inv.name}: ${inv.message}`;
    }
}

const timedOut = (inv: Invocation) =>
    (inv.kind === "function-error" && /Timedout|Task timed out/i.test(`${inv.errorType} ${inv.errorMessage}`)) ||
    (inv.kind === "result" &&
        !inv.result?.ok &&
        (inv.result?.error?.code === "TIMEOUT" || inv.result?.error?.code === "CONNECTION_ERROR"));

/** What one smoke run is about: the function, the stack's outputs, and where the findings go. */
interface Run {
    client: LambdaClient;
    fn: string;
    outputs: StackOutputs;
    egressIps: string[];
    ctx: OpsContext;
    checks: Check[];
    diagnosis: string[];
}

export async function runSmoke(outputs: StackOutputs, client: LambdaClient, ctx: OpsContext): Promise<SmokeReport> {
    const checks: Check[] = [];
    const diagnosis: string[] = [];
    const done = (): SmokeReport => ({ ok: diagnosis.length === 0 && checks.every((c) => c.ok), checks, diagnosis });
    const fn = outputs.smsFunctionName;
    if (!fn) {
        diagnosis.push(SMOKE.notDeployed(ctx.stack));
        return done();
    }
    if (outputs.natStrategy === "none") {
        checks.push({ name: "NAT", ok: false, detail: "nat is none" });
        diagnosis.push(SMOKE.natOff(ctx.stack));
        return done();
    }
    const run: Run = { client, fn, outputs, egressIps: outputs.egressIps ?? [], ctx, checks, diagnosis };
    const egress = await checkEgress(run);
    if (egress.stop) return done();
    await checkAligo(run, egress.ip);
    return done();
}

/** 1. Where does the function leave from? `stop` when Lambda itself could not be asked. */
async function checkEgress(run: Run): Promise<{ ip?: string; stop: boolean }> {
    const { client, fn, outputs, egressIps, ctx } = run;
    const egress = await invoke(client, fn, { action: "egress-ip" });
    const ip = egress.kind === "result" && egress.result?.ok ? egress.result.ip : undefined;
    if (ip) {
        const registered = egressIps.includes(ip);
        const listed = egressIps.join(", ");
        run.checks.push({
            name: "egress IP",
            ok: registered,
            detail: registered ? `${ip} (one of egressIps: ${listed})` : `${ip}, not one of egressIps: ${listed}`,
        });
        if (!registered)
            run.diagnosis.push(
                SMOKE.notRegistered(ip, egressIps, await subnetEvidence(client, fn, outputs, ctx.stack)),
            );
        return { ip, stop: false };
    }
    run.checks.push({ name: "egress IP", ok: false, detail: describe(egress) });
    if (egress.kind === "invoke-error") {
        run.diagnosis.push(explainAwsFailure(egress, fn, outputs.smsFunctionArn, ctx));
        return { stop: true };
    }
    if (timedOut(egress)) {
        const nat = outputs.natStrategy === "instance" ? SMOKE.natInstanceDown : SMOKE.natGatewayDown;
        const evidence = await subnetEvidence(client, fn, outputs, ctx.stack);
        run.diagnosis.push(SMOKE.timeout(evidence, nat, ctx.stack));
    } else {
        run.diagnosis.push(SMOKE.egressFailed(describe(egress)));
    }
    return { stop: false };
}

/** 2. Does Aligo accept it? */
async function checkAligo(run: Run, ip: string | undefined): Promise<void> {
    const { client, fn, outputs, egressIps, ctx } = run;
    const remain = await invoke(client, fn, { action: "remain" });
    if (remain.kind === "result" && remain.result?.ok) {
        run.checks.push({ name: "Aligo remain", ok: true, detail: balanceText(remain.result) });
        return;
    }
    run.checks.push({ name: "Aligo remain", ok: false, detail: describe(remain) });
    const error = remain.kind === "result" ? remain.result?.error : undefined;
    if (remain.kind === "invoke-error") {
        if (!run.diagnosis.length) run.diagnosis.push(explainAwsFailure(remain, fn, outputs.smsFunctionArn, ctx));
    } else if (error && isIpRefusalResult(error)) {
        run.diagnosis.push(SMOKE.ipRefused(error.egressIp ?? ip, error.message, egressIps, SMOKE.console));
    } else if (error && Number(error.code) === -101) {
        run.diagnosis.push(SMOKE.keyRefused(error.message, ctx.stack));
    } else if (timedOut(remain)) {
        if (ip) run.diagnosis.push(SMOKE.aligoSlow(ip, describe(remain)));
    } else {
        run.diagnosis.push(SMOKE.balanceFailed(describe(remain)));
    }
}

/** Evidence about the function's subnets, in words. */
async function subnetEvidence(client: LambdaClient, fn: string, outputs: StackOutputs, stack: string): Promise<string> {
    const subnets = await functionSubnets(client, fn);
    const privateIds = outputs.privateSubnetIds ?? [];
    if (subnets === undefined) return SMOKE.subnetsUnknown;
    if (subnets.length === 0) return SMOKE.noVpc(fn);
    const outside = subnets.filter((s) => !privateIds.includes(s));
    if (outside.length > 0) {
        const publicToo = outside.some((s) => (outputs.publicSubnetIds ?? []).includes(s));
        return SMOKE.outside(fn, outside, publicToo, privateIds, stack);
    }
    return SMOKE.inside(fn);
}

export function renderSmoke(r: SmokeReport): string {
    const lines = r.checks.map((c) => `${c.ok ? "ok  " : "FAIL"}  ${c.name}: ${c.detail}`);
    if (r.diagnosis.length) lines.push("", "Diagnosis:", ...r.diagnosis.map((d) => `  - ${d}`));
    lines.push("", r.ok ? SMOKE.allWell : SMOKE.notWell);
    return `${lines.join("\n")}\n`;
}
