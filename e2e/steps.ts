// The real-engine run's steps, each checked against the emulator's own answers (e2e/README.md).
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { addresses, leftovers, type Emulator } from "./lib/aws";
import {
    checkFunctions,
    checkGateways,
    checkInstances,
    checkLayout,
    expect,
    outputsOf,
    privateTargets,
    type Outputs,
} from "./lib/checks";
import { createStack, type Stack } from "./lib/stack";
import { pulumi, type Workspace } from "./lib/workspace";
import { E2E_DIR } from "./lib/paths";

/** What the main stack's steps share: the stack, and the addresses of its first deployment. */
export interface MainRun {
    stack?: Stack;
    firstEgressIps: string[];
}

/** Step 1: a fresh nat-instance stack previews, with the policy pack: no mandatory violation. */
export async function previewWithPolicies(ws: Workspace, e: Emulator, run: MainRun): Promise<string> {
    run.stack = await createStack(ws, "e2e", { nat: "instance" });
    const out = await run.stack.run(["preview", "--policy-pack", join(ws.project, "policy")]);
    const text = out.stdout + out.stderr;
    expect(!/mandatory/i.test(text) || /0 mandatory/i.test(text), `a mandatory policy fired:\n${text.slice(-2000)}`);
    const advisories = [...new Set([...text.matchAll(/\[advisory\]\s+([\w-]+)/g)].map((m) => m[1]))];
    void e;
    return `preview passed with the policy pack (advisories: ${advisories.join(", ") || "none"})`;
}

/** Step 2: pulumi up: the layout, the NAT instance, its address, the functions, the outputs. */
export async function upInstance(e: Emulator, run: MainRun): Promise<string> {
    const stack = run.stack!;
    await stack.run(["up", "--yes", "--skip-preview"]);
    const o = outputsOf(await stack.outputs());
    expect(o.natStrategy === "instance", `natStrategy is ${o.natStrategy}`);
    expect(o.egressIps.length === 2, `egressIps has ${o.egressIps.length} addresses: ${o.egressIps.join(", ")}`);
    const held = (await addresses(e)).map((a) => a.PublicIp);
    for (const ip of o.egressIps) expect(held.includes(ip), `egressIps lists ${ip}, which the emulator does not hold`);
    run.firstEgressIps = o.egressIps;
    const layout = await checkLayout(e, o, 2);
    const nat = await checkInstances(e, o, 1);
    const fns = await checkFunctions(e, o, stack.name, "ENABLED");
    return `${layout}; ${nat}; ${fns}; outputs match`;
}

/**
 * Step 3: an unchanged stack has nothing to do. The project refreshes before every update
 * (Pulumi.yaml options.refresh: always), and the first refresh after a deployment reads outputs
 * that other resources of the stack set: the Elastic IP's association (EipAssociation), the roles'
 * policies (RolePolicy, RolePolicyAttachment), the private tables' routes (Route). The CLI counts
 * those as changes, marked "(refresh)"; they change no resource. So: the preview's every proposed
 * change must be such a refresh (anything else fails the step and is shown), then `pulumi refresh`,
 * then `pulumi up --expect-no-changes` must find nothing at all.
 */
export async function noChanges(run: MainRun): Promise<string> {
    const preview = await run.stack!.run(["preview", "--diff", "--expect-no-changes"], [0, 255, 7]);
    // Each resource line of the diff (`~ aws:…: (update)`), with the property lines under it.
    const proposed: { op: string; type: string; lines: string[] }[] = [];
    for (const line of preview.stdout.split("\n")) {
        const m = /^\s*([~+-]{1,2}) ([\w-]+:[\w:/.-]+): \(([\w-]+)\)/.exec(line);
        if (m) proposed.push({ op: m[3], type: m[2], lines: [] });
        else if (proposed.length > 0 && line.trim() !== "") proposed[proposed.length - 1].lines.push(line.trim());
    }
    const changed = proposed.filter((p) => p.type !== "pulumi:pulumi:Stack");
    const notRefresh = changed.filter((p) => p.op !== "refresh");
    expect(
        notRefresh.length === 0,
        `the unchanged stack's preview proposes changes: ${notRefresh
            .map((p) => `${p.type} (${p.op}): ${p.lines.slice(0, 12).join(" | ")}`)
            .join("; ")}`,
    );
    await run.stack!.run(["refresh", "--yes", "--skip-preview"]);
    await run.stack!.run(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
    const read = [...new Set(changed.map((p) => p.type.split(":").pop()))].join(", ");
    return `preview: no change but the first refresh's reads (${read || "none"}); after it, pulumi up --expect-no-changes`;
}

/** Step 4: nat gateway: routes to the gateway, its address one of step 2's, the instance gone. */
export async function switchToGateway(e: Emulator, run: MainRun): Promise<string> {
    const stack = run.stack!;
    await stack.set("nat", "gateway");
    await stack.run(["up", "--yes", "--skip-preview"]);
    const o = outputsOf(await stack.outputs());
    const ips = await checkGateways(e, o, 1);
    for (const ip of ips)
        expect(
            run.firstEgressIps.includes(ip),
            `the gateway's address ${ip} is new (step 2: ${run.firstEgressIps.join(", ")})`,
        );
    const left = (await leftovers(e, "")).filter((x) => x.startsWith("instance "));
    expect(left.length === 0, `still running: ${left.join(", ")}`);
    return `private routes → the NAT gateway on ${ips.join(", ")} (one of step 2's addresses), the instance terminated`;
}

/** Step 5: nat none: no default route in the private tables, the warmer paused, the addresses kept. */
export async function switchToNone(e: Emulator, run: MainRun): Promise<string> {
    const stack = run.stack!;
    await stack.set("nat", "none");
    await stack.run(["up", "--yes", "--skip-preview"]);
    const o = outputsOf(await stack.outputs());
    const targets = await privateTargets(e, o);
    expect(
        targets.every((t) => t === undefined),
        `private default routes remain: ${targets.join(", ")}`,
    );
    const held = (await addresses(e)).map((a) => a.PublicIp);
    for (const ip of run.firstEgressIps) expect(held.includes(ip), `address ${ip} was released`);
    await checkFunctions(e, o, stack.name, "DISABLED");
    return "no private default route, the warmer's rule DISABLED, both addresses kept";
}

/** Step 6: nat instance again. */
export async function backToInstance(e: Emulator, run: MainRun): Promise<string> {
    const stack = run.stack!;
    await stack.set("nat", "instance");
    await stack.run(["up", "--yes", "--skip-preview"]);
    const o = outputsOf(await stack.outputs());
    expect(
        JSON.stringify(o.egressIps) === JSON.stringify(run.firstEgressIps),
        `egressIps changed: ${o.egressIps.join(", ")}`,
    );
    const nat = await checkInstances(e, o, 1);
    await checkFunctions(e, o, stack.name, "ENABLED");
    return `${nat}; the same egressIps as step 2`;
}

/** Step 7: pulumi destroy leaves nothing of the stack in the emulator. */
export async function destroy(e: Emulator, run: MainRun): Promise<string> {
    await run.stack!.run(["destroy", "--yes", "--skip-preview"]);
    const left = await leftovers(e, "aligo-sms-");
    expect(left.length === 0, `left behind: ${left.join("; ")}`);
    return "nothing left: VPC, subnets, addresses, instances, NAT gateways, functions, roles, parameter, rules, alarms, log groups, topics";
}

/** Issue 17: a per-zone stack (`natPerAz`) of `nat`, up then destroy. */
export async function perZone(ws: Workspace, e: Emulator, nat: "gateway" | "instance"): Promise<string> {
    const stack = await createStack(ws, `e2e-az-${nat}`, { nat, natPerAz: "true" });
    await stack.run(["up", "--yes", "--skip-preview"]);
    const o = outputsOf(await stack.outputs());
    expect(o.egressIps.length === 4, `egressIps has ${o.egressIps.length} addresses (2 zones × 2 NAT kinds expected)`);
    const detail =
        nat === "gateway" ? `gateways on ${(await checkGateways(e, o, 2)).join(", ")}` : await checkInstances(e, o, 2);
    await stack.run(["destroy", "--yes", "--skip-preview"]);
    const left = await leftovers(e, "aligo-sms-");
    expect(left.length === 0, `left behind: ${left.join("; ")}`);
    return `two zones, each private subnet to its own zone's NAT: ${detail}; destroyed, nothing left`;
}

/**
 * Step 8: the component package from another language: a YAML program (e2e/consumer, no
 * package.json) adds the components folder with `pulumi package add` and builds a Network with no
 * subnet lists and a Nat with a NAT instance, whose readiness gate is a resource of the package's own
 * provider; up, then destroy. Nothing is installed in the program's folder.
 */
export async function otherLanguage(ws: Workspace, e: Emulator): Promise<string> {
    const dir = join(ws.root, "consumer");
    mkdirSync(dir);
    cpSync(join(E2E_DIR, "consumer", "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    const components = join(ws.project, "components");
    // pulumi package add infers the schema from the package (its plugin run by the Node.js host), then
    // asks the program's language host to link it. pulumi-language-yaml v1.25.0, the newest the Go
    // module proxy serves, has no Link (the CLI says "method Link not implemented"); a YAML program
    // needs nothing linked, only the package in Pulumi.yaml, which the run then writes itself, as
    // package add records it (a name and a source), and says so.
    let added = "pulumi package add";
    const add = await pulumi(ws, ["package", "add", components], { cwd: dir, okCodes: [0, 1] });
    if (add.code !== 0) {
        expect(/method Link not implemented/.test(add.stdout + add.stderr), `pulumi package add failed: ${add.stderr}`);
        expect(
            /Successfully generated an SDK/.test(add.stdout + add.stderr),
            "pulumi package add did not get the schema",
        );
        if (!/^packages:/m.test(readFileSync(join(dir, "Pulumi.yaml"), "utf8")))
            writeFileSync(
                join(dir, "Pulumi.yaml"),
                `${readFileSync(join(dir, "Pulumi.yaml"), "utf8")}packages:\n  aligo-sms: ${components}\n`,
            );
        added = "pulumi package add (schema inferred; the YAML host has no Link, so the packages entry written here)";
    }
    const project = readFileSync(join(dir, "Pulumi.yaml"), "utf8");
    expect(/packages:/.test(project), "the package is not in the consumer's Pulumi.yaml");
    await pulumi(ws, ["stack", "init", "consumer"], { cwd: dir });
    const settings: [string, string][] = [
        ["aws:region", "ap-northeast-2"],
        ["aws:accessKey", "testing"],
        ["aws:skipCredentialsValidation", "true"],
        ["aws:skipMetadataApiCheck", "true"],
        ["aws:skipRegionValidation", "true"],
        ["aws:skipRequestingAccountId", "true"],
    ];
    for (const [k, v] of settings) await pulumi(ws, ["config", "set", k, v], { cwd: dir });
    await pulumi(ws, ["config", "set", "--secret", "aws:secretKey", "testing"], { cwd: dir });
    for (const service of ["ec2", "sts", "iam", "cloudwatch", "events", "sns", "ssm"])
        await pulumi(ws, ["config", "set", "--path", `aws:endpoints[0].${service}`, ws.endpoint], { cwd: dir });
    await pulumi(ws, ["up", "--yes", "--skip-preview"], { cwd: dir });
    const raw = JSON.parse(
        (await pulumi(ws, ["stack", "output", "--json", "--show-secrets"], { cwd: dir })).stdout,
    ) as Record<string, unknown>;
    const vpcId = typeof raw.vpcId === "string" ? raw.vpcId : "";
    const zones = (raw.availabilityZones ?? []) as string[];
    expect(zones.length === 2, `the Network looked up ${zones.length} zones: ${zones.join(", ")}`);
    expect(existsSync(join(dir, "node_modules")) === false, "something was installed in the consumer's folder");
    const o = {
        vpcId,
        privateSubnetIds: (raw.privateSubnetIds ?? []) as string[],
        egressIps: (raw.egressIps ?? []) as string[],
    } as Outputs;
    const instances = await checkInstances(e, o, 1);
    await pulumi(ws, ["destroy", "--yes", "--skip-preview"], { cwd: dir });
    const left = await leftovers(e, "");
    expect(left.length === 0, `left behind: ${left.join("; ")}`);
    writeFileSync(join(dir, "done"), "");
    return `YAML program, no package.json: ${added}, up (VPC ${vpcId} in ${zones.join(", ")}; ${instances}), destroy, nothing left`;
}
