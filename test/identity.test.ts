// The deploy-time waits call AWS as the AWS provider is configured to (issue 19, item 6): the
// stack's aws: identity reaches both waits as a secret input, a wrong setting stops the program
// before anything is registered, naming the key, and no key ever sits in a plain input.
import { describe, expect, it } from "vitest";
import { runProgram, type RunResult } from "./harness";

const KEYS = { "aws:accessKey": "AKIAIOSFODNN7EXAMPLE", "aws:secretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const ROLES = JSON.stringify([
    { roleArn: "arn:aws:iam::111111111111:role/hop", sessionName: "ci" },
    { roleArn: "arn:aws:iam::222222222222:role/deployer", externalId: "ext-42", duration: "30m" },
]);

const ok = async (opts: Parameters<typeof runProgram>[0]): Promise<RunResult> => {
    const r = await runProgram(opts);
    if (r.error) throw r.error;
    return r;
};

describe("the waits' AWS identity", () => {
    it("is the stack's: keys and a chain of roles reach the NAT gate and the interface wait as a secret, and no plain input holds a key", async () => {
        const r = await ok({
            stack: "dev",
            config: { ...KEYS, "aws:assumeRoles": ROLES },
            secrets: ["aws:secretKey"],
        });
        const gate = r.resources.find((x) => x.type === "pulumi-nodejs:dynamic:NatReadiness")!;
        const release = r.byName("functions-lambda-eni-release");
        for (const wait of [gate, release]) {
            expect(wait.inputs.identity, wait.name).toEqual({
                ...{ accessKey: KEYS["aws:accessKey"], secretKey: KEYS["aws:secretKey"] },
                assumeRoles: JSON.parse(ROLES),
            });
            expect(wait.secretInputs, wait.name).toEqual(["identity"]);
        }
        for (const res of r.resources) {
            const plain = Object.fromEntries(
                Object.entries(res.inputs).filter(([k]) => !res.secretInputs.includes(k) && k !== "__provider"),
            );
            expect(JSON.stringify(plain), res.name).not.toContain(KEYS["aws:secretKey"]);
            expect(JSON.stringify(plain), res.name).not.toContain(KEYS["aws:accessKey"]);
        }
    });

    it.each([
        [
            "the AWS provider 6.x name aws:assumeRole",
            { "aws:assumeRole": JSON.stringify({ roleArn: "arn:aws:iam::111111111111:role/x" }) },
            /aws:assumeRole: is the AWS provider's 6\.x name, which pulumi-aws 7 no longer reads; move the role to the list aws:assumeRoles/,
        ],
        [
            "an access key without its secret",
            { "aws:accessKey": KEYS["aws:accessKey"] },
            /aws:secretKey: is missing: an access key needs its secret key/,
        ],
        [
            "a role that is not an ARN",
            { "aws:assumeRoles": JSON.stringify([{ roleArn: "deployer" }]) },
            /aws:assumeRoles\[0\]\.roleArn: is "deployer"; expected a role ARN/,
        ],
        [
            "a session longer than STS gives",
            { "aws:assumeRoles": JSON.stringify([{ roleArn: "arn:aws:iam::111111111111:role/x", duration: "13h" }]) },
            /aws:assumeRoles\[0\]\.duration: is "13h"; expected 15 minutes to 12 hours/,
        ],
    ])("%s is refused before anything is registered, naming the key", async (_what, config, message) => {
        const r = await runProgram({ stack: "dev", config });
        expect(r.error?.message).toMatch(message);
        expect(r.resources).toEqual([]);
    });

    it("a web identity in the stack's config is warned about: the waits cannot follow it", async () => {
        const r = await ok({
            stack: "prod",
            config: {
                "aws:assumeRoleWithWebIdentity": JSON.stringify({ roleArn: "arn:aws:iam::111111111111:role/x" }),
            },
        });
        expect(r.warnings).toEqual(
            expect.arrayContaining([
                expect.stringMatching(
                    /^aws:assumeRoleWithWebIdentity is set: the AWS provider uses it, but the deploy-time waits do not/,
                ),
            ]),
        );
    });
});
