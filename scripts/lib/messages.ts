// What the commands say on a wrong command line, in their help, when a deployed stack's outputs
// cannot be read, and when all went well: one place for the wording, so the code that decides stays
// short.
import type { FunctionAnswer } from "./ops";

/** Usage errors (exit 2, one line on stderr after `usage: `). */
export const USAGE = {
    notAStackName: (given: string, forms: string) =>
        `--stack ${JSON.stringify(given)} is not a stack name: ${forms}, ` +
        `each part letters, digits, "-", "_" or "."`,
    otherProject: (given: string, project: string, ours: string, forms: string) =>
        `--stack ${JSON.stringify(given)} names the project ${JSON.stringify(project)}, ` +
        `but this one is ${JSON.stringify(ours)}: ${forms}`,
    stackForms: (project: string) => `a stack is STACK, ORG/STACK or ORG/${project}/STACK`,
    noStacks: "none yet (create one with `pulumi stack init dev`)",
    noCli: (list: string) =>
        "--stack is required (the Pulumi CLI is not installed, so there is no selected stack to default to); " +
        `stacks here: ${list}`,
    noSelection: (list: string) => `--stack is required (no stack is selected in the Pulumi CLI); stacks here: ${list}`,
    unknownStack: (ref: string, guess: string | undefined, list: string) =>
        `unknown stack ${JSON.stringify(ref)}${guess ? ` (did you mean ${guess}?)` : ""}; ` +
        `stacks here (each has a Pulumi.<stack>.yaml): ${list}`,
    repeated: (name: string, given: string[]) =>
        `--${name} is given ${given.length} times (${given.map((v) => JSON.stringify(v)).join(", ")}); give it once`,
    required: (name: string, help: string) => `--${name} is required: ${help}`,
    notAChoice: (name: string, raw: string, choices: readonly string[], guess: string | undefined) =>
        `--${name} ${JSON.stringify(raw)} is not one of ${choices.join(", ")}${guess ? ` (did you mean ${guess}?)` : ""}`,
    notANumber: (name: string, raw: string, rule: { min: number; integer?: boolean }) =>
        `--${name} ${JSON.stringify(raw)} is not ${rule.integer ? "a whole number" : "a number"} of at least ${rule.min}`,
    unexpected: (word: string, meant: string | undefined) =>
        `unexpected argument ${JSON.stringify(word)}; options start with --${meant ? ` (did you mean ${meant}?)` : ""}`,
    unknownOption: (flag: string, guess: string | undefined) =>
        `unknown option ${flag}${guess ? `; did you mean --${guess}?` : ""} (--help lists the options)`,
    takesNoValue: (name: string) => `--${name} takes no value`,
    needsValue: (name: string, value: string) => `--${name} needs a value (${value})`,
    needsDashValue: (name: string, value: string) =>
        `--${name} needs a value (${value}); one that starts with "-" is written --${name}=VALUE`,
};

/** The help texts' prose: what each command does (options have their own one-line help). */
export const SUMMARY = {
    plan:
        "Offline plan of a stack, without the Pulumi CLI or AWS: the resources the program would create " +
        "(its real graph, run under Pulumi's mocks), the monthly cost of each NAT strategy side by side, " +
        "and a diagram. --json prints one JSON document and nothing else.",
    smoke:
        "Checks a deployed stack from this machine: the SMS function leaves from one of the stack's egressIps, " +
        "and Aligo accepts it (its balance). On failure it says why, local causes (credentials, network) first. " +
        "Exit 0 only when all is well. Needs AWS credentials that may invoke the function, and the stack's " +
        "outputs (from the Pulumi CLI, or a file).",
    send:
        "Sends one SMS or LMS through the deployed SMS function. A failure says whether the message certainly " +
        'did not go out ("Not sent") or may have ("May have been sent": check with the list command before ' +
        "sending again).",
    remain: "Asks Aligo, through the deployed SMS function, how many messages the account can still send.",
    list:
        "Aligo's recent messages (its /list/ call, through the deployed SMS function): when each was registered, " +
        "its id, type, how many receivers and how many failed, and the start of its text; phone numbers masked. " +
        "With --mid, the receivers of one message and the state of each. Check here before sending again after " +
        "a send that may have gone out.",
    bench:
        "Measures the SMS function against its goals, next to a handler on aligoapi (Aligo's own module): " +
        "bundle size, cold init + first call, warm call time as a ratio to a bare undici request; medians, " +
        "each measurement in a fresh Node process against a fake Aligo on 127.0.0.1. " +
        "Progress goes to stderr, figures to stdout.",
    adversarial:
        "Runs the built bundles of the SMS function and the warmer (esbuild, as deployed) in child Node processes " +
        "against fake upstreams on 127.0.0.1, through families of adversarial cases: bad events (refused before " +
        "any request), upstream faults (answered inside the deadline with an honest maybeSent), thousands of sends " +
        "with faults mixed in (none sent twice), a search of every answer and log line for the API key, the user " +
        "id and phone numbers, and a failing or hanging target for the warmer. One line per family on stdout, " +
        "progress on stderr; exit 1 on any problem.",
};

/** Option help longer than a line. */
export const OPTION_HELP = {
    stack:
        "the stack, one that has a Pulumi.<stack>.yaml here; " +
        "default: the Pulumi CLI's selected stack (`pulumi stack select`)",
    outputsFile: "the stack's outputs as `pulumi stack output --json` prints them; default: asked of the Pulumi CLI",
};

/** Failures to read a deployed stack's outputs (exit 1, `error: ` on stderr). */
export const OUTPUTS = {
    noCli: (stack: string) =>
        "the Pulumi CLI is not on PATH; install it, or pass --outputs-file FILE with the JSON of " +
        `\`pulumi stack output --json --stack ${stack}\``,
    notDeployed: (stack: string) => `the stack has no smsFunctionName output; run \`pulumi up --stack ${stack}\` first`,
};

/** Aligo's balance, as remain and smoke print it. */
export const balanceText = (r: FunctionAnswer) => `SMS ${r.SMS_CNT}, LMS ${r.LMS_CNT}, MMS ${r.MMS_CNT}`;

/** What the commands print when all went well. */
export const REPORT = {
    balance: (r: FunctionAnswer) => `Aligo balance (messages you can still send): ${balanceText(r)}\n`,
    sent: (test: boolean, r: FunctionAnswer, shown: string, bytes: number) =>
        `${test ? "Test-mode send accepted (nothing delivered, nothing billed)" : "Sent"}: ` +
        `msg_id ${r.msg_id} to ${shown}; ${r.msg_type}, ${bytes} bytes; ` +
        `${r.success_cnt} accepted, ${r.error_cnt} failed.\n`,
};
