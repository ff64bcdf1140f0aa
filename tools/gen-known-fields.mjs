// Regenerates src/Groundcrew/Data/kubernetes/known-fields.yaml from the Kubernetes OpenAPI models shipped in
// the npm package @kubernetes/client-node (generated from the Kubernetes OpenAPI spec, see its "OpenAPI spec version").
// Usage: npm install --ignore-scripts @kubernetes/client-node@2.0.1 && node tools/gen-known-fields.mjs node_modules/@kubernetes/client-node > src/Groundcrew/Data/kubernetes/known-fields.yaml
import fs from 'node:fs';
import path from 'node:path';

const pkg = process.argv[2];
const models = path.join(pkg, 'dist/gen/models');
const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
const header = fs.readFileSync(path.join(models, 'V1Deployment.js'), 'utf8').match(/OpenAPI spec version: (\S+)/)[1];

const roots = [
  ['Deployment', 'apps/v1', 'V1Deployment'],
  ['StatefulSet', 'apps/v1', 'V1StatefulSet'],
  ['DaemonSet', 'apps/v1', 'V1DaemonSet'],
  ['ReplicaSet', 'apps/v1', 'V1ReplicaSet'],
  ['Job', 'batch/v1', 'V1Job'],
  ['CronJob', 'batch/v1', 'V1CronJob'],
  ['Pod', 'v1', 'V1Pod'],
  ['Service', 'v1', 'V1Service'],
  ['ConfigMap', 'v1', 'V1ConfigMap'],
  ['Secret', 'v1', 'V1Secret'],
  ['ServiceAccount', 'v1', 'V1ServiceAccount'],
  ['Ingress', 'networking.k8s.io/v1', 'V1Ingress'],
  ['HorizontalPodAutoscaler', 'autoscaling/v2', 'V2HorizontalPodAutoscaler'],
  ['PodDisruptionBudget', 'policy/v1', 'V1PodDisruptionBudget'],
];
// Older apiVersions still written in repositories whose fields are a subset of the newer root type's, so checking
// them against the newer type never reports a field they had (batch/v1beta1 CronJobSpec == batch/v1 minus nothing
// used today; autoscaling/v2beta2 was promoted to autoscaling/v2 unchanged). Ingress v1beta1 and extensions/*
// differ in shape and are left out.
const older = { CronJob: ['batch/v1beta1'], HorizontalPodAutoscaler: ['autoscaling/v2beta2'] };

const attrs = (t) => {
  const file = path.join(models, t + '.js');
  if (!fs.existsSync(file)) return null;
  const src = fs.readFileSync(file, 'utf8');
  const m = src.match(/attributeTypeMap = (\[[\s\S]*?\n\]);/);
  return m ? JSON.parse(m[1]) : null;
};

const types = new Map();
const queue = roots.map(r => r[2]);
const childType = (t) => {
  // Only object types are walked; maps ({ [key: string]: ... }), IntOrString, any and scalars are leaves.
  let m = t.match(/^Array<(V\w+)>$/);
  if (m) return m[1] + '[]';
  if (/^V\w+$/.test(t) && attrs(t)) return t;
  return null;
};
while (queue.length) {
  const t = queue.shift();
  if (types.has(t)) continue;
  const a = attrs(t);
  if (!a) continue;
  const fields = [];
  for (const f of a) {
    const c = childType(f.type);
    fields.push([f.baseName, c]);
    if (c && !types.has(c.replace('[]', ''))) queue.push(c.replace('[]', ''));
  }
  types.set(t, fields);
}

const out = [];
out.push('# Known fields of the common built-in Kubernetes kinds, for the unknown-field rule.');
out.push(`# Source: Kubernetes OpenAPI spec ${header}, as generated into the models of the npm package`);
out.push(`# @kubernetes/client-node ${version} (kubernetes-client/javascript). Regenerate with tools/gen-known-fields.mjs.`);
out.push('# A newer spec is the safe side: a field only newer clusters know is accepted here, never reported.');
out.push('# roots: kind -> apiVersion (and older apiVersions checked with the same type) and root type. types: type -> field -> child type (T[] = list of T; ~ = leaf: scalar, map, IntOrString, free-form).');
out.push(`specVersion: ${header}`);
out.push('roots:');
for (const [kind, av, t] of roots) out.push(`  ${kind}: { apiVersion: ${av}, ${older[kind] ? `olderApiVersions: [${older[kind].join(', ')}], ` : ''}type: ${t} }`);
out.push('types:');
for (const [t, fields] of [...types.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
  out.push(`  ${t}:`);
  for (const [name, c] of fields) out.push(`    ${JSON.stringify(name)}: ${c ?? '~'}`);
}
process.stdout.write(out.join('\n') + '\n');
