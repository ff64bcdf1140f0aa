using System.Text;

namespace Groundcrew.Bench;

/// <summary>
/// Writes a realistic synthetic repository: each file holds a Deployment, its Service, ConfigMap, Secret,
/// ServiceAccount, HPA, PDB, Ingress and more, so every rule has work to do and references resolve.
/// </summary>
public static class CorpusGenerator
{
    public static long Write(string root, int files, int objectsPerFile)
    {
        Directory.CreateDirectory(root);
        long bytes = 0;
        for (var f = 0; f < files; f++)
        {
            var ns = $"team-{f % 50}";
            var sb = new StringBuilder();
            for (var o = 0; o < objectsPerFile; o++)
            {
                if (o > 0) sb.Append("---\n");
                sb.Append(Object(o % 10, $"svc-{f}-{o / 10}", ns));
            }
            var dir = Path.Combine(root, $"app-{f / 100}");
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, $"svc-{f}.yaml");
            File.WriteAllText(path, sb.ToString());
            bytes += sb.Length;
        }
        return bytes;
    }

    private static string Object(int kind, string name, string ns) => kind switch
    {
        0 => $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{name}}
              namespace: {{ns}}
              labels: { app: {{name}} }
            spec:
              selector:
                matchLabels: { app: {{name}} }
              template:
                metadata:
                  labels: { app: {{name}}, tier: backend }
                  annotations: { checksum/config: abc123 }
                spec:
                  serviceAccountName: {{name}}
                  containers:
                    - name: app
                      image: 305032652600.dkr.ecr.us-east-1.amazonaws.com/{{name}}:1.2.3
                      imagePullPolicy: IfNotPresent
                      ports: [ { name: http, containerPort: 8080, protocol: TCP } ]
                      envFrom: [ { configMapRef: { name: {{name}} } } ]
                      env:
                        - name: DB_PASSWORD
                          valueFrom: { secretKeyRef: { name: {{name}}, key: password } }
                        - name: LOG_LEVEL
                          value: info
                      resources:
                        requests: { cpu: 100m, memory: 128Mi }
                        limits: { memory: 256Mi }
                      readinessProbe: { httpGet: { path: /healthz, port: http } }

            """,
        1 => $"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  selector: {{ app: {name} }}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n",
        2 => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:\n  FEATURE_X: \"on\"\n  TIMEOUT_MS: \"5000\"\n",
        3 => $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: {ns}\ntype: Opaque\ndata:\n  password: c2VjcmV0LXZhbHVl\n",
        4 => $"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n  namespace: {ns}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::305032652600:role/{name}\n",
        5 => $"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  scaleTargetRef: {{ apiVersion: apps/v1, kind: Deployment, name: {name} }}\n  minReplicas: 2\n  maxReplicas: 6\n  metrics:\n    - type: Resource\n      resource: {{ name: cpu, target: {{ type: Utilization, averageUtilization: 70 }} }}\n",
        6 => $"apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {{ app: {name} }}\n",
        7 => $"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  ingressClassName: nginx\n  rules:\n    - host: {name}.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend: {{ service: {{ name: {name}, port: {{ name: http }} }} }}\n",
        8 => $"apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {name}-cleanup\n  namespace: {ns}\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: cleanup\n              image: 305032652600.dkr.ecr.us-east-1.amazonaws.com/cleanup:2.0.0\n              args: [\"--older-than\", \"7d\"]\n",
        _ => $"apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {name}\n  namespace: {ns}\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"configmaps\"]\n    verbs: [\"get\", \"list\"]\n",
    };
}
