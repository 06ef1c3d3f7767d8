// In the repository: `pulumi preview --policy-pack policy` after `npm ci` at the root (the pack's
// dependencies resolve from the root's node_modules). Alone: `cd policy && npm ci && pulumi policy
// publish`, with the dependencies of its own package.json; nothing here imports from outside policy/.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("aligo-sms", { policies });
