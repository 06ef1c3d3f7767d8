import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { planStack, renderText, warningsOnce, type PlanOptions, type PlanReport } from "./plan";
import { runCaptured } from "./args";
import { main } from "../plan";
import { ROOT, loadStackConfig } from "../../program/stack-config";
import { parseConfig, type AppConfig, type RawConfig } from "../../program/config/config";
import { estimateMonthlyCost } from "../../program/cost/estimate";

const exec = promisify(execFile);
/** A test that starts the plan CLI: planning in a fresh process takes about 20 s alone, more under load. */
const CLI_TIMEOUT = 120_000;
/**
 * A test that plans in this process: the first plan loads the program (several seconds alone), each
 * later one runs it under mocks twice; a busy machine stretches both, so the cap is generous.
 */
const PLAN_TIMEOUT = 90_000;

/** The dev stack's file with `extra` lines appended, in a project folder of its own. */
const devWith = (extra: string) => {
    const root = mkdtempSync(join(tmpdir(), "plan-dev-"));
    copyFileSync(join(ROOT, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
    writeFileSync(join(root, "Pulumi.dev.yaml"), readFileSync(join(ROOT, "Pulumi.dev.yaml"), "utf8") + extra);
    return root;
};

/** The dev stack with these settings appended to its file. */
const DEV_WITH = {
    single: "  aligo-sms:egressIpStandby: false\n",
    micro: "  aligo-sms:natInstanceType: t3.micro\n",
    fck: "  aligo-sms:natImage: fck-nat\n  aligo-sms:natInstanceType: t4g.nano\n",
    unpriced: "  aligo-sms:natImage: fck-nat\n  aligo-sms:natInstanceType: c7gn.large\n",
};

/** The dev stack's configuration as the program parses it (with a variant's settings), for the cost model alone. */
function devConfig(variant?: keyof typeof DEV_WITH): AppConfig {
    const root = variant ? devWith(DEV_WITH[variant]) : ROOT;
    const raw: RawConfig = { aligoApiKey: "k", aligoUserId: "u", aligoSender: "0200000000" };
    for (const [k, v] of Object.entries(loadStackConfig("dev", root).values)) raw[k.replace(/^aligo-sms:/, "")] = v;
    return parseConfig(raw).config;
}

const planned = new Map<string, Promise<PlanReport>>();
/**
 * The plan for these options, made once in this file: the tests only read a plan, and planning the
 * same stack again gives the same report. `devExtra` names a dev stack with settings added.
 */
function plan(opts: Omit<PlanOptions, "root">, devExtra?: keyof typeof DEV_WITH): Promise<PlanReport> {
    const key = JSON.stringify([opts, devExtra]);
    let report = planned.get(key);
    if (!report) {
        report = planStack({ ...opts, ...(devExtra ? { root: devWith(DEV_WITH[devExtra]) } : {}) });
        planned.set(key, report);
    }
    return report;
}

describe("planStack", { timeout: PLAN_TIMEOUT }, () => {
    it.each([
        ["dev", "instance"],
        ["prod", "gateway"],
    ] as const)("%s: the stack's own strategy, its resources, and all three strategies' costs", async (stack, nat) => {
        const p = await plan({ stack });
        expect(p.nat).toBe(nat);
        expect(p.region).toBe("ap-northeast-2");
        expect(p.placeholders.sort()).toEqual(["aligoApiKey", "aligoSender", "aligoUserId"]);
        const names = p.resources.map((r) => r.name);
        expect(names).toEqual(
            expect.arrayContaining([
                "network-vpc",
                "network-private-0",
                "nat-private-0-default",
                "functions-sms",
                "functions-warmer",
            ]),
        );
        expect(names).toContainEqual(
            nat === "gateway" ? "nat-gateway" : expect.stringMatching(/^nat-instance-[0-9a-f]{8}$/),
        );
        // The Seoul NAT gateway's hourly line is 0.059 × 730.
        expect(p.costs.gateway.lines.find((l) => l.item === "NAT gateway")).toMatchObject({
            quantity: "730 h × 0.059",
            usd: Number((0.059 * 730).toFixed(2)),
        });
        expect(p.outputs.estimatedMonthlyCostUsd).toBe(p.costs[nat].totalUsd);
    });

    it("describes what matters: CIDRs, route targets, instance type and image, schedule", async () => {
        const p = await plan({ stack: "dev" });
        const d = Object.fromEntries(p.resources.map((r) => [r.name, r.details]));
        const instance = p.resources.find((r) => r.type === "aws:ec2/instance:Instance")!.name;
        expect(d["network-private-0"]).toBe("10.0.128.0/24 in ap-northeast-2a");
        expect(d["nat-private-0-default"]).toBe(`network-private-0-rt: 0.0.0.0/0 → ${instance} (primary ENI)`);
        expect(d["network-public-default"]).toBe("network-public-rt: 0.0.0.0/0 → network-igw");
        expect(d[instance]).toMatch(
            /^t3\.nano, image amzn-ami-vpc-nat-<newest>, in network-public-0, source\/dest check off/,
        );
        expect(d[`${instance}-ready`]).toBe(
            `waits until ${instance} passes its EC2 status checks (at most 600 s) before its address and routes move`,
        );
        expect(d[`${instance}-image`]).toMatch(
            /^keeps the image this instance generation was created with \(amzn-ami-vpc-nat-<newest>\); a new image, type, key pair or natImageRefresh makes a new generation$/,
        );
        expect(d["functions-lambda-eni-release"]).toMatch(
            /^on destroy, waits until Lambda has released its interfaces in network-private-0, network-private-1/,
        );
        expect(d["functions-warmer-schedule"]).toBe("rate(5 minutes), ENABLED");
        expect(d["functions-warmer-invoke"]).toBe(
            "functions-warmer-role: lambda:InvokeFunction on functions-sms, functions-sms:*",
        );
    });

    it("--nat and --gb change the plan; the gateway's data line follows the GB", async () => {
        const p = await plan({ stack: "dev", nat: "gateway", gb: 50 });
        expect(p.nat).toBe("gateway");
        expect(p.resources.map((r) => r.name)).toContain("nat-gateway");
        expect(p.costs.gateway.lines.find((l) => l.item === "NAT gateway data processing")?.usd).toBe(2.95);
        expect(p.costs.instance.lines.some((l) => l.item.includes("data"))).toBe(false);
    });

    it("the cost model counts what the graph creates", async () => {
        for (const nat of ["gateway", "instance", "none"] as const) {
            const p = await plan({ stack: "dev", nat });
            const count = (type: string) => p.resources.filter((r) => r.type === type).length;
            const lines = p.costs[nat].lines.map((l) => l.item);
            expect(count("aws:ec2/natGateway:NatGateway")).toBe(lines.filter((l) => l === "NAT gateway").length);
            expect(count("aws:ec2/instance:Instance")).toBe(lines.filter((l) => l.startsWith("NAT instance t")).length);
            expect(p.costs[nat].lines.find((l) => l.item.startsWith("public IPv4"))?.quantity).toMatch(
                new RegExp(`^${count("aws:ec2/eip:Eip")} × 730 h`),
            );
        }
    });

    it("draws the story: functions → private subnets → the NAT → the internet gateway → Aligo, every address labelled and registered", async () => {
        const m = (await plan({ stack: "prod" })).mermaid;
        expect(m).toMatch(/^flowchart LR\n/);
        // Subnets grouped by zone, the NAT drawn in the zone of its subnet.
        // Subnets grouped by zone; the NAT drawn inside its public subnet (a subgraph holding it).
        expect(m).toMatch(
            /subgraph zone_ap_northeast_2a\["ap-northeast-2a"\]\n\s+subgraph network_public_0\["public subnet 10\.0\.0\.0\/24<br\/>network-public-0"\]\n\s+nat_gateway\{\{"NAT gateway"\}\}\n\s+end\n\s+network_private_0\[/,
        );
        const dev = (await plan({ stack: "dev" })).mermaid;
        expect(dev).toMatch(
            /subgraph network_public_0\[[^\n]+\]\n\s+nat_instance_[0-9a-f]{8}\{\{"NAT instance t3\.nano"\}\}\n\s+end\n/,
        );
        // Traffic, directed.
        expect(m).toContain('functions_sms -->|"sends from"| network_private_1');
        // The warmer only runs there: it never calls Aligo.
        expect(m).toContain('functions_warmer -->|"runs in"| network_private_0');
        expect(m).not.toMatch(/functions_warmer -->\|"sends from"\|/);
        expect(m).toContain('network_private_0 -->|"0.0.0.0/0"| nat_gateway');
        expect(m).toContain("nat_gateway --> network_igw");
        expect(m).toContain('network_igw ==>|"HTTPS, from nat-gateway-eip"| aligo');
        expect(m).toContain('aligo(("Aligo API<br/>apis.aligo.in"))');
        // Both addresses, with their roles, each to register with Aligo.
        expect(m).toContain(
            'nat_gateway_eip[/"Elastic IP nat-gateway-eip<br/>#lt;address of nat-gateway-eip at deploy#gt;<br/>active: traffic leaves from it (NAT gateway)"/]',
        );
        expect(m).toContain(
            'nat_instance_eip[/"Elastic IP nat-instance-eip<br/>#lt;address of nat-instance-eip at deploy#gt;<br/>standby: for the other NAT kind"/]',
        );
        for (const eip of ["nat_gateway_eip", "nat_instance_eip"])
            expect(m).toContain(`${eip} -.->|"register in 발송 IP"| aligo`);
        expect(m).toContain('nat_gateway_eip -.->|"bound to"| nat_gateway');
        expect(m).not.toMatch(/ -\.- /); // no undirected links
        expect(m).toContain('functions_warmer_schedule(["rate(5 minutes)"]) --> functions_warmer');
        const none = (await plan({ stack: "prod", nat: "none" })).mermaid;
        expect(none).toContain('network_private_0 -.->|"no route out (nat=none)"| no_route_out["no way out"]');
        expect(none).not.toMatch(/nat_gateway\{\{/);
        // No NAT, no traffic: nothing is drawn as reaching Aligo, and the paused schedule fires nothing.
        expect(none).toContain('network_igw -.->|"no traffic (nat=none)"| aligo');
        expect(none).not.toMatch(/==>|HTTPS/);
        expect(none).toContain(
            'functions_warmer_schedule(["rate(5 minutes)<br/>(disabled)"]) -.->|"(disabled)"| functions_warmer',
        );
        expect(none).toContain('functions_warmer -.->|"warm-up pings (disabled)"| functions_sms');
        expect(none).not.toContain('functions_warmer_schedule(["rate(5 minutes)"]) -->');
        expect(none).toContain("kept while nat=none");
    });

    it("lists the alarms and their cost: the stack's own, or those alarmEmail would bring", async () => {
        const prod = await plan({ stack: "prod" });
        expect(prod.alarms.configured).toBe(false);
        expect(prod.alarms.list.map((a) => a.name)).toEqual([
            "functions-aligo-balance",
            "functions-aligo-balance-stale",
            "functions-aligo-ip-refused",
            "functions-sms-errors",
            "functions-sms-failed-sends",
            "functions-sms-throttles",
            "functions-warmer-errors",
            "functions-warmer-failures",
            "nat-gateway-packets-dropped",
            "nat-gateway-port-allocation",
        ]);
        expect(prod.alarms.monthlyUsd).toBe(1.3); // 10 alarms × 0.10 + the balance metric 0.30
        const text = renderText(prod);
        expect(text).toContain(
            "With `pulumi config set alarmEmail you@example.com --stack prod` (or alarmTopicArn) the stack would get these 10, 1.30 USD a month",
        );
        expect(text).toMatch(
            /^ {2}functions-aligo-ip-refused \(aligo-sms\/prod AligoIpRefusals\): Aligo refuses the function's address/m,
        );
        // The stack's own total is unchanged by alarms it does not have.
        expect(prod.costs.gateway.totalUsd).toBe(50.38);
    });

    it("renders a side-by-side table with the stack's strategy starred", async () => {
        const text = renderText(await plan({ stack: "dev" }));
        expect(text).toMatch(/^\s+gateway\s+instance\*\s+none$/m);
        expect(text).toMatch(/^\s+NAT gateway\s+43\.07\s+-\s+-$/m);
        expect(text).toMatch(/^\s+total\s+50\.38\s+12\.99\s+7\.30$/m);
        // Each source once, numbered, with the date it was read; a figure not read in AWS's own price list
        // says so and names the file to check it against.
        expect(text).toMatch(/^ {2}instance: NAT instance t3\.nano: 730 h × 0\.0065 \[\d\]$/m);
        const sources = text.slice(text.indexOf("Sources (date read in brackets):")).split("\n").slice(1);
        const listed = sources.filter((l) => /^ {2}\[\d+\] /.test(l));
        expect(listed.length).toBeGreaterThan(3);
        for (const l of listed) {
            expect(l).toMatch(/^ {2}\[\d+\] https:\/\/\S+ .*\(20\d\d-\d\d-\d\d\)/);
            if (!/^ {2}\[\d+\] https:\/\/(aws\.amazon\.com|pricing\.us-east-1\.amazonaws\.com)\//.test(l))
                expect(l).toMatch(
                    /; not checked against AWS's own price list: https:\/\/pricing\.us-east-1\.amazonaws\.com\/offers\/v1\.0\/aws\/\w+\/current\/ap-northeast-2\/index\.json$/,
                );
        }
        // Every source is a public page or a file here: no notes folder, nothing above the repository.
        expect(text).not.toMatch(/shared\/|\.\.\//);
        expect(text).toContain("note: The NAT instance keeps the image it was created with; set natImageRefresh");
    });

    it("the dev stack idles at no more than 13 USD a month in Seoul, and no more than 9.5 without the standby address", async () => {
        const dev = await plan({ stack: "dev" });
        expect(dev.outputs.estimatedMonthlyCostUsd).toBeLessThanOrEqual(13);
        const single = await plan({ stack: "dev" }, "single");
        expect(single.outputs.estimatedMonthlyCostUsd).toBeLessThanOrEqual(9.5);
        expect(single.resources.filter((r) => r.type === "aws:ec2/eip:Eip").map((r) => r.name)).toEqual([
            "nat-instance-eip",
        ]);
        expect(single.outputs.egressAddresses).toBe(1);
        expect(renderText(single)).toContain(
            "note: One Elastic IP serves whichever NAT is on (egressIpStandby is false): switching between gateway and instance takes two `pulumi up`s through `nat none`",
        );
    });

    it("a region without prices: every cost unknown, the alarms' too (null in JSON, never 0), and its warning said once", async () => {
        const root = mkdtempSync(join(tmpdir(), "plan-region-"));
        copyFileSync(join(ROOT, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
        writeFileSync(join(root, "Pulumi.eu.yaml"), "config:\n  aws:region: eu-west-1\n  aligo-sms:nat: gateway\n");
        // Pulumi prints a program's warnings to stderr when no engine runs; the plan prints them itself.
        const warned = vi.spyOn(console, "warn");
        const p = await planStack({ stack: "eu", root });
        expect(warned.mock.calls.flat().join("\n")).not.toContain("no prices for eu-west-1");
        warned.mockRestore();
        expect(p.region).toBe("eu-west-1");
        expect(p.outputs.estimatedMonthlyCostUsd).toBeNull();
        expect(p.alarms.monthlyUsd).toBeNull();
        for (const nat of ["gateway", "instance", "none"] as const) {
            expect(p.costs[nat].totalUsd, nat).toBeNull();
            expect(p.costs[nat].lines.length, nat).toBeGreaterThan(0);
            for (const l of p.costs[nat].lines) expect(l.usd, `${nat}: ${l.item}`).toBeNull();
        }
        // The NAT instance's reboot and recovery alarms bill without alarmEmail too: unknown, not left out.
        expect(p.costs.instance.lines.map((l) => l.item)).toContain("CloudWatch alarms");
        // JSON carries null for every unknown figure: no 0 stands in for one.
        const json = JSON.parse(JSON.stringify(p)) as PlanReport;
        expect(json.alarms.monthlyUsd).toBeNull();
        expect(json.outputs.estimatedMonthlyCostUsd).toBeNull();
        expect(JSON.stringify(p)).not.toMatch(/"(usd|totalUsd|monthlyUsd|estimatedMonthlyCostUsd)":0[,}]/);

        const text = renderText(p);
        expect(text.split("no prices for eu-west-1").length - 1).toBe(1);
        expect(text).toMatch(/^warning: .*no prices for eu-west-1; known regions: ap-northeast-2, us-east-1$/m);
        expect(text).toContain("the stack would get these 10, unknown USD a month with the balance metric");
        expect(text).toContain("estimatedMonthlyCostUsd unknown (not exported)");
        const table = text.slice(text.indexOf("Monthly cost in"), text.indexOf("(* = this stack's nat)"));
        expect(table).toMatch(/^ {2}CloudWatch alarms\s+-\s+unknown\s+-$/m);
        expect(table).toMatch(/^ {2}total\s+unknown\s+unknown\s+unknown$/m);
        expect(table).not.toMatch(/\d\.\d\d/);
        // Each warning once, however many times the program (run twice here: the alarms' example) logs it.
        expect(new Set(p.warnings).size).toBe(p.warnings.length);
    });

    it("an instance type without a price: that column's total is unknown, not the sum of the others", async () => {
        const p = await plan({ stack: "dev" }, "unpriced");
        expect(p.costs.instance.totalUsd).toBeNull();
        expect(p.costs.gateway.totalUsd).toBe(50.38);
        expect(p.warnings.filter((w) => w.includes("no price for c7gn.large in ap-northeast-2"))).toHaveLength(1);
        expect(renderText(p)).toMatch(/^ {2}total\s+50\.38\s+unknown\s+7\.30$/m);
    });

    it.each([
        ["the configuration and the program say the same", ["a", "b", "a"], [], ["a", "b"]],
        [
            "a price reason the program says already",
            ["x is not exported: no price for t in r"],
            ["no price for t in r"],
            ["x is not exported: no price for t in r"],
        ],
        [
            "a price reason no one says, from several strategies",
            [],
            ["no prices for r", "no prices for r"],
            ["no prices for r"],
        ],
    ])("warningsOnce: %s", (_label, warnings, reasons, expected) => {
        expect(warningsOnce(warnings, reasons)).toEqual(expected);
    });

    it("made-up ids and addresses are placeholders, in text, JSON and the diagram; the structure stays exact", async () => {
        const p = await plan({ stack: "dev" });
        const instance = p.resources.find((r) => r.type === "aws:ec2/instance:Instance")!.name;
        const gatewayAddress = "<address of nat-gateway-eip at deploy>";
        const instanceAddress = "<address of nat-instance-eip at deploy>";
        expect(p.outputs.egressIps).toEqual([gatewayAddress, instanceAddress]);
        const alarm = (name: string) => p.alarms.list.find((a) => a.name === name)!.description;
        expect(alarm("functions-aligo-ip-refused")).toContain(`(${gatewayAddress}, ${instanceAddress})`);
        expect(alarm(`${instance}-impaired`)).toContain(
            `The NAT instance <instance id of ${instance} at deploy> fails its own status check`,
        );
        expect(alarm(`${instance}-impaired`)).toContain(
            `--instance-id <instance id of ${instance} at deploy> --latest`,
        );
        const details = Object.fromEntries(p.resources.map((r) => [r.name, r.details]));
        expect(details["nat-gateway-eip"]).toBe(`Elastic IP, address ${gatewayAddress}`);
        expect(details[`${instance}-eip-assoc`]).toBe(`nat-instance-eip → ${instance} (primary ENI)`);
        expect(p.mermaid).toContain(
            'nat_instance_eip[/"Elastic IP nat-instance-eip<br/>#lt;address of nat-instance-eip at deploy#gt;<br/>active: traffic leaves from it (NAT instance)"/]',
        );
        // Nothing that looks like a real id or address: EC2 ids, the documentation range the account used.
        for (const shown of [JSON.stringify(p), renderText(p)])
            expect(shown).not.toMatch(/\b(i|eni|eipalloc|nat)-[0-9a-f]{17}\b|203\.0\.113\.\d/);
    });

    it("fails on a bad stack file with the program's own message", async () => {
        await expect(planStack({ stack: "nope" })).rejects.toThrow(/no Pulumi\.nope\.yaml/);
    });
});

describe("npm run plan", () => {
    it(
        "runs offline as a command, writes the diagram, prints JSON for machines: through npm, all there is on stdout",
        async () => {
            const dir = mkdtempSync(join(tmpdir(), "plan-"));
            const file = join(dir, "net.md");
            // The one run of plan through its real entry point, as a user types it: `npm run -s` keeps npm's
            // banner off stdout, so the JSON document is all there is (it pipes into jq).
            const { stdout, stderr } = await exec(
                "npm",
                ["run", "-s", "plan", "--", "--stack", "prod", "--json", "--mermaid", file],
                {
                    cwd: ROOT,
                    env: { ...process.env, PATH: [dirname(process.execPath), process.env.PATH].join(delimiter) },
                    maxBuffer: 16 * 1024 * 1024,
                },
            );
            const report = JSON.parse(stdout);
            expect(report).toMatchObject({ stack: "prod", nat: "gateway" });
            expect(report.costs.gateway.totalUsd).toBe(50.38);
            expect(typeof report.outputs.estimatedMonthlyCostUsd).toBe("number");
            expect(report.outputs.egressIps).toEqual([
                "<address of nat-gateway-eip at deploy>",
                "<address of nat-instance-eip at deploy>",
            ]);
            expect(stdout).not.toMatch(/203\.0\.113\.\d|\bnat-[0-9a-f]{17}\b/);
            expect(stderr).toBe("");
            expect(readFileSync(file, "utf8")).toMatch(/^# aligo-sms prod \(nat=gateway\)\n\n```mermaid\nflowchart LR/);
        },
        CLI_TIMEOUT,
    );

    it("a wrong --nat: one line, exit 2", async () => {
        const r = await runCaptured(main, ["--stack", "dev", "--nat", "nat-gw"]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('--nat "nat-gw" is not one of gateway, instance, none');
    });

    it(
        "--json prints the JSON document and nothing else; --mermaid to a path that cannot be written: one line, exit 2, before any planning",
        async () => {
            const dir = mkdtempSync(join(tmpdir(), "plan-out-"));
            const raw = join(dir, "net.mmd");
            let started = Date.now();
            const planning = await runCaptured(main, ["--stack", "dev", "--json", "--mermaid", raw]);
            const planned = Date.now() - started;
            expect(planning).toMatchObject({ code: 0, stderr: "" });
            const report = JSON.parse(planning.stdout) as PlanReport;
            expect(report).toMatchObject({ stack: "dev", nat: "instance" });
            expect(readFileSync(raw, "utf8")).toBe(report.mermaid); // .mmd: the diagram as it is
            for (const [path, message] of [
                [
                    join(dir, "missing", "x.md"),
                    `usage: --mermaid ${join(dir, "missing", "x.md")}: the folder ${join(dir, "missing")} does not exist\n`,
                ],
                [dir, `usage: --mermaid ${dir}: that is a folder; give a file name (.md, or .mmd for raw Mermaid)\n`],
            ]) {
                started = Date.now();
                const r = await runCaptured(main, ["--stack", "dev", "--mermaid", path]);
                const refused = Date.now() - started;
                expect(r).toEqual({ code: 2, stdout: "", stderr: message });
                // The refusal comes before any planning: timed against the plan above in the same test, so
                // a busy machine slows both (a refusal is a stat; a plan runs the program twice).
                expect(refused * 10).toBeLessThan(planned);
            }
        },
        PLAN_TIMEOUT,
    );
});

describe("the README's cost figures are the plan's", { timeout: PLAN_TIMEOUT }, () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    /** The README with every run of white space as one space: a sentence may wrap anywhere. */
    const prose = readme.replace(/\s+/g, " ");
    const found = (re: RegExp, what: string) => {
        const m = re.exec(prose);
        if (!m) throw new Error(`README.md: ${what} not found (${re})`);
        return m;
    };
    /** The rows of a plan cost table: item and the three strategies' cells. */
    const tableRows = (text: string) =>
        [...text.matchAll(/^ {2}(\S.*?) {2,}(\d+\.\d\d|-)\s+(\d+\.\d\d|-)\s+(\d+\.\d\d|-)$/gm)].map(
            (m) => `${m[1].trim()}: ${m.slice(2).join(" ")}`,
        );

    it("the excerpt of `npm run -s plan -- --stack dev`: every line of its cost table, totals included, as the plan prints it", async () => {
        const excerpt = /Excerpt of `npm run -s plan -- --stack dev`:\n\n```\n([\s\S]*?)\n```/.exec(readme)?.[1];
        if (excerpt === undefined) throw new Error("README.md: the plan excerpt not found");
        const text = renderText(await plan({ stack: "dev" }));
        const table = text.slice(text.indexOf("Monthly cost in"), text.indexOf("(* = this stack's nat)"));
        expect(tableRows(excerpt)).toEqual(tableRows(table));
        expect(tableRows(excerpt).at(-1)).toMatch(/^total: /);
    });

    it("the totals the README quotes: dev with and without the standby address, prod, the types and images compared", async () => {
        const single = await plan({ stack: "dev" }, "single");
        const dev = await plan({ stack: "dev" });
        const prod = await plan({ stack: "prod" });
        const micro = await plan({ stack: "dev" }, "micro");
        const fck = await plan({ stack: "dev" }, "fck");
        const usd = (n: number | null | undefined) => n?.toFixed(2);
        expect(
            found(
                /With `egressIpStandby: false` the plan[^]*?total is (\d+\.\d\d)/,
                "the dev total without the standby address after the excerpt",
            )[1],
        ).toBe(usd(single.outputs.estimatedMonthlyCostUsd as number));
        const quoted = found(
            /(\d+\.\d\d) for `dev` with the defaults, (\d+\.\d\d) with `egressIpStandby: false`, (\d+\.\d\d) for `prod`/,
            "the estimatedMonthlyCostUsd figures",
        );
        expect(quoted.slice(1)).toEqual(
            [dev, single, prod].map((p) => usd(p.outputs.estimatedMonthlyCostUsd as number)),
        );
        const types = found(/\((\d+\.\d\d) instead of (\d+\.\d\d) USD a month in Seoul\)/, "t3.nano against t3.micro");
        expect(types.slice(1)).toEqual([usd(dev.costs.instance.totalUsd), usd(micro.costs.instance.totalUsd)]);

        // The cost section's table: each row's total is the plan's, and its items add up to it; the
        // per-zone column is the same configuration with natPerAz (the plan's own cost model).
        const section = readme.slice(readme.indexOf("### Monthly cost in Seoul"));
        const rows = [
            ...section.matchAll(
                /^\| (`(?:gateway|instance|none)`[^|]*) \| ([^|]+) \| \*\*(\d+\.\d\d)\*\*[^|]*\| \*\*(\d+\.\d\d)\*\*[^|]*\|$/gm,
            ),
        ];
        expect(rows.map((r) => r[1])).toHaveLength(5);
        for (const [, what, items, total, perZone] of rows) {
            const variant = /fck-nat/.test(what) ? "fck" : /egressIpStandby: false/.test(what) ? "single" : undefined;
            const p = variant === "fck" ? fck : variant === "single" ? single : dev;
            const nat = /^`gateway`/.test(what) ? "gateway" : /^`none`/.test(what) ? "none" : "instance";
            expect(`${what}: ${total}`).toBe(`${what}: ${usd(p.costs[nat].totalUsd)}`);
            const zoned = estimateMonthlyCost({ ...devConfig(variant), natPerAz: true, azCount: 2 }, nat);
            expect(`${what}, per zone: ${perZone}`).toBe(`${what}, per zone: ${usd(zoned.totalUsd)}`);
            const sum = [...items.replace(/\([^)]*\)/g, "").matchAll(/(\d+\.\d\d)/g)].reduce(
                (a, m) => a + Number(m[1]),
                0,
            );
            expect(`${what}: ${sum.toFixed(2)}`).toBe(`${what}: ${total}`);
        }
    }); // five plans, most of them shared with the tests above
});
