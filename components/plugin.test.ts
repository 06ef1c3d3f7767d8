// The package's plugin started the way Pulumi starts a source-based Node.js plugin: Pulumi's own
// runner (@pulumi/pulumi cmd/run-plugin, which registers ts-node and requires the package folder,
// i.e. package.json "main") in a child process, from the package's folder, with no AWS credentials
// in its environment. Over gRPC, as the engine would: its version, and the readiness gate created
// with a secret identity against a fake EC2 on 127.0.0.1. Its schema is not asked for here: that is
// a second inference of the package (about 15 s of CPU); the provider's getSchema is Pulumi's
// component host's (components/hosted-gate.test.ts), and what that host infers is
// components/schema.test.ts's.
import { spawn, type ChildProcess } from "node:child_process";
import { dirname } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeEc2ForTests } from "../fakes/ec2";
import { TEST_REGION } from "../fakes/sigv4";

/* eslint-disable @typescript-eslint/no-require-imports -- Pulumi's generated gRPC stubs and grpc-js, loaded from @pulumi/pulumi's own dependencies */
const SDK = dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [SDK] }));
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [SDK] }));
const { Empty } = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [SDK] }));
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const PACKAGE_DIR = __dirname;
// The package's own @pulumi/pulumi when its dependencies are installed (as Pulumi does), else the
// repository's (the same version; a clean clone after the root's `npm ci` has only that one).
const RUN_PLUGIN = dirname(require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [PACKAGE_DIR] }));
const ID = "i-0123456789abcdef0";
const URN = `urn:pulumi:dev::consumer::aligo-sms:index:Nat$aligo-sms:index:NatReadiness::egress-instance-72f5744d-ready`;
const KEYS = { accessKeyId: "AKIDPLUGINIDENTITY01", secretAccessKey: "plugin/identity/secret/for/tests" };
const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });

const { ec2 } = fakeEc2ForTests({ beforeAll, afterAll, beforeEach });
let child: ChildProcess | undefined;
let client: any;
let stderr = "";

/** One unary call, as a promise. */
function call<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) =>
        client[method](request, (err: Error | null, resp: T) => (err ? reject(err) : resolve(resp))),
    );
}

beforeAll(async () => {
    // What Pulumi's language host runs for the plugin: its runner, given the package's folder.
    // ts-node type-checks every file it loads (cmd/run-plugin/run.js: tsn.register({ typeCheck: true })),
    // about 20 s of CPU, hence the generous wait on a busy machine.
    child = spawn(process.execPath, [RUN_PLUGIN, PACKAGE_DIR], {
        cwd: PACKAGE_DIR,
        env: {
            PATH: process.env.PATH,
            AWS_ENDPOINT_URL_EC2: process.env.AWS_ENDPOINT_URL_EC2,
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_CONFIG_FILE: "/nonexistent/aws-config",
            AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
        },
        stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr!.on("data", (d) => (stderr += String(d)));
    const port = await new Promise<string>((resolve, reject) => {
        let out = "";
        child!.stdout!.on("data", (d) => {
            out += String(d);
            const line = /^(\d+)\n/.exec(out);
            if (line) resolve(line[1]);
        });
        child!.on("exit", (code) => reject(new Error(`the plugin exited ${code} before printing its port: ${stderr}`)));
    });
    client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 120_000);

afterAll(() => {
    client?.close();
    if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid);
});

describe("the package's plugin, started by Pulumi's runner", () => {
    it("prints its port and answers with the package's version", async () => {
        const info = await call<{ getVersion(): string }>("getPluginInfo", new Empty());
        expect(info.getVersion()).toBe("0.2.0");
    });

    it("creates the readiness gate with a secret identity: EC2 is called as it, and it is not in the outputs", async () => {
        ec2.accepts = () => [KEYS];
        ec2.instances.set(ID, [{ state: "running", instance: "ok", system: "ok" }]);
        const req = new provproto.CreateRequest();
        req.setUrn(URN);
        req.setProperties(
            Struct.fromJavaScript({
                instanceId: ID,
                region: TEST_REGION,
                identity: secret({ accessKey: KEYS.accessKeyId, secretKey: KEYS.secretAccessKey }),
                timeoutSeconds: 60,
            }),
        );
        const resp = await call<{ getId(): string; getProperties(): { toJavaScript(): Record<string, unknown> } }>(
            "create",
            req,
        );
        expect(resp.getId()).toBe(`${ID}-ready`);
        const outs = resp.getProperties().toJavaScript();
        expect(outs).toMatchObject({ instanceId: ID, region: TEST_REGION, readings: 1 });
        expect(JSON.stringify(outs)).not.toContain(KEYS.secretAccessKey);
        expect(ec2.requests.map((q) => q.accessKeyId)).toEqual([KEYS.accessKeyId]);
    });
});
