import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../stack-config";
import { ConfigError, parseConfig, warmerActive, type RawConfig } from "./config";

/** What the CLI would hand the program for the dev stack, plus the per-user Aligo settings. */
function raw(overrides: RawConfig = {}): RawConfig {
    const { values } = loadStackConfig("dev");
    const out: RawConfig = {};
    for (const [k, v] of Object.entries(values)) out[k.replace(/^aligo-sms:/, "")] = v;
    Object.assign(out, {
        aligoApiKey: "abcdefghijklmnopqrstuvwxyz012345",
        aligoUserId: "tester",
        aligoSender: "02-1234-5678",
    });
    for (const [k, v] of Object.entries(overrides)) {
        if (v === undefined) delete out[k];
        else out[k] = v;
    }
    return out;
}

function problemsOf(r: RawConfig): string[] {
    try {
        parseConfig(r);
    } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).problems;
    }
    throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
    it("turns the dev stack's raw strings into typed settings with carved subnets", () => {
        const { config, warnings } = parseConfig(raw());
        expect(config).toMatchObject({
            region: "ap-northeast-2",
            nat: "instance",
            vpcCidr: "10.0.0.0/16",
            azCount: 2,
            publicSubnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"],
            privateSubnetCidrs: ["10.0.128.0/24", "10.0.129.0/24"],
            natInstanceType: "t3.nano",
            natImage: { kind: "family", family: "amzn-ami-vpc-nat" },
            egressIpStandby: true,
            natImageRefresh: "",
            natArchitecture: "x86_64",
            aligoSender: "0212345678",
        });
        expect(config.egressIpAllocationIds).toBeUndefined();
        expect(warnings).toEqual([]);
    });

    it("warns, but does not fail, on a VPC block that is someone else's public space", () => {
        const { config, warnings } = parseConfig(raw({ vpcCidr: "11.0.0.0/16" }));
        expect(config.vpcCidr).toBe("11.0.0.0/16");
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/^vpcCidr: "11\.0\.0\.0\/16" is not private address space/);
    });

    it("takes explicit subnet lists as given", () => {
        const { config } = parseConfig(
            raw({
                azCount: "3",
                publicSubnetCidrs: JSON.stringify(["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]),
                privateSubnetCidrs: JSON.stringify(["10.0.10.0/23", "10.0.12.0/23", "10.0.14.0/23"]),
            }),
        );
        expect(config.privateSubnetCidrs).toEqual(["10.0.10.0/23", "10.0.12.0/23", "10.0.14.0/23"]);
    });

    it.each([
        ["t4g.nano", "fck-nat", "arm64"],
        ["t4g.nano", "al2023", "arm64"],
        ["c7gn.large", "al2023", "arm64"],
        ["t3.nano", "fck-nat", "x86_64"],
        ["g4dn.xlarge", "amzn-ami-vpc-nat", "x86_64"],
        ["t3.micro", "ami-0123456789abcdef0", "x86_64"],
    ])("%s with %s runs on %s", (type, image, arch) => {
        expect(parseConfig(raw({ natInstanceType: type, natImage: image })).config.natArchitecture).toBe(arch);
    });

    it('treats the Pulumi.yaml defaults [] and "" as not set', () => {
        const { config } = parseConfig(
            raw({
                publicSubnetCidrs: "[]",
                privateSubnetCidrs: "[]",
                egressIpAllocationIds: "[]",
                natKeyName: "",
                natSshCidr: "",
            }),
        );
        expect(config.publicSubnetCidrs).toEqual(["10.0.0.0/24", "10.0.1.0/24"]);
        expect(config.egressIpAllocationIds).toBeUndefined();
        expect(config.natKeyName).toBeUndefined();
    });

    it("keeps one or two bring-your-own allocation ids", () => {
        expect(
            parseConfig(raw({ egressIpAllocationIds: '["eipalloc-0123456789abcdef0"]' })).config.egressIpAllocationIds,
        ).toEqual(["eipalloc-0123456789abcdef0"]);
        expect(
            parseConfig(raw({ egressIpAllocationIds: '["eipalloc-12345678","eipalloc-0123456789abcdef0"]' })).config
                .egressIpAllocationIds,
        ).toHaveLength(2);
    });

    // Each bad value: the message names the key, shows the value, and says what is allowed.
    it.each<[string, RawConfig, RegExp]>([
        ["unknown nat", { nat: "nat-gw" }, /^nat: "nat-gw" is not one of gateway, instance, none$/],
        [
            "an alarm address that is not one",
            { alarmEmail: "ops at example.com" },
            /^alarmEmail: "ops at example\.com" is not an email address/,
        ],
        [
            "an alarm topic that is not an SNS ARN",
            { alarmTopicArn: "arn:aws:sqs:ap-northeast-2:123456789012:q" },
            /^alarmTopicArn: ".*" is not a standard SNS topic ARN/,
        ],
        // CloudWatch notifies only a topic in the alarm's own region and partition.
        [
            "an alarm topic in another region",
            { alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:ops" },
            /^alarmTopicArn: ".*" is in us-east-1 \(partition aws\), but the stack deploys to ap-northeast-2 .*give a topic in ap-northeast-2, or use alarmEmail$/,
        ],
        [
            "an alarm topic in another partition",
            { alarmTopicArn: "arn:aws-cn:sns:ap-northeast-2:123456789012:ops" },
            /^alarmTopicArn: ".*" is in ap-northeast-2 \(partition aws-cn\), but the stack deploys to ap-northeast-2 \(partition aws\)/,
        ],
        [
            "both alarm targets",
            { alarmEmail: "ops@example.com", alarmTopicArn: "arn:aws:sns:ap-northeast-2:123456789012:ops" },
            /^alarmEmail and alarmTopicArn are both set; set one/,
        ],
        [
            "a negative balance threshold",
            { aligoBalanceAlarmBelow: "-1" },
            /^aligoBalanceAlarmBelow: "-1" is not a whole number from 0 to 100000000$/,
        ],
        ["nat in capitals", { nat: "Gateway" }, /^nat: "Gateway" is not one of gateway, instance, none$/],
        ["vpcCidr not a CIDR", { vpcCidr: "10.0.0.0" }, /^vpcCidr: "10\.0\.0\.0" is not in a\.b\.c\.d\/n form$/],
        [
            "vpcCidr host bits",
            { vpcCidr: "10.0.0.1/16" },
            /^vpcCidr: "10\.0\.0\.1\/16" has host bits set; did you mean 10\.0\.0\.0\/16\?$/,
        ],
        [
            "vpcCidr too large",
            { vpcCidr: "10.0.0.0/8" },
            /^vpcCidr: "10\.0\.0\.0\/8" has prefix \/8; AWS allows \/16 to \/28$/,
        ],
        [
            "vpcCidr too small for the subnet layout",
            { vpcCidr: "10.0.0.0/28" },
            /^vpcCidr: 10\.0\.0\.0\/28 is too small for the subnet layout .*give publicSubnetCidrs and privateSubnetCidrs yourself/,
        ],
        ["azCount zero", { azCount: "0" }, /^azCount: "0" is not a whole number from 1 to 6$/],
        ["azCount words", { azCount: "two" }, /^azCount: "two" is not a whole number from 1 to 6$/],
        ["azCount fraction", { azCount: "1.5" }, /^azCount: "1\.5" is not a whole number from 1 to 6$/],
        [
            "only public subnets",
            { publicSubnetCidrs: '["10.0.0.0/24","10.0.1.0/24"]' },
            /^privateSubnetCidrs: is not set but publicSubnetCidrs is/,
        ],
        [
            "subnet outside the VPC",
            { publicSubnetCidrs: '["10.1.0.0/24","10.0.1.0/24"]', privateSubnetCidrs: '["10.0.2.0/24","10.0.3.0/24"]' },
            /^publicSubnetCidrs: "10\.1\.0\.0\/24" is not inside vpcCidr 10\.0\.0\.0\/16$/,
        ],
        [
            "overlapping subnets",
            {
                publicSubnetCidrs: '["10.0.0.0/24","10.0.1.0/24"]',
                privateSubnetCidrs: '["10.0.0.128/25","10.0.3.0/24"]',
            },
            /^privateSubnetCidrs: "10\.0\.0\.128\/25" overlaps "10\.0\.0\.0\/24" \(publicSubnetCidrs\)/,
        ],
        [
            "subnet counts differ from azCount",
            { publicSubnetCidrs: '["10.0.0.0/24"]', privateSubnetCidrs: '["10.0.2.0/24"]' },
            /^publicSubnetCidrs: has 1 blocks but azCount is 2/,
        ],
        [
            "subnet prefix AWS refuses",
            { publicSubnetCidrs: '["10.0.0.0/24","10.0.1.0/29"]', privateSubnetCidrs: '["10.0.2.0/24","10.0.3.0/24"]' },
            /^publicSubnetCidrs: "10\.0\.1\.0\/29" has prefix \/29; AWS subnets are \/16 to \/28$/,
        ],
        [
            "subnet list not a list",
            { publicSubnetCidrs: "10.0.0.0/24,10.0.1.0/24", privateSubnetCidrs: '["10.0.2.0/24","10.0.3.0/24"]' },
            /^publicSubnetCidrs: "10\.0\.0\.0\/24,10\.0\.1\.0\/24" is not a list/,
        ],
        [
            "arm type with x86-only image",
            { natInstanceType: "t4g.nano", natImage: "amzn-ami-vpc-nat" },
            /^natInstanceType: "t4g\.nano" is arm64, but natImage "amzn-ami-vpc-nat" exists only for x86_64/,
        ],
        [
            "instance type typo",
            { natInstanceType: "t3micro" },
            /^natInstanceType: "t3micro" is not an EC2 instance type/,
        ],
        [
            "unknown image",
            { natImage: "ubuntu" },
            /^natImage: "ubuntu" is not one of amzn-ami-vpc-nat, fck-nat, al2023, nor an AMI id/,
        ],
        ["short AMI id", { natImage: "ami-123" }, /^natImage: "ami-123" is not one of/],
        [
            "SSH open to the world",
            { natKeyName: "me", natSshCidr: "0.0.0.0/0" },
            /^natSshCidr: "0\.0\.0\.0\/0" opens SSH to the whole internet; allowed: \/16 to \/32/,
        ],
        [
            "SSH without a key",
            { natSshCidr: "203.0.113.7/32" },
            /^natSshCidr: "203\.0\.113\.7\/32" is set but natKeyName is not/,
        ],
        [
            "allocation id malformed",
            { egressIpAllocationIds: '["eip-123"]' },
            /^egressIpAllocationIds: "eip-123" is not an allocation id/,
        ],
        [
            "three allocation ids",
            { egressIpAllocationIds: '["eipalloc-11111111","eipalloc-22222222","eipalloc-33333333"]' },
            /^egressIpAllocationIds: .* has 3 entries; allowed: 1 .* or 2/,
        ],
        [
            "same allocation id twice",
            { egressIpAllocationIds: '["eipalloc-11111111","eipalloc-11111111"]' },
            /^egressIpAllocationIds: "eipalloc-11111111" is listed twice/,
        ],
        [
            "region missing",
            { "aws:region": undefined },
            /^aws:region: is not set; run `pulumi config set aws:region ap-northeast-2`/,
        ],
        ["region typo", { "aws:region": "seoul" }, /^aws:region: "seoul" is not an AWS region name/],
        [
            "API key missing",
            { aligoApiKey: undefined },
            /^aligoApiKey: is not set; run `pulumi config set --secret aligoApiKey/,
        ],
        ["sender not a number", { aligoSender: "ALIGO" }, /^aligoSender: "ALIGO" is not a phone number/],
        ["user id missing", { aligoUserId: undefined }, /^aligoUserId: is not set/],
        ["a key the program does not know", { natType: "gateway" }, /^natType: is not a setting of this program/],
        [
            "Lambda architecture",
            { lambdaArchitecture: "arm" },
            /^lambdaArchitecture: "arm" is not one of arm64, x86_64$/,
        ],
        [
            "Lambda memory below the minimum",
            { lambdaMemoryMb: "64" },
            /^lambdaMemoryMb: "64" is not a whole number from 128 to 10240$/,
        ],
        [
            "Lambda timeout too short for a connect",
            { lambdaTimeoutSeconds: "3" },
            /^lambdaTimeoutSeconds: "3" is not a whole number from 5 to 900$/,
        ],
        [
            "log retention CloudWatch refuses",
            { logRetentionDays: "10" },
            /^logRetentionDays: "10" is not one of 1, 3, 5, 7, 14, 30,/,
        ],
        [
            "warmer concurrency above 10",
            { warmerConcurrency: "11" },
            /^warmerConcurrency: "11" is not a whole number from 1 to 10$/,
        ],
        ["warmerEnabled not a boolean", { warmerEnabled: "yes" }, /^warmerEnabled: "yes" is not true or false$/],
        ["egressIpStandby not a boolean", { egressIpStandby: "no" }, /^egressIpStandby: "no" is not true or false$/],
        [
            "no standby, two addresses",
            { egressIpStandby: "false", egressIpAllocationIds: '["eipalloc-11111111","eipalloc-22222222"]' },
            /^egressIpStandby: false contradicts egressIpAllocationIds, which lists two addresses/,
        ],
        [
            "natImageRefresh too long",
            { natImageRefresh: "x".repeat(65) },
            /^natImageRefresh: "x{65}" is not a short label/,
        ],
        [
            "a plural rate of one",
            { warmerSchedule: "rate(1 minutes)" },
            /^warmerSchedule: "rate\(1 minutes\)" is not valid: rate\(1 minutes\) must be singular: rate\(1 minute\)$/,
        ],
        ["a key in the wrong case", { NAT: "gateway" }, /^NAT: is not a setting of this program; did you mean nat\?/],
        ["toString is not a setting", { toString: "x" }, /^toString: is not a setting of this program/],
        ["constructor is not a setting", { constructor: "x" }, /^constructor: is not a setting of this program/],
        [
            "a cron day AWS refuses",
            { warmerSchedule: "cron(0 12 L-40 * ? *)" },
            /^warmerSchedule: "cron\(0 12 L-40 \* \? \*\)" is not valid: cron day-of-month "L-40"/,
        ],
        [
            "a cron no date matches",
            { warmerSchedule: "cron(0 0 30 2 ? *)" },
            /^warmerSchedule: "cron\(0 0 30 2 \? \*\)" is not valid: never fires: no date has that day-of-month/,
        ],
        [
            "a cron of past years only",
            { warmerSchedule: "cron(0/5 * * * ? 2020-2024)" },
            /^warmerSchedule: "cron\(0\/5 \* \* \* \? 2020-2024\)" names only past years: the warmer would never run/,
        ],
    ])("rejects %s", (_label, overrides, message) => {
        const problems = problemsOf(raw(overrides));
        expect(
            problems.some((p) => message.test(p)),
            `problems were:\n${problems.join("\n")}`,
        ).toBe(true);
    });

    it("never echoes the API key, even when it is malformed", () => {
        const key = "secret-api-key-with a space";
        const problems = problemsOf(raw({ aligoApiKey: key }));
        expect(problems).toEqual([expect.stringMatching(/^aligoApiKey: contains whitespace/)]);
        expect(problems.join("\n")).not.toContain("secret-api-key");
    });

    it("reports every problem at once, not just the first", () => {
        const problems = problemsOf(raw({ nat: "nat-gw", azCount: "9", natImage: "ubuntu" }));
        expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(["azCount", "nat", "natImage"]);
    });

    it("__proto__ as a key is refused, not taken for a known one", () => {
        const r = raw();
        Object.defineProperty(r, "__proto__", { value: "x", enumerable: true, configurable: true, writable: true });
        expect(problemsOf(r)).toContainEqual(expect.stringMatching(/^__proto__: is not a setting of this program/));
    });

    it("egressIpStandby false with one address of your own is consistent", () => {
        expect(
            parseConfig(raw({ egressIpStandby: "false", egressIpAllocationIds: '["eipalloc-11111111"]' })).config,
        ).toMatchObject({ egressIpStandby: false });
    });

    it.each([
        ["instance", true, true],
        ["gateway", true, true],
        ["none", true, false],
        ["instance", false, false],
    ] as const)("warmer with nat=%s and warmerEnabled=%s fires: %s", (nat, warmerEnabled, active) => {
        expect(warmerActive({ nat, warmerEnabled })).toBe(active);
    });

    it("says nothing was created in the error's headline", () => {
        expect(() => parseConfig(raw({ nat: "x" }))).toThrow(
            /^Invalid stack configuration \(nothing was created or changed\):\n {2}- nat: "x"/,
        );
    });
});
