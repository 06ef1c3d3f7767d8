import { describe, expect, it } from "vitest";
import { familyOfImageName, imageLookupFailed, instanceArchitecture, profileFor } from "./images";
import { addressCount, egressPlan, instanceGeneration, sharesOneAddress } from "./nat-plan";

describe("instanceArchitecture", () => {
    it.each([
        ["t4g.nano", "arm64"],
        ["m7gd.large", "arm64"],
        ["c7gn.medium", "arm64"],
        ["r8g.xlarge", "arm64"],
        ["x2gd.large", "arm64"],
        ["im4gn.large", "arm64"],
        ["a1.medium", "arm64"],
        ["g5g.xlarge", "arm64"],
        ["t3.micro", "x86_64"],
        ["t3a.nano", "x86_64"],
        ["t2.micro", "x86_64"],
        ["g4dn.xlarge", "x86_64"],
        ["m5.2xlarge", "x86_64"],
        ["c6i.large", "x86_64"],
        ["p5.48xlarge", "x86_64"],
    ])("%s is %s", (type, arch) => expect(instanceArchitecture(type)).toBe(arch));
});

describe("image profiles", () => {
    it.each([
        ["amzn-ami-vpc-nat-2018.03.0.20230807.0-x86_64-ebs", "amzn-ami-vpc-nat", "optional", false],
        ["fck-nat-al2023-hvm-1.3.0-20240125-arm64-ebs", "fck-nat", "required", false],
        ["al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64", "al2023", "required", true],
        ["my-own-nat", "custom", "required", false],
    ])("%s → %s, IMDS tokens %s, user data %s", (name, family, tokens, userData) => {
        expect(familyOfImageName(name)).toBe(family);
        const p = profileFor({ id: "ami-12345678", name, architecture: "x86_64" }, "sel");
        expect(p.httpTokens).toBe(tokens);
        expect(p.userData !== undefined).toBe(userData);
    });

    it("marks the end-of-life image", () => {
        expect(
            profileFor({ id: "ami-12345678", name: "amzn-ami-vpc-nat-x", architecture: "x86_64" }, "sel").endOfLife,
        ).toBe("2023-12-31");
    });
});

describe("egress planning", () => {
    it.each([
        [undefined, { kind: "allocate", standby: true }],
        [[], { kind: "allocate", standby: true }],
        [["eipalloc-a"], { kind: "byo", gateway: "eipalloc-a", instance: "eipalloc-a", shared: true }],
        [["eipalloc-a", "eipalloc-b"], { kind: "byo", gateway: "eipalloc-a", instance: "eipalloc-b", shared: false }],
    ])("%j → %j", (ids, plan) => expect(egressPlan(ids)).toEqual(plan));

    it.each([
        [undefined, true, false, 2],
        [undefined, false, true, 1],
        [["eipalloc-a"], true, true, 1],
        [["eipalloc-a", "eipalloc-b"], true, false, 2],
    ])("ids %j, standby %s: one shared address %s, %i addresses billed", (ids, standby, shared, count) => {
        const plan = egressPlan(ids, standby);
        expect(sharesOneAddress(plan)).toBe(shared);
        expect(addressCount(plan)).toBe(count);
    });
});

describe("instance generations", () => {
    const base = {
        selector: "amzn-ami-vpc-nat/x86_64",
        refresh: "",
        spec: {
            instanceType: "t3.nano",
            sourceDestCheck: false,
            associatePublicIpAddress: true,
            keyName: undefined,
            creditSpecification: { cpuCredits: "standard" },
            rootBlockDevice: { volumeType: "gp3", volumeSize: 8, encrypted: true, deleteOnTermination: true },
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional", httpPutResponseHopLimit: 1 },
            userData: undefined,
            userDataReplaceOnChange: true,
        } as Record<string, unknown>,
    };

    it("is 8 hex characters and the same for the same inputs", () => {
        expect(instanceGeneration(base)).toMatch(/^[0-9a-f]{8}$/);
        expect(instanceGeneration(structuredClone(base))).toBe(instanceGeneration(base));
    });

    it("changes with the selector, the refresh, and every input of the instance", () => {
        const seen = new Set([instanceGeneration(base)]);
        const variants = [
            { ...base, selector: "fck-nat/x86_64" },
            { ...base, refresh: "2026-11-25" },
            ...Object.keys(base.spec).map((k) => ({ ...base, spec: { ...base.spec, [k]: `changed-${k}` } })),
        ];
        for (const v of variants) seen.add(instanceGeneration(v));
        expect(seen.size).toBe(variants.length + 1);
    });
});

describe("imageLookupFailed: only an empty answer is 'not found'", () => {
    const choose = (v: string) => `natImage ${v}`;
    it("no results: the family, CPU, region and the alternatives", () => {
        const text = imageLookupFailed(
            { kind: "family", family: "fck-nat" },
            "arm64",
            "ap-northeast-2",
            "invoking aws:ec2/getAmi:getAmi: 1 error occurred: Your query returned no results. Please change your search criteria and try again.",
            choose,
        );
        expect(text).toMatch(
            /^no "fck-nat" image for arm64 found in ap-northeast-2 .*Choose another image: natImage al2023, or pin one you know exists in ap-northeast-2 with natImage ami-…$/,
        );
    });

    it("a refused or failed call is told as it is, without image advice", () => {
        const denied =
            "invoking aws:ec2/getAmi:getAmi: 1 error occurred: reading EC2 AMIs: operation error EC2: DescribeImages, api error UnauthorizedOperation: You are not authorized to perform this operation.";
        for (const image of [
            { kind: "family", family: "al2023" } as const,
            { kind: "ami", id: "ami-0123456789abcdef0" } as const,
        ]) {
            const text = imageLookupFailed(image, "x86_64", "ap-northeast-2", denied, choose);
            expect(text).toMatch(
                /^the image look-up for "(al2023|ami-0123456789abcdef0)" \(x86_64\) in ap-northeast-2 failed: .*UnauthorizedOperation/,
            );
            expect(text).not.toMatch(/Choose another|not found|differ per region/);
        }
    });
});
