// `pulumi preview --policy-pack policy` (run `npm ci` at the repository root first: the pack
// resolves @pulumi/policy from the root's node_modules).
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("aligo-sms", { policies });
