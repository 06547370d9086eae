import { discoveryFindings } from "../describe.js";
import type { CheckKind } from "../types.js";

export const unresolvedVariable: CheckKind = {
  id: "unresolved-variable",
  title: "A systemd unit uses a variable nothing defines",
  description: "Every ${VAR} in a unit's ExecStart is defined by Environment= or an EnvironmentFile=.",
  citation: "systemd.service(5) (ExecStart variable substitution) and systemd.exec(5) (Environment=, EnvironmentFile=)",
  explanation:
    "Hand-built clusters often come from templated units ('--advertise-address=${INTERNAL_IP}'). If the variable was never defined, systemd substitutes an empty string and the component starts with a flag like '--advertise-address=' — or refuses to start. The auditor cannot know the intended value, so it does not audit the flags the variable feeds and says so here instead of checking against a literal '${INTERNAL_IP}'.",
  remediation: "Define the variable (Environment=\"NAME=value\" in a drop-in such as /etc/systemd/system/UNIT.d/10-env.conf, or in an EnvironmentFile), or write the value into ExecStart; then systemctl daemon-reload and restart the unit.",
  run(ctx) {
    return discoveryFindings(ctx, "unresolved-variable", { expected: "a defined variable", actual: "undefined", remediation: this.remediation });
  },
};
