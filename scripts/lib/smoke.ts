// The deployed-stack check: does the SMS function leave from one of the stack's addresses, and
// does Aligo accept it? On failure, a diagnosis in plain words from the evidence.
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { explainAwsFailure, type OpsContext } from "./diagnose";
import { isIpRefusalResult } from "./explain";
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

const ALIGO_CONSOLE = "the Aligo console (smartsms.aligo.in): 연동형 API → 발송 IP";

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
    (inv.kind === "result" && !inv.result?.ok && ["TIMEOUT", "CONNECTION_ERROR"].includes(inv.result?.error?.code));

export async function runSmoke(outputs: StackOutputs, client: LambdaClient, ctx: OpsContext): Promise<SmokeReport> {
    const checks: Check[] = [];
    const diagnosis: string[] = [];
    const done = (): SmokeReport => ({ ok: diagnosis.length === 0 && checks.every((c) => c.ok), checks, diagnosis });
    const fn = outputs.smsFunctionName;
    const egressIps = outputs.egressIps ?? [];

    if (!fn) {
        diagnosis.push(
            `The stack has no smsFunctionName output: it is not deployed yet, or was deployed by an older version. Run \`pulumi up --stack ${ctx.stack}\`.`,
        );
        return done();
    }
    if (outputs.natStrategy === "none") {
        checks.push({ name: "NAT", ok: false, detail: "nat is none" });
        diagnosis.push(
            `NAT is switched off (nat=none): the functions have no route to the internet, so every call out times out. ` +
                `Run \`pulumi config set nat instance --stack ${ctx.stack} && pulumi up --stack ${ctx.stack}\` (or nat gateway); the addresses registered with Aligo stay the same.`,
        );
        return done();
    }

    // 1. Where does the function leave from?
    const egress = await invoke(client, fn, { action: "egress-ip" });
    const ip: string | undefined = egress.kind === "result" && egress.result?.ok ? egress.result.ip : undefined;
    if (ip) {
        const registered = egressIps.includes(ip);
        checks.push({
            name: "egress IP",
            ok: registered,
            detail: registered
                ? `${ip} (one of egressIps: ${egressIps.join(", ")})`
                : `${ip}, not one of egressIps: ${egressIps.join(", ")}`,
        });
        if (!registered) {
            diagnosis.push(
                `The function leaves from ${ip}, which is not one of the stack's egressIps (${egressIps.join(", ")}): its traffic is not going through the stack's NAT. ${await subnetEvidence(client, fn, outputs, ctx.stack)}`,
            );
        }
    } else {
        checks.push({ name: "egress IP", ok: false, detail: describe(egress) });
        if (egress.kind === "invoke-error") {
            diagnosis.push(explainAwsFailure(egress, fn, outputs.smsFunctionArn, ctx));
            return done();
        }
        if (timedOut(egress)) {
            const nat =
                outputs.natStrategy === "instance"
                    ? "the NAT instance is stopped or failing its status checks, or its security group does not admit the private subnets (it must allow them; never 0.0.0.0/0)"
                    : "the NAT gateway is not available";
            diagnosis.push(
                `Timeout: the function could not reach the internet. From most to least likely: ${await subnetEvidence(client, fn, outputs, ctx.stack)} ` +
                    `Or ${nat}. Or a private route table lost its 0.0.0.0/0 route to the NAT (\`pulumi up --stack ${ctx.stack}\` restores it; the project refreshes before every operation). ` +
                    `\`npm run -s plan -- --stack ${ctx.stack}\` and \`pulumi preview --stack ${ctx.stack} --policy-pack policy\` check all of these before deploying.`,
            );
        } else {
            diagnosis.push(`The egress check failed: ${describe(egress)}`);
        }
    }

    // 2. Does Aligo accept it?
    const remain = await invoke(client, fn, { action: "remain" });
    if (remain.kind === "result" && remain.result?.ok) {
        const r = remain.result;
        checks.push({ name: "Aligo remain", ok: true, detail: `SMS ${r.SMS_CNT}, LMS ${r.LMS_CNT}, MMS ${r.MMS_CNT}` });
        return done();
    }
    checks.push({ name: "Aligo remain", ok: false, detail: describe(remain) });
    const error = remain.kind === "result" ? remain.result?.error : undefined;
    if (remain.kind === "invoke-error") {
        if (!diagnosis.length) diagnosis.push(explainAwsFailure(remain, fn, outputs.smsFunctionArn, ctx));
    } else if (error && isIpRefusalResult(error)) {
        const seen = error.egressIp ?? ip;
        diagnosis.push(
            `Aligo refuses calls from ${seen ?? "the stack's address"} (-101 ${error.message}). Register ${egressIps.length ? `every address in egressIps: ${egressIps.join(", ")}` : "the stack's egressIps"} in ${ALIGO_CONSOLE}. Registration can take a few minutes.`,
        );
    } else if (error && Number(error.code) === -101) {
        diagnosis.push(
            `Aligo refused the API key or user id (-101 ${error.message}). Check \`pulumi config get aligoUserId --stack ${ctx.stack}\`, ` +
                `set the key again with \`pulumi config set --secret aligoApiKey --stack ${ctx.stack}\` (it asks for the value), then \`pulumi up --stack ${ctx.stack}\`.`,
        );
    } else if (timedOut(remain)) {
        if (ip)
            diagnosis.push(
                `The function reaches the internet (${ip}) but apis.aligo.in did not answer in time (${describe(remain)}). Try again; if it persists, check Aligo's service status.`,
            );
    } else {
        diagnosis.push(`Aligo's balance check failed: ${describe(remain)}`);
    }
    return done();
}

/** Evidence about the function's subnets, in words. */
async function subnetEvidence(client: LambdaClient, fn: string, outputs: StackOutputs, stack: string): Promise<string> {
    const subnets = await functionSubnets(client, fn);
    const privateIds = outputs.privateSubnetIds ?? [];
    if (subnets === undefined)
        return "the function may be outside the private subnets (its configuration could not be read to check).";
    if (subnets.length === 0) return `${fn} is not in a VPC at all, so it has no fixed address.`;
    const outside = subnets.filter((s) => !privateIds.includes(s));
    if (outside.length > 0) {
        const pub = outside.filter((s) => (outputs.publicSubnetIds ?? []).includes(s));
        return `${fn} is attached to ${outside.join(", ")}${pub.length ? " (public subnets: a Lambda gets no public IP there)" : ""}, not to the stack's private subnets (${privateIds.join(", ")}); \`pulumi up --stack ${stack}\` puts it back.`;
    }
    return `${fn} is in the stack's private subnets, as it should be.`;
}

export function renderSmoke(r: SmokeReport): string {
    const lines = r.checks.map((c) => `${c.ok ? "ok  " : "FAIL"}  ${c.name}: ${c.detail}`);
    if (r.diagnosis.length) lines.push("", "Diagnosis:", ...r.diagnosis.map((d) => `  - ${d}`));
    lines.push(
        "",
        r.ok
            ? "All well: the function leaves from a registered address and Aligo accepts it."
            : "Not well: see the diagnosis above.",
    );
    return `${lines.join("\n")}\n`;
}
