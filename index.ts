// The aligo-sms program: reads and checks the whole configuration, then wires the components.
// Pulumi calls the exported function; everything that can fail on bad input fails before the
// first resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { Nat, Network, REQUIRED_PULUMI_VERSION } from "./components/index";
import { AlarmTopic } from "./program/alarms";
import { alarmsWanted } from "./program/config/alarms";
import { readConfig } from "./program/config/read";
import { SmsFunctions } from "./program/functions/functions";
import { NAT_COMPONENT_NAME, preflight } from "./program/preflight";
import { functionsArgs, natArgs, networkArgs, stackOutputs } from "./program/wiring";

export = async () => {
    // Checked before anything else, so an old CLI stops the program at once (the Nat component
    // checks it too, for its other users).
    await pulumi.runtime.requirePulumiVersion(REQUIRED_PULUMI_VERSION);
    const cfg = readConfig();
    const facts = await preflight(cfg);
    const tags = { "aligo-sms:stack": pulumi.getStack() };

    const network = new Network("network", networkArgs(cfg, facts, tags));
    // Alarms only when someone hears them (alarmEmail or alarmTopicArn).
    const alarmTopic = alarmsWanted(cfg)
        ? new AlarmTopic("alarms", { email: cfg.alarmEmail, topicArn: cfg.alarmTopicArn, tags })
        : undefined;
    const nat = new Nat(NAT_COMPONENT_NAME, natArgs(cfg, facts, network, alarmTopic, tags));
    const functions = new SmsFunctions("functions", functionsArgs(cfg, network, nat, alarmTopic, tags));

    return stackOutputs(cfg, { network, nat, functions, alarmTopic }, (m) => void pulumi.log.warn(m));
};
