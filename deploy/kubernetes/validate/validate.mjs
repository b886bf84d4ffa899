// Reads rendered manifests (multi-document YAML) on stdin and validates each object against
// the OpenAPI schema of its apiVersion and kind (kubernetes-models: types, required fields,
// enums, formats). Unknown kinds fail. Exit code 1 on any problem.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const models = {
  "v1/ServiceAccount": () => import("kubernetes-models/v1/ServiceAccount"),
  "v1/ConfigMap": () => import("kubernetes-models/v1/ConfigMap"),
  "v1/Service": () => import("kubernetes-models/v1/Service"),
  "apps/v1/Deployment": () => import("kubernetes-models/apps/v1/Deployment"),
  "policy/v1/PodDisruptionBudget": () => import("kubernetes-models/policy/v1/PodDisruptionBudget"),
  "networking.k8s.io/v1/NetworkPolicy": () =>
    import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy"),
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": () =>
    import("kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding"),
  "monitoring.coreos.com/v1/ServiceMonitor": () =>
    import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor"),
};

const docs = parseAllDocuments(readFileSync(0, "utf8"));
let problems = 0;
const seen = [];
for (const doc of docs) {
  if (doc.errors.length) {
    console.error("YAML error:", doc.errors.map(String).join("; "));
    problems++;
    continue;
  }
  const object = doc.toJS();
  if (!object) continue;
  const key = `${object.apiVersion}/${object.kind}`;
  const name = `${key} ${object.metadata?.name}`;
  const load = models[key];
  if (!load) {
    console.error(`${name}: no schema known for ${key}`);
    problems++;
    continue;
  }
  const module = await load();
  const Model = Object.values(module).find((v) => typeof v === "function");
  try {
    new Model(object).validate();
    seen.push(name);
  } catch (error) {
    console.error(`${name}: ${error.message}`);
    for (const detail of error.errors ?? []) {
      console.error(`  ${detail.instancePath} ${detail.message}`);
    }
    problems++;
  }
}
if (problems > 0) {
  console.error(`${problems} invalid manifest(s)`);
  process.exit(1);
}
console.log(`valid: ${seen.join(", ")}`);
