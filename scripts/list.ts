// npm run -s list -- [--stack dev] [--days N] [--page N] [--mid ID] [--outputs-file FILE]
// Aligo's recent messages, or the receivers of one, through the deployed SMS function: what to check
// before sending again after a send that "may have been sent".
import { maskPhones } from "../functions/shared/echo";
import { command, runAsScript, type CommandSpec } from "./lib/args";
import type { OpsContext } from "./lib/diagnose";
import { explainFailure } from "./lib/explain";
import { SUMMARY } from "./lib/messages";
import { clientFor, deployedFunction, invoke, opsContext, OpsError, OUTPUTS_FILE_OPTION } from "./lib/ops";

const spec: CommandSpec = {
    name: "list",
    summary: SUMMARY.list,
    stack: true,
    options: {
        days: {
            type: "string",
            value: "N",
            number: { min: 1, integer: true },
            help: "only the last N days (Aligo's limit_day; Aligo's default when not given)",
        },
        page: {
            type: "string",
            value: "N",
            number: { min: 1, integer: true },
            help: "the page of results (30 a page)",
        },
        mid: {
            type: "string",
            value: "ID",
            help: "one message's receivers and their states (the id the list and a send print)",
        },
        "outputs-file": OUTPUTS_FILE_OPTION,
    },
    examples: [
        "npm run -s list -- --stack dev",
        "npm run -s list -- --stack prod --days 1",
        "npm run -s list -- --stack prod --mid 583009869",
    ],
};

/** A message in Aligo's /list/ answer, as far as it is shown. */
interface ListedMessage {
    mid?: string | number;
    type?: string;
    sms_count?: string | number;
    fail_count?: string | number;
    reg_date?: string;
    reserve_state?: string;
    reserve?: string;
    sender?: string | number;
    msg?: string | number;
}

/** A receiver in Aligo's /sms_list/ answer (one message's receivers), as far as it is shown. */
interface ListedReceiver {
    receiver?: string | number;
    sms_state?: string;
    type?: string;
    reg_date?: string;
    send_date?: string;
    reserve_date?: string;
}

/** What the command was asked for, and how to ask for more. */
interface Query {
    days?: number;
    page?: number;
    /** The same command again with `extra` arguments, complete. */
    again: (extra: string) => string;
}

/** At most this many characters of a message's text. */
const TEXT_CHARS = 40;
const clip = (text: string | number | undefined) => {
    const masked = maskPhones(String(text ?? "")).replace(/\s+/g, " ");
    return masked.length <= TEXT_CHARS ? masked : `${masked.slice(0, TEXT_CHARS)}…`;
};
/** A number as it may be shown: masked wherever it sits. */
const phone = (n: string | number | undefined) => maskPhones(String(n ?? ""));

function receiverLines(mid: string, rows: ListedReceiver[], more: boolean, q: Query): string[] {
    const onPage = q.page ? ` (page ${q.page})` : "";
    const out = [
        rows.length
            ? `Receivers of message ${mid}${onPage}:`
            : `Aligo lists no receivers for message ${mid}${q.page ? ` on page ${q.page}` : ""}.`,
    ];
    for (const r of rows) {
        const reserved = r.reserve_date ? `, reserved for ${r.reserve_date}` : "";
        const when = `registered ${r.reg_date || "-"}, sent ${r.send_date || "-"}${reserved}`;
        out.push(`  ${phone(r.receiver)}  ${r.sms_state || "(no state yet)"}  ${r.type ?? ""}  ${when}`);
    }
    if (more) out.push(`More: \`${q.again(` --mid ${mid} --page ${(q.page ?? 1) + 1}`)}\``);
    return out;
}

function messageLines(rows: ListedMessage[], more: boolean, q: Query): string[] {
    const days = q.days ? `, the last ${q.days} day(s)` : "";
    const out = [
        rows.length
            ? `Aligo's recent messages (newest first${days}${q.page ? `, page ${q.page}` : ""}):`
            : `Aligo lists no messages${days}${q.page ? ` on page ${q.page}` : ""}.`,
    ];
    for (const m of rows) {
        const reserve = [m.reserve_state, m.reserve].filter(Boolean).join(" ");
        const reserved = m.reserve_state || m.reserve ? `, reserved ${reserve}` : "";
        const counts = `${m.sms_count ?? "?"} receiver(s), ${m.fail_count ?? "?"} failed${reserved}`;
        out.push(
            `  ${m.reg_date || "-"}  mid ${m.mid}  ${m.type ?? ""}  ${counts}  from ${phone(m.sender)}  "${clip(m.msg)}"`,
        );
    }
    if (rows.length) out.push(`The receivers of one: \`${q.again(` --mid ${rows[0].mid}`)}\``);
    if (more) out.push(`More: \`${q.again(`${q.days ? ` --days ${q.days}` : ""} --page ${(q.page ?? 1) + 1}`)}\``);
    return out;
}

/** The list command, complete, for the stack it was run against. */
const listAgain = (ctx: OpsContext) => (extra: string) =>
    `npm run -s list -- --stack ${ctx.stack}${ctx.outputsFile ? ` --outputs-file ${ctx.outputsFile}` : ""}${extra}`;

export const main = command(
    spec,
    async (args, io) => {
        const ctx = opsContext("list", args);
        const { outputs, fn } = await deployedFunction(ctx);
        const page = args.values.page as number | undefined;
        const days = args.values.days as number | undefined;
        const mid = args.values.mid as string | undefined;
        const event =
            mid !== undefined
                ? { action: "detail", mid, ...(page ? { page } : {}) }
                : { action: "list", ...(page ? { page } : {}), ...(days ? { limitDay: days } : {}) };
        const inv = await invoke(clientFor(outputs, ctx), fn, event);
        if (!(inv.kind === "result" && inv.result.ok)) {
            io.stdout.write(explainFailure(inv, outputs, ctx));
            return 1;
        }
        const rows: unknown[] = Array.isArray(inv.result.list) ? inv.result.list : [];
        const more = inv.result.next_yn === "Y";
        const q: Query = { days, page, again: listAgain(ctx) };
        const out =
            mid !== undefined
                ? receiverLines(mid, rows as ListedReceiver[], more, q)
                : messageLines(rows as ListedMessage[], more, q);
        io.stdout.write(`${out.join("\n")}\n`);
        return 0;
    },
    [OpsError],
);

if (require.main === module) runAsScript(main);
