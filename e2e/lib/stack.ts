// An e2e stack of the project: created in the workspace's file backend, configured for the emulator
// (the AWS provider's endpoints, test keys, the skip* switches) and with harmless Aligo settings.
// These settings exist only in the workspace's stack files, never in Pulumi.dev.yaml or
// Pulumi.prod.yaml.
import { pulumi, type Workspace } from "./workspace";

/** The services the program's deployment calls, each pointed at the emulator (aws:endpoints). */
const SERVICES = ["ec2", "iam", "sts", "lambda", "ssm", "logs", "cloudwatch", "events", "sns", "servicequotas"];

export interface Stack {
    name: string;
    ws: Workspace;
    /** A Pulumi command on this stack. */
    run(args: string[], okCodes?: number[]): Promise<{ code: number; stdout: string; stderr: string }>;
    /** Sets one project setting (`pulumi config set`). */
    set(key: string, value: string): Promise<void>;
    /** The stack's outputs (`pulumi stack output --json --show-secrets`). */
    outputs(): Promise<Record<string, unknown>>;
}

/** Creates stack `name` with the emulator's provider settings and `settings` (project keys). */
export async function createStack(ws: Workspace, name: string, settings: Record<string, string>): Promise<Stack> {
    const stack: Stack = {
        name,
        ws,
        run: (args, okCodes) => pulumi(ws, [...args, "--stack", name], { okCodes }),
        set: async (key, value) => void (await pulumi(ws, ["config", "set", key, value, "--stack", name])),
        outputs: async () =>
            JSON.parse(
                (await pulumi(ws, ["stack", "output", "--json", "--show-secrets", "--stack", name])).stdout,
            ) as Record<string, unknown>,
    };
    await pulumi(ws, ["stack", "init", name]);
    const plain: Record<string, string> = {
        "aws:region": "ap-northeast-2",
        "aws:accessKey": "testing",
        "aws:skipCredentialsValidation": "true",
        "aws:skipMetadataApiCheck": "true",
        "aws:skipRegionValidation": "true",
        "aws:skipRequestingAccountId": "true",
        aligoUserId: "e2e",
        aligoSender: "0212345678",
        ...settings,
    };
    for (const [key, value] of Object.entries(plain)) await stack.set(key, value);
    await pulumi(ws, ["config", "set", "--secret", "aws:secretKey", "testing", "--stack", name]);
    await pulumi(ws, ["config", "set", "--secret", "aligoApiKey", "e2e-key-0123456789abcdef", "--stack", name]);
    for (const service of SERVICES) {
        await pulumi(ws, ["config", "set", "--path", `aws:endpoints[0].${service}`, ws.endpoint, "--stack", name]);
    }
    return stack;
}
