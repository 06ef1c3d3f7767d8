// The deployed-stack check: does the SMS function leave from one of the stack's addresses, and
// does Aligo accept it? On failure, a diagnosis in plain words from the evidence.
import type { LambdaClient } from "@aws-sdk/client-lambda";
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

/** Diagnoses a failed invoke that Lambda itself refused. */
function invokeErrorDiagnosis(inv: Extract<Invocation, { kind: "invoke-error" }>, fn: string): string {
    if (/EC2AccessDenied|CreateNetworkInterface|ENI/i.test(`${inv.name} ${inv.message}`)) {
        return `Missing VPC permissions: Lambda could not set up ${fn}'s network interfaces (${inv.name}). The function's role needs AWSLambdaVPCAccessExecutionRole (the stack attaches it; if it was removed by hand, \`pulumi up\` puts it back).`;
    }
    if (inv.name === "ResourceNotFoundException") return `Function ${fn} does not exist in this account and region: the stack is not deployed, was destroyed, or your AWS credentials point at another account.`;
    if (inv.name === "AccessDeniedException") return `Your AWS credentials may not invoke ${fn} (${inv.message}).`;
    if (/SubnetIPAddressLimitReached|ENILimitReached/.test(inv.name)) return `Lambda has no room for network interfaces in the private subnets (${inv.name}): use larger subnets or raise the ENI quota.`;
    return `Lambda refused the invocation: ${inv.name}: ${inv.message}`;
}

export async function runSmoke(outputs: StackOutputs, client: LambdaClient): Promise<SmokeReport> {
    const checks: Check[] = [];
    const diagnosis: string[] = [];
    const done = (): SmokeReport => ({ ok: diagnosis.length === 0 && checks.every((c) => c.ok), checks, diagnosis });
    const fn = outputs.smsFunctionName;
    const egressIps = outputs.egressIps ?? [];

    if (!fn) {
        diagnosis.push("The stack has no smsFunctionName output: it is not deployed yet, or was deployed by an older version. Run `pulumi up`.");
        return done();
    }
    if (outputs.natStrategy === "none") {
        checks.push({ name: "NAT", ok: false, detail: "nat is none" });
        diagnosis.push("NAT is switched off (nat=none): the functions have no route to the internet, so every call out times out. `pulumi config set nat instance` (or gateway) and `pulumi up`; the addresses registered with Aligo stay the same.");
        return done();
    }

    // 1. Where does the function leave from?
    const egress = await invoke(client, fn, { action: "egress-ip" });
    const ip: string | undefined = egress.kind === "result" && egress.result?.ok ? egress.result.ip : undefined;
    if (ip) {
        const registered = egressIps.includes(ip);
        checks.push({ name: "egress IP", ok: registered, detail: registered ? `${ip} (one of egressIps: ${egressIps.join(", ")})` : `${ip}, not one of egressIps: ${egressIps.join(", ")}` });
        if (!registered) {
            diagnosis.push(`The function leaves from ${ip}, which is not one of the stack's egressIps (${egressIps.join(", ")}): its traffic is not going through the stack's NAT. ${await subnetEvidence(client, fn, outputs)}`);
        }
    } else {
        checks.push({ name: "egress IP", ok: false, detail: describe(egress) });
        if (egress.kind === "invoke-error") {
            diagnosis.push(invokeErrorDiagnosis(egress, fn));
            return done();
        }
        if (timedOut(egress)) {
            const nat = outputs.natStrategy === "instance"
                ? "the NAT instance is stopped or failing its status checks, or its security group does not admit the private subnets (it must allow them; never 0.0.0.0/0)"
                : "the NAT gateway is not available";
            diagnosis.push(
                `Timeout: the function could not reach the internet. From most to least likely: ${await subnetEvidence(client, fn, outputs)} ` +
                    `Or ${nat}. Or a private route table lost its 0.0.0.0/0 route to the NAT (\`pulumi refresh\` then \`pulumi up\` restores it). ` +
                    "`npm run plan` and `pulumi preview --policy-pack policy` check all of these before deploying.",
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
        if (!diagnosis.length) diagnosis.push(invokeErrorDiagnosis(remain, fn));
    } else if (error && Number(error.code) === -101 && /IP/i.test(String(error.message))) {
        const seen = error.egressIp ?? ip;
        diagnosis.push(`Aligo refuses calls from ${seen ?? "the stack's address"} (-101 ${error.message}). Register ${egressIps.length ? `every address in egressIps: ${egressIps.join(", ")}` : "the stack's egressIps"} in ${ALIGO_CONSOLE}. Registration can take a few minutes.`);
    } else if (error && Number(error.code) === -101) {
        diagnosis.push(`Aligo refused the API key or user id (-101 ${error.message}). Check \`pulumi config get aligoUserId\`, set the key again with \`pulumi config set --secret aligoApiKey <key>\`, then \`pulumi up\`.`);
    } else if (timedOut(remain)) {
        if (ip) diagnosis.push(`The function reaches the internet (${ip}) but apis.aligo.in did not answer in time (${describe(remain)}). Try again; if it persists, check Aligo's service status.`);
    } else {
        diagnosis.push(`Aligo's balance check failed: ${describe(remain)}`);
    }
    return done();
}

/** Evidence about the function's subnets, in words. */
async function subnetEvidence(client: LambdaClient, fn: string, outputs: StackOutputs): Promise<string> {
    const subnets = await functionSubnets(client, fn);
    const privateIds = outputs.privateSubnetIds ?? [];
    if (subnets === undefined) return "the function may be outside the private subnets (its configuration could not be read to check).";
    if (subnets.length === 0) return `${fn} is not in a VPC at all, so it has no fixed address.`;
    const outside = subnets.filter((s) => !privateIds.includes(s));
    if (outside.length > 0) {
        const pub = outside.filter((s) => (outputs.publicSubnetIds ?? []).includes(s));
        return `${fn} is attached to ${outside.join(", ")}${pub.length ? " (public subnets: a Lambda gets no public IP there)" : ""}, not to the stack's private subnets (${privateIds.join(", ")}); \`pulumi up\` puts it back.`;
    }
    return `${fn} is in the stack's private subnets, as it should be.`;
}

export function renderSmoke(r: SmokeReport): string {
    const lines = r.checks.map((c) => `${c.ok ? "ok  " : "FAIL"}  ${c.name}: ${c.detail}`);
    if (r.diagnosis.length) lines.push("", "Diagnosis:", ...r.diagnosis.map((d) => `  - ${d}`));
    lines.push("", r.ok ? "All well: the function leaves from a registered address and Aligo accepts it." : "Not well: see the diagnosis above.");
    return `${lines.join("\n")}\n`;
}
