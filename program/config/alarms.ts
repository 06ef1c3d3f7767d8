// Who hears the alarms: an email address (the stack makes an SNS topic and subscribes it) or an
// existing topic; neither means no alarms at all (an alarm nobody hears is only a cost). And the
// Aligo balance below which the balance alarm fires.
import { quote } from "../../components/rules";
import type { RawReader } from "./reader";

export interface AlarmsConfig {
    /** An address to notify; the stack makes a topic and an email subscription for it. */
    readonly alarmEmail?: string;
    /** An existing SNS topic to notify instead. */
    readonly alarmTopicArn?: string;
    /** Alarm when Aligo's remaining SMS count falls below this; 0: no balance alarm. */
    readonly aligoBalanceAlarmBelow: number;
}

const EMAIL = /^[^\s@"'<>]+@[^\s@"'<>]+\.[A-Za-z]{2,}$/;
const TOPIC_ARN = /^arn:aws(-cn|-us-gov)?:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/;

export function parseAlarmsConfig(r: RawReader): AlarmsConfig | undefined {
    const alarmEmail = r.str("alarmEmail");
    const alarmTopicArn = r.str("alarmTopicArn");
    let ok = true;
    if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
        ok = !!r.fail(`alarmEmail: ${quote(alarmEmail)} is not an email address (name@example.com)`);
    }
    if (alarmTopicArn !== undefined && !TOPIC_ARN.test(alarmTopicArn)) {
        ok = !!r.fail(`alarmTopicArn: ${quote(alarmTopicArn)} is not a standard SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`);
    }
    if (alarmEmail !== undefined && alarmTopicArn !== undefined) {
        ok = !!r.fail("alarmEmail and alarmTopicArn are both set; set one: an address (the stack makes the topic) or your own topic");
    }
    const aligoBalanceAlarmBelow = r.integer("aligoBalanceAlarmBelow", 0, 100_000_000);
    if (!ok || aligoBalanceAlarmBelow === undefined) return undefined;
    return { alarmEmail, alarmTopicArn, aligoBalanceAlarmBelow };
}

/** Whether the stack has alarms: only when someone hears them. */
export const alarmsWanted = (c: AlarmsConfig): boolean => c.alarmEmail !== undefined || c.alarmTopicArn !== undefined;
