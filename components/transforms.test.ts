// Pulumi's `transforms` resource option on both components: the escape hatch for what the arguments
// do not offer. A transform given to a component runs for the component and for every resource
// registered under it (the engine walks each resource's parents; testing/transforms.ts applies them
// the same way under the mocks), so it can change any child's inputs. Each test runs the same
// components without the transform too: the change is the transform's, not the component's.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { handWrittenNatArgs, runComponents } from "../testing/components";
import { runWithTransforms } from "../testing/transforms";
import { Nat, NatStrategy, type NatArgs } from "./nat";
import { Network } from "./network";

const natArgs: NatArgs = handWrittenNatArgs(NatStrategy.Instance);

/**
 * Lets a T-class NAT instance burst past its CPU baseline (EC2 bills the surplus credits): the
 * component launches T types with standard credits and has no argument for it.
 */
const standardCredits: pulumi.ResourceTransform = (args) =>
    args.type === "aws:ec2/instance:Instance"
        ? { props: { ...args.props, creditSpecification: { cpuCredits: "unlimited" } }, opts: args.opts }
        : undefined;

/** Adds a tag to every child that takes tags (the ones the component tags already). */
const costCenter: pulumi.ResourceTransform = (args) =>
    args.custom && args.props.tags !== undefined
        ? { props: { ...args.props, tags: { ...args.props.tags, "cost-center": "sms" } }, opts: args.opts }
        : undefined;

describe("the transforms resource option", () => {
    it("on Nat: a transform changes the NAT instance's creditSpecification; nothing else changes", async () => {
        const plain = await runComponents(() => new Nat("egress", natArgs));
        const r = await runWithTransforms(() => new Nat("egress", natArgs, { transforms: [standardCredits] }));
        expect(plain.error).toBeUndefined();
        expect(r.error).toBeUndefined();
        const [before] = plain.ofType("aws:ec2/instance:Instance");
        const [after] = r.ofType("aws:ec2/instance:Instance");
        expect(before.inputs.creditSpecification).toEqual({ cpuCredits: "standard" });
        expect(after.inputs.creditSpecification).toEqual({ cpuCredits: "unlimited" });
        expect({ ...after.inputs, creditSpecification: before.inputs.creditSpecification }).toEqual(before.inputs);
        // The same resources (registered in another order: a transform is asynchronous), with the same inputs but for the instance's.
        const others = (run: typeof plain) =>
            run.resources
                .filter((x) => x.custom && x.type !== "aws:ec2/instance:Instance")
                .map((x) => ({ name: x.name, inputs: x.inputs }))
                .sort((a, b) => a.name.localeCompare(b.name));
        expect(others(r)).toEqual(others(plain));
        // The engine ran it for the component itself first, then for each child under it.
        expect(r.transformCalls[0]).toEqual({ type: "aligo-sms:index:Nat", name: "egress" });
        expect(r.transformCalls.map((c) => c.name)).toContain(after.name);
    });

    it("on Network: a transform adds a tag to every child that has tags, and only to them", async () => {
        const plain = await runComponents(() => new Network("net", { azCount: 2 }));
        const r = await runWithTransforms(() => new Network("net", { azCount: 2 }, { transforms: [costCenter] }));
        expect(plain.error).toBeUndefined();
        expect(r.error).toBeUndefined();
        const tagged = (run: typeof plain) => run.resources.filter((x) => x.custom && x.inputs.tags !== undefined);
        expect(tagged(plain).length).toBeGreaterThanOrEqual(6); // the VPC, its gateway, subnets and route tables
        expect(tagged(plain).filter((x) => x.inputs.tags["cost-center"] !== undefined)).toEqual([]);
        const names = (run: typeof plain) =>
            tagged(run)
                .map((x) => x.name)
                .sort();
        expect(names(r)).toEqual(names(plain));
        for (const x of tagged(r))
            expect(x.inputs.tags, x.name).toMatchObject({ "cost-center": "sms", Name: expect.any(String) });
        // A child without tags (a route table association) is left as it was.
        const untagged = (run: typeof plain) =>
            run.resources
                .filter((x) => x.custom && x.inputs.tags === undefined)
                .map((x) => ({ name: x.name, inputs: x.inputs }))
                .sort((a, b) => a.name.localeCompare(b.name));
        expect(untagged(r).length).toBeGreaterThan(0);
        expect(untagged(r)).toEqual(untagged(plain));
    });
});
