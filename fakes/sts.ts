// A fake AWS STS for the deploy-time waits' identity: AssumeRole over the query protocol (a form
// body, an XML answer, as the SDK's STS client speaks it; STS API reference, AssumeRole, read
// 2026-12-07), reached through AWS_ENDPOINT_URL_STS. Every request's SigV4 signature is checked
// against the credentials that exist: the base ones it is given and every set it has issued, so a
// chain of roles works only if each AssumeRole is signed with the credentials of the step before.
import type { IncomingMessage, ServerResponse } from "node:http";
import { FakeEndpoint } from "./endpoint";
import { signedBy, TEST_CREDENTIALS, type FakeCredentials } from "./sigv4";

/** Who may assume a role: the access key ids of the callers allowed, and the external id its trust policy asks for. */
export interface FakeRole {
    /** Access key ids allowed to assume it (a base key, or one this fake issued for another role). */
    callers: (caller: FakeCredentials) => boolean;
    externalId?: string;
}

/** One AssumeRole call as it arrived. */
export interface StsCall {
    roleArn: string;
    sessionName: string;
    externalId?: string;
    durationSeconds?: number;
    /** The access key id that signed it; undefined when no known credentials did. */
    signer?: string;
}

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export class FakeSts extends FakeEndpoint {
    readonly calls: StsCall[] = [];
    /** Roles that exist, by ARN. */
    readonly roles = new Map<string, FakeRole>();
    /** Credentials issued, with the role each is a session of. */
    readonly issued: (FakeCredentials & { roleArn: string })[] = [];
    /** The credentials that exist before any role is assumed. */
    base: FakeCredentials[] = [TEST_CREDENTIALS];

    reset(): void {
        this.releaseHung();
        this.server?.closeAllConnections();
        this.calls.length = 0;
        this.roles.clear();
        this.issued.length = 0;
        this.base = [TEST_CREDENTIALS];
    }

    /** The credentials issued for sessions of `roleArn`. */
    issuedFor(roleArn: string): FakeCredentials[] {
        return this.issued.filter((c) => c.roleArn === roleArn);
    }

    protected async handle(req: IncomingMessage, res: ServerResponse) {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks);
        const p = Object.fromEntries(new URLSearchParams(body.toString("utf8")));
        const signer = await signedBy(req, body, "sts", [...this.base, ...this.issued]);
        if (p.Action !== "AssumeRole")
            return this.error(res, 400, "InvalidAction", `Could not find operation ${p.Action}`);
        const call: StsCall = {
            roleArn: p.RoleArn,
            sessionName: p.RoleSessionName,
            externalId: p.ExternalId,
            durationSeconds: p.DurationSeconds ? Number(p.DurationSeconds) : undefined,
            signer: signer?.accessKeyId,
        };
        this.calls.push(call);
        if (!signer)
            return this.error(
                res,
                403,
                "InvalidClientTokenId",
                "The security token included in the request is invalid.",
            );
        const role = this.roles.get(p.RoleArn);
        const caller = `arn:aws:iam::000000000000:user/${signer.accessKeyId}`;
        if (!role || !role.callers(signer) || (role.externalId !== undefined && role.externalId !== p.ExternalId))
            return this.error(
                res,
                403,
                "AccessDenied",
                `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${p.RoleArn}`,
            );
        const n = this.issued.length + 1;
        const creds = {
            accessKeyId: `ASIAFAKE${String(n).padStart(12, "0")}`,
            secretAccessKey: `fake/secret/for/session/${n}/of/${p.RoleArn.split("/").pop()}`,
            sessionToken: `FwoGZXIvYXdzEFAKE//session${n}==`,
            roleArn: p.RoleArn,
        };
        this.issued.push(creds);
        const expiration = new Date(Date.now() + (call.durationSeconds ?? 3600) * 1000).toISOString();
        res.writeHead(200, { "content-type": "text/xml" }).end(
            `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
                `<Credentials><AccessKeyId>${creds.accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(creds.secretAccessKey)}</SecretAccessKey>` +
                `<SessionToken>${xmlEscape(creds.sessionToken)}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
                `<AssumedRoleUser><Arn>${xmlEscape(p.RoleArn.replace(":iam:", ":sts:").replace(":role/", ":assumed-role/"))}/${xmlEscape(p.RoleSessionName)}</Arn>` +
                `<AssumedRoleId>AROAFAKE${n}:${xmlEscape(p.RoleSessionName)}</AssumedRoleId></AssumedRoleUser>` +
                `</AssumeRoleResult><ResponseMetadata><RequestId>fake-sts-${n}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
    }

    private error(res: ServerResponse, status: number, code: string, message: string) {
        res.writeHead(status, { "content-type": "text/xml" }).end(
            `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code>` +
                `<Message>${xmlEscape(message)}</Message></Error><RequestId>fake-sts-error</RequestId></ErrorResponse>`,
        );
    }
}
