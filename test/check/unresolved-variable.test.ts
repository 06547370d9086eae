import { unresolvedVariable } from "../../src/check/checks/unresolved-variable.js";
import { checkTable } from "../helpers/check-table.js";
import { discoveryProblem } from "../helpers/context.js";

const ETCD_UNIT = { component: "etcd", path: "/etc/systemd/system/etcd.service", flag: null };

checkTable(unresolvedVariable, {
  passes: [
    { name: "no discovery problems", spec: () => ({ refs: [] }) },
    { name: "other discovery problems are other checks' business", spec: () => ({ refs: [], discoveryProblems: [discoveryProblem("config-invalid", "critical", ETCD_UNIT)] }) },
  ],
  fails: [
    {
      name: "warning: ${INTERNAL_IP} in etcd.service is defined nowhere",
      spec: () => ({ refs: [], discoveryProblems: [discoveryProblem("unresolved-variable", "warning", ETCD_UNIT, "etcd.service uses ${INTERNAL_IP}")] }),
      findings: [{ id: "unresolved-variable", severity: "warning", component: "etcd", path: ETCD_UNIT.path, flag: null, expected: "a defined variable", actual: "undefined" }],
    },
  ],
});
