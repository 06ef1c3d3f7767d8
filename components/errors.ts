import * as pulumi from "@pulumi/pulumi";
import { describeProblems, type Problem } from "./rules";

/**
 * Throws Pulumi's input-property error when there are problems: one entry per property, each
 * naming it and saying what to do. Under `pulumi package add` the engine shows them per property;
 * in a TypeScript program the message lists them.
 */
export function inputErrors(what: string, problems: Problem[]): void {
    if (problems.length === 0) return;
    throw new pulumi.InputPropertiesError({
        message: `${what}: invalid arguments:\n${describeProblems(problems).map((l) => `  - ${l}`).join("\n")}`,
        errors: problems.map((p) => ({ propertyPath: p.path, reason: p.reason })),
    });
}
