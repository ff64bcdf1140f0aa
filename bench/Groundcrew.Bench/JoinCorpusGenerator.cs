using System.Text;

namespace Groundcrew.Bench;

/// <summary>
/// Issue 14's cross-file join repository: 5,000 Deployments (one file each), their 5,000 Services and 5,000 Secrets in
/// other files (ten a file), 2,000 ServiceAccounts whose IRSA role ARNs name 2,000 IAM roles, and those roles in 1,000
/// Terraform modules (two roles each, trust policies naming the service accounts). Every reference crosses files, so
/// a join done by scanning instead of by index shows up as quadratic time.
/// </summary>
public static class JoinCorpusGenerator
{
    public const int Deployments = 5000, Roles = 2000, Modules = 1000;
    private const string Account = "305032652600";
    private const string OidcHost = "oidc.eks.us-east-1.amazonaws.com/id/04BCD543DFE4A4D8E63C3B78198B4076";

    public static long Write(string root)
    {
        long bytes = 0;
        void Put(string relative, string text)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            bytes += text.Length;
        }

        for (var i = 0; i < Deployments; i++)
            Put($"k8s/deployments/{i / 100}/app-{i}.yaml", Deployment(i));
        for (var f = 0; f < Deployments / 10; f++)
        {
            var services = new StringBuilder();
            var secrets = new StringBuilder();
            for (var i = f * 10; i < f * 10 + 10; i++)
            {
                services.Append("---\n").Append(Service(i));
                secrets.Append("---\n").Append(Secret(i));
            }
            Put($"k8s/services/services-{f}.yaml", services.ToString());
            Put($"k8s/secrets/secrets-{f}.yaml", secrets.ToString());
        }
        for (var f = 0; f < Roles / 10; f++)
        {
            var accounts = new StringBuilder();
            for (var i = f * 10; i < f * 10 + 10; i++) accounts.Append("---\n").Append(ServiceAccount(i));
            Put($"k8s/serviceaccounts/accounts-{f}.yaml", accounts.ToString());
        }
        for (var m = 0; m < Modules; m++)
            Put($"terraform/roles-{m}/main.tf", Module(m));
        return bytes;
    }

    private static string Ns(int i) => $"team-{i % 50}";

    private static string Deployment(int i) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app-{{i}}
          namespace: {{Ns(i)}}
        spec:
          replicas: 2
          selector:
            matchLabels: { app: app-{{i}} }
          template:
            metadata:
              labels: { app: app-{{i}} }
            spec:
              serviceAccountName: {{(i < Roles ? $"app-{i}" : "default")}}
              containers:
                - name: app
                  image: {{Account}}.dkr.ecr.us-east-1.amazonaws.com/app-{{i}}:1.0.{{i}}
                  ports: [ { name: http, containerPort: 8080 } ]
                  env:
                    - name: DB_PASSWORD
                      valueFrom: { secretKeyRef: { name: app-{{i}}-db, key: password } }
                    - name: API_TOKEN
                      valueFrom: { secretKeyRef: { name: app-{{i}}-db, key: token } }
                  resources:
                    requests: { cpu: 100m, memory: 128Mi }
                    limits: { memory: 256Mi }
                  readinessProbe: { httpGet: { path: /healthz, port: http } }

        """;

    private static string Service(int i) =>
        $"apiVersion: v1\nkind: Service\nmetadata:\n  name: app-{i}\n  namespace: {Ns(i)}\nspec:\n  selector: {{ app: app-{i} }}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n";

    private static string Secret(int i) =>
        $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-{i}-db\n  namespace: {Ns(i)}\ntype: Opaque\ndata:\n  password: c2VjcmV0LXZhbHVl\n  token: dG9rZW4tdmFsdWU=\n";

    private static string ServiceAccount(int i) =>
        $"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app-{i}\n  namespace: {Ns(i)}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::{Account}:role/app-{i}\n";

    private static string Module(int m)
    {
        var sb = new StringBuilder();
        sb.Append($"locals {{\n  oidc_provider_arn = \"arn:aws:iam::{Account}:oidc-provider/{OidcHost}\"\n  oidc_host         = \"{OidcHost}\"\n}}\n\n");
        for (var i = m * 2; i < m * 2 + 2; i++)
            sb.Append($$"""
                resource "aws_iam_role" "app_{{i}}" {
                  name = "app-{{i}}"
                  assume_role_policy = jsonencode({
                    Version = "2012-10-17"
                    Statement = [{
                      Effect    = "Allow"
                      Principal = { Federated = local.oidc_provider_arn }
                      Action    = "sts:AssumeRoleWithWebIdentity"
                      Condition = {
                        StringEquals = {
                          "${local.oidc_host}:sub" = "system:serviceaccount:{{Ns(i)}}:app-{{i}}"
                          "${local.oidc_host}:aud" = "sts.amazonaws.com"
                        }
                      }
                    }]
                  })
                }

                resource "aws_iam_role_policy" "app_{{i}}" {
                  name = "app-{{i}}-read"
                  role = aws_iam_role.app_{{i}}.id
                  policy = jsonencode({
                    Version   = "2012-10-17"
                    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::app-{{i}}-data/*" }]
                  })
                }


                """);
        return sb.ToString();
    }
}
