using System.Text.RegularExpressions;
using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Live;
using Groundcrew.Live.Inventory;
using Groundcrew.Tests.Diagnose.Live;
using Groundcrew.Tests.Support;
using System.Text.Json.Nodes;
using NJsonSchema;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>
/// One account in moto_server on 127.0.0.1, seeded (through boto3, one process) the way the incidents left theirs, collected
/// once with the real collector (every aws call recorded), then checked with a repository that references it.
/// </summary>
public sealed class LiveAccountFixture : IDisposable
{
    public MotoServer? Moto { get; }
    /// <summary>IAM's policy simulator, which moto lacks: answers as AWS would for the seeded roles (app-execution may read the redis and openai secrets only).</summary>
    public LoopbackIamSimulator? Simulator { get; }
    public CallLog Calls { get; } = new();
    public Snapshot? Snapshot { get; }
    public string SnapshotJson { get; } = "";
    public CheckResult? Check { get; }
    public string RedisArn { get; } = "";
    public string DbArn { get; } = "";
    public string PrivateSubnet { get; } = "";
    public string QueueArn { get; } = "";
    public string OpenAiArn { get; } = "";
    public string Repo { get; } = Directory.CreateTempSubdirectory("gc-live-repo-").FullName;
    public string? Unavailable { get; }

    /// <summary>
    /// The same account collected again with --read-secret-keys and --read-secret-values, the secrets part only (every
    /// other service refused at once without a process, so it costs a handful of aws calls): shared by the B3 and D5 tests.
    /// </summary>
    public Lazy<(Snapshot Snapshot, CallLog Calls)>? SecretReading { get; }

    /// <summary>
    /// The same account collected by a caller that may not call iam:SimulatePrincipalPolicy (the simulator answers
    /// 403 AccessDenied), the parts the execution-role rule reads only: shared by the fallback tests.
    /// </summary>
    public Lazy<(Snapshot Snapshot, CallLog Calls)>? SimulatorDenied { get; }

    public LiveAccountFixture()
    {
        if (new[] { "aws", "moto_server" }.FirstOrDefault(b => RequiresBinaryFactAttribute.FindOnPath(b) is null) is { } missing)
        {
            Unavailable = $"{missing} is not on PATH";
            return;
        }
        Moto = new MotoServer();
        Simulator = new LoopbackIamSimulator((_, action, resource) =>
            action == "secretsmanager:GetSecretValue" && (resource == RedisArn || resource == OpenAiArn) ? "allowed" : "implicitDeny");
        SimulatorDenied = new(() =>
        {
            var calls = new CallLog();
            using var denying = new LoopbackIamSimulator((_, _, _) => "allowed") { Deny = true };
            var request = new InventoryRequest(new AwsTarget(Region: "us-east-1", EndpointUrl: $"http://127.0.0.1:{Moto.Port}"), ["us-east-1"], null, []);
            var snapshot = InventoryRun.CollectAsync(request, new OnlyServices(new SimulatorRoute(new ProcessCommandRunner(Moto.Environment, calls), denying.Url),
                "sts", "iam", "secretsmanager", "ssm", "ecs")).GetAwaiter().GetResult();
            return (snapshot, calls);
        });
        SecretReading = new(() =>
        {
            var calls = new CallLog();
            var request = new InventoryRequest(new AwsTarget(Region: "us-east-1", EndpointUrl: $"http://127.0.0.1:{Moto.Port}"), ["us-east-1"], null, [],
                ReadSecretKeys: true, ReadSecretValues: true);
            var snapshot = InventoryRun.CollectAsync(request, new OnlyServices(new ProcessCommandRunner(Moto.Environment, calls), "sts", "secretsmanager")).GetAwaiter().GetResult();
            return (snapshot, calls);
        });
        // A seeding call that fails throws; the server is stopped then too, or it would outlive the test run.
        try
        {
            const string ecsTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
            // Seeding goes through one boto3 process (MotoSeeder), not an aws CLI start-up per call; the collection
            // below, the behaviour under test, runs the real aws CLI.
            RedisArn = (string)Moto.Seed("secretsmanager", "create-secret", new() { ["Name"] = "hokusai/redis/auth-token", ["SecretString"] = "{\"token\":\"t0k3n-value-never-printed\"}" })["ARN"]!;
            DbArn = (string)Moto.Seed("secretsmanager", "create-secret", new() { ["Name"] = "app/db", ["SecretString"] = "{\"username\":\"app\",\"password\":\"pw-never-printed\"}" })["ARN"]!;
            Moto.Seed("ssm", "put-parameter", new() { ["Name"] = "/app/api-keys", ["Type"] = "String", ["Value"] = "k" });
            // B3: the AI keys secret still holds the template's placeholder for one key; its value is read only with --read-secret-values.
            OpenAiArn = (string)Moto.Seed("secretsmanager", "create-secret", new()
            {
                ["Name"] = "app/openai", ["SecretString"] = "{\"assistant_id\":\"<your-openai-assistant-id>\",\"model\":\"gpt-4o-never-printed\"}",
            })["ARN"]!;
            Moto.Seed("iam", "create-role", new() { ["RoleName"] = "app-execution", ["AssumeRolePolicyDocument"] = ecsTrust });
            // The incident's execution role: allowed to read the redis token only, not the database secret (C2).
            Moto.Seed("iam", "put-role-policy", new()
            {
                ["RoleName"] = "app-execution", ["PolicyName"] = "read-redis",
                ["PolicyDocument"] = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":["{{RedisArn}}","{{OpenAiArn}}"]}]}""",
            });
            var issuer = (string)Moto.Seed("eks", "create-cluster", new()
            {
                ["name"] = "shop", ["roleArn"] = "arn:aws:iam::123456789012:role/eks", ["resourcesVpcConfig"] = new JsonObject { ["subnetIds"] = new JsonArray("subnet-1") },
            })["cluster"]!["identity"]!["oidc"]!["issuer"]!;
            var host = issuer.Replace("https://", "");
            Moto.Seed("iam", "create-open-id-connect-provider", new()
            {
                ["Url"] = issuer, ["ThumbprintList"] = new JsonArray("9e99a48a9960b14926bb7f3b02e22da2b0ab7280"), ["ClientIDList"] = new JsonArray("sts.amazonaws.com"),
            });
            // IRSA role still trusting the provider of the cluster it was made for before the cluster was recreated (A2).
            const string oldHost = "oidc.eks.us-east-1.amazonaws.com/id/0000OLDCLUSTER0000000000000000000";
            Moto.Seed("iam", "create-role", new() { ["RoleName"] = "shop-api", ["AssumeRolePolicyDocument"] = WebIdentityTrust(oldHost, "system:serviceaccount:shop:api") });
            // IRSA role trusting the right provider for the wrong ServiceAccount (B1).
            Moto.Seed("iam", "create-role", new() { ["RoleName"] = "shop-worker", ["AssumeRolePolicyDocument"] = WebIdentityTrust(host, "system:serviceaccount:default:worker") });
            // C1: revision 1 from the file, revision 2 registered from a copy without secrets, environment and health check.
            Moto.Seed("ecs", "register-task-definition", new()
            {
                ["family"] = "api", ["executionRoleArn"] = "arn:aws:iam::123456789012:role/app-execution",
                ["containerDefinitions"] = JsonNode.Parse($$$"""[{"name":"api","image":"nginx:1.27","memory":256,"environment":[{"name":"LOG_LEVEL","value":"info"}],"secrets":[{"name":"DB_PASSWORD","valueFrom":"{{{DbArn}}}:password::"}],"healthCheck":{"command":["CMD-SHELL","true"]}}]"""),
            });
            Moto.Seed("ecs", "register-task-definition", new()
            {
                ["family"] = "api", ["executionRoleArn"] = "arn:aws:iam::123456789012:role/app-execution",
                ["containerDefinitions"] = JsonNode.Parse("""[{"name":"api","image":"nginx:1.28","memory":256}]"""),
            });
            // D3: service worker on a private subnet whose route table has only the local route, and no VPC endpoint.
            var vpc = (string)Moto.Seed("ec2", "create-vpc", new() { ["CidrBlock"] = "10.20.0.0/16" })["Vpc"]!["VpcId"]!;
            PrivateSubnet = (string)Moto.Seed("ec2", "create-subnet", new() { ["VpcId"] = vpc, ["CidrBlock"] = "10.20.1.0/24" })["Subnet"]!["SubnetId"]!;
            var table = (string)Moto.Seed("ec2", "create-route-table", new() { ["VpcId"] = vpc })["RouteTable"]!["RouteTableId"]!;
            Moto.Seed("ec2", "associate-route-table", new() { ["RouteTableId"] = table, ["SubnetId"] = PrivateSubnet });
            var group = (string)Moto.Seed("ec2", "create-security-group", new() { ["GroupName"] = "worker", ["Description"] = "worker tasks", ["VpcId"] = vpc })["GroupId"]!;
            Moto.Seed("ecs", "create-cluster", new() { ["clusterName"] = "main" });
            Moto.Seed("ecs", "register-task-definition", new()
            {
                ["family"] = "worker", ["networkMode"] = "awsvpc", ["executionRoleArn"] = "arn:aws:iam::123456789012:role/app-execution",
                ["containerDefinitions"] = JsonNode.Parse($$$"""[{"name":"worker","image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1.0","memory":256,"secrets":[{"name":"REDIS_AUTH","valueFrom":"{{{RedisArn}}}"}]}]"""),
            });
            Moto.Seed("ecs", "create-service", new()
            {
                ["cluster"] = "main", ["serviceName"] = "worker", ["taskDefinition"] = "worker", ["desiredCount"] = 1, ["launchType"] = "FARGATE",
                ["networkConfiguration"] = new JsonObject
                {
                    ["awsvpcConfiguration"] = new JsonObject { ["subnets"] = new JsonArray(PrivateSubnet), ["securityGroups"] = new JsonArray(group), ["assignPublicIp"] = "DISABLED" },
                },
            });
            // A6: worker:1.0 pushed from an arm64 laptop (an index with linux/arm64 and BuildKit's attestation entry only);
            // the shop cluster's node group is amd64, and the worker task runs on X86_64 (no runtimePlatform).
            Moto.Seed("ecr", "create-repository", new() { ["repositoryName"] = "worker" });
            Moto.Seed("ecr", "put-image", new()
            {
                ["repositoryName"] = "worker", ["imageTag"] = "1.0", ["imageManifestMediaType"] = "application/vnd.oci.image.index.v1+json",
                ["imageManifest"] = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":1000,"platform":{"architecture":"arm64","os":"linux"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":500,"platform":{"architecture":"unknown","os":"unknown"}}]}""",
            });
            Moto.Seed("eks", "create-nodegroup", new()
            {
                ["clusterName"] = "shop", ["nodegroupName"] = "general", ["nodeRole"] = "arn:aws:iam::123456789012:role/node",
                ["subnets"] = new JsonArray("subnet-1"), ["amiType"] = "AL2_x86_64", ["instanceTypes"] = new JsonArray("m6i.large"),
            });

            // A11: rule order-events sends to billing-events; no role may receive from it, and a message waits.
            var queueUrl = (string)Moto.Seed("sqs", "create-queue", new() { ["QueueName"] = "billing-events" })["QueueUrl"]!;
            QueueArn = (string)Moto.Seed("sqs", "get-queue-attributes", new() { ["QueueUrl"] = queueUrl, ["AttributeNames"] = new JsonArray("QueueArn") })["Attributes"]!["QueueArn"]!;
            Moto.Seed("events", "put-rule", new() { ["Name"] = "order-events", ["EventPattern"] = """{"source":["os-service"]}""" });
            Moto.Seed("events", "put-targets", new() { ["Rule"] = "order-events", ["Targets"] = new JsonArray(new JsonObject { ["Id"] = "billing", ["Arn"] = QueueArn }) });
            Moto.Seed("sqs", "send-message", new() { ["QueueUrl"] = queueUrl, ["MessageBody"] = "order-created" });

            var request = new InventoryRequest(new AwsTarget(Region: "us-east-1", EndpointUrl: $"http://127.0.0.1:{Moto.Port}"), ["us-east-1"], null, []);
            Snapshot = InventoryRun.CollectAsync(request, new SimulatorRoute(new ProcessCommandRunner(Moto.Environment, Calls), Simulator.Url)).GetAwaiter().GetResult();
            SnapshotJson = Snapshot.ToJson();
            File.WriteAllText(Path.Combine(Repo, "inventory.json"), SnapshotJson);

            File.WriteAllText(Path.Combine(Repo, "taskdef.json"), $$"""
                {
                  "family": "api",
                  "executionRoleArn": "arn:aws:iam::123456789012:role/app-execution",
                  "containerDefinitions": [
                    {
                      "name": "api",
                      "image": "nginx:1.27",
                      "environment": [{ "name": "LOG_LEVEL", "value": "info" }],
                      "healthCheck": { "command": ["CMD-SHELL", "true"] },
                      "secrets": [
                        { "name": "REDIS_AUTH", "valueFrom": "{{RedisArn[..^6]}}RANDOM" },
                        { "name": "DB_PASSWORD", "valueFrom": "{{DbArn}}:password::" }
                      ]
                    }
                  ]
                }
                """);
            File.WriteAllText(Path.Combine(Repo, "worker-taskdef.json"), $$"""
                {
                  "family": "worker",
                  "networkMode": "awsvpc",
                  "executionRoleArn": "arn:aws:iam::123456789012:role/app-execution",
                  "containerDefinitions": [
                    {
                      "name": "worker",
                      "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1.0",
                      "secrets": [{ "name": "REDIS_AUTH", "valueFrom": "{{RedisArn}}" }]
                    }
                  ]
                }
                """);
            // B3: the assistant reads the key that holds the placeholder, and one that does not.
            File.WriteAllText(Path.Combine(Repo, "assistant-taskdef.json"), $$"""
                {
                  "family": "assistant",
                  "executionRoleArn": "arn:aws:iam::123456789012:role/app-execution",
                  "containerDefinitions": [
                    {
                      "name": "assistant",
                      "image": "nginx:1.27",
                      "secrets": [
                        { "name": "OPENAI_ASSISTANT_ID", "valueFrom": "{{OpenAiArn}}:assistant_id::" },
                        { "name": "OPENAI_MODEL", "valueFrom": "{{OpenAiArn}}:model::" }
                      ]
                    }
                  ]
                }
                """);
            File.WriteAllText(Path.Combine(Repo, "worker-deployment.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: worker
                  namespace: shop
                spec:
                  selector: { matchLabels: { app: worker } }
                  template:
                    metadata: { labels: { app: worker } }
                    spec:
                      containers:
                        - name: worker
                          image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1.0
                """);
            // A8: the jobs Deployment was bumped to worker:1.1, which the pipeline never pushed (only 1.0 is in ECR).
            File.WriteAllText(Path.Combine(Repo, "jobs-deployment.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: jobs
                  namespace: shop
                spec:
                  selector: { matchLabels: { app: jobs } }
                  template:
                    metadata: { labels: { app: jobs } }
                    spec:
                      containers:
                        - name: jobs
                          image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1.1
                """);
            File.WriteAllText(Path.Combine(Repo, "queues.tf"), """
                resource "aws_sqs_queue" "billing" {
                  name = "billing-events"
                }
                """);
            File.WriteAllText(Path.Combine(Repo, "serviceaccounts.yaml"), """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: api
                  namespace: shop
                  annotations:
                    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/shop-api
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: worker
                  namespace: shop
                  annotations:
                    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/shop-worker
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: billing
                  namespace: shop
                  annotations:
                    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/shop-billing
                """);
            Check = new CheckRunner(new CheckOptions { Paths = [Repo], Config = GroundcrewConfig.Default, Inventory = Snapshot.Load(Path.Combine(Repo, "inventory.json")) }).Run();
        }
        catch
        {
            Moto.Dispose();
            Simulator.Dispose();
            throw;
        }
    }

    private static string WebIdentityTrust(string host, string sub) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Federated"] = $"arn:aws:iam::123456789012:oidc-provider/{host}" },
            ["Action"] = "sts:AssumeRoleWithWebIdentity",
            ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { [$"{host}:sub"] = sub, [$"{host}:aud"] = "sts.amazonaws.com" } },
        }),
    }.ToJsonString();

    public void Dispose()
    {
        Moto?.Dispose();
        Simulator?.Dispose();
        try { Directory.Delete(Repo, true); } catch (IOException) { }
    }
}

[Collection(LiveCollection.Name)]
public sealed class LiveInventoryTests(LiveAccountFixture account) : IClassFixture<LiveAccountFixture>
{
    private CheckResult Check
    {
        get
        {
            account.Unavailable.Should().BeNull("the live tests need aws and moto_server");
            return account.Check!;
        }
    }

    private static int LineOf(string file, string needle) =>
        File.ReadAllLines(file).Select((l, i) => (l, i)).First(x => x.l.Contains(needle)).i + 1;

    private List<Finding> Of(string rule) => Check.Findings.Where(f => f.RuleId == rule).ToList();

    [LiveToolsFact("aws", "moto_server")]
    public void The_snapshot_holds_what_the_account_holds_and_no_secret_value()
    {
        _ = Check;
        var aws = account.Snapshot!.Aws!;
        aws.Secrets.Select(s => s.Arn).Should().Contain([account.RedisArn, account.DbArn]);
        aws.Roles.Select(r => r.Name).Should().Contain(["app-execution", "shop-api", "shop-worker"]);
        aws.Roles.Single(r => r.Name == "app-execution").Policies.Single().Document!.ToString().Should().Contain(account.RedisArn);
        aws.EksClusters.Single().OidcIssuer.Should().StartWith("https://oidc.eks.us-east-1.amazonaws.com/id/");
        aws.OidcProviders.Should().ContainSingle();
        aws.SsmParameters.Should().Contain("/app/api-keys");
        aws.TaskDefinitions.Where(t => t.Family == "api").Select(t => t.Revision).Should().Equal(2, 1);
        account.Snapshot.Sources.Aws!.Account.Should().Be("123456789012");
        account.SnapshotJson.Should().NotContain("never-printed", "secret values are not read without --read-secret-values and never stored");
    }

    [LiveToolsFact("aws", "moto_server")]
    public void Every_snapshot_written_validates_against_the_published_schema()
    {
        _ = Check;
        var schema = JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(Verify.Harness.RepoRoot, "docs", "schemas", "inventory.schema.json"))).GetAwaiter().GetResult();
        schema.Validate(account.SnapshotJson).Should().BeEmpty();
        foreach (var example in Directory.GetFiles(Path.Combine(Verify.Harness.RepoRoot, "examples"), "inventory*.json", SearchOption.AllDirectories))
            schema.Validate(File.ReadAllText(example)).Should().BeEmpty(example);
    }

    [LiveToolsFact("aws", "moto_server")]
    public void The_collector_calls_nothing_outside_the_published_policy()
    {
        _ = Check;
        var page = File.ReadAllText(Path.Combine(Verify.Harness.RepoRoot, "docs", "live.md"));
        var block = Regex.Match(page, @"## The read-only policy.*?```json\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        var allowed = JsonNode.Parse(block)!["Statement"]!.AsArray().SelectMany(s => s!["Action"]!.AsArray()).Select(a => a!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var called = account.Calls.CommandLines.Select(AwsAction.FromCommandLine).OfType<string>().Distinct().ToList();

        called.Should().HaveCountGreaterThan(20, "every part of the account was asked for");
        called.Should().OnlyContain(a => allowed.Contains(a), $"called: {string.Join(", ", called)}");
        called.Should().NotContain(a => a.Equals("secretsmanager:GetSecretValue", StringComparison.OrdinalIgnoreCase));
        account.Calls.CommandLines.Should().OnlyContain(c => c.Contains("--output json") && (c.Contains($"--endpoint-url http://127.0.0.1:{account.Moto!.Port}")
            || c.Contains(" simulate-principal-policy ") && c.Contains($"--endpoint-url {account.Simulator!.Url}")));
        called.Should().Contain("iam:SimulatePrincipalPolicy");
        account.Snapshot!.NotCollected.Should().BeEmpty(string.Join("\n", account.Snapshot.NotCollected.Select(n => $"{n.Part}: {n.Reason}")));
    }

    [LiveToolsFact("aws", "moto_server")]
    public void C5_a_secret_arn_with_the_RANDOM_placeholder_names_the_real_secret_it_meant()
    {
        var finding = Of("live-secret-missing").Should().ContainSingle().Subject;
        finding.Span.File.Should().Be("taskdef.json");
        finding.Span.StartLine.Should().Be(LineOf(Path.Combine(account.Repo, "taskdef.json"), "RANDOM"));
        finding.Message.Should().Contain($"most likely meant `{account.RedisArn}`").And.Contain("observed in the inventory of");
        finding.Fix.Should().Contain(account.RedisArn);
    }

    [LiveToolsFact("aws", "moto_server")]
    public void C2_C4_D4_the_live_execution_role_cannot_read_the_database_secret()
    {
        var finding = Of("live-execution-role-cannot-read-secret").Should().ContainSingle().Subject;
        finding.Span.StartLine.Should().Be(LineOf(Path.Combine(account.Repo, "taskdef.json"), "DB_PASSWORD"));
        finding.Message.Should().Contain("secretsmanager:GetSecretValue").And.Contain(account.DbArn).And.Contain("app-execution");
    }

    private const string AppExecution = "arn:aws:iam::123456789012:role/app-execution";

    [LiveToolsFact("aws", "moto_server")]
    public void C6_AWS_policy_simulator_decides_and_the_finding_names_it()
    {
        var finding = Of("live-execution-role-cannot-read-secret").Should().ContainSingle().Subject;
        finding.Span.StartLine.Should().Be(LineOf(Path.Combine(account.Repo, "taskdef.json"), "DB_PASSWORD"));
        finding.Message.Should().Contain("AWS's policy simulator (iam simulate-principal-policy) decided `implicitDeny`").And.Contain(account.DbArn)
            .And.NotContain("Groundcrew's IAM evaluator");
        account.Snapshot!.Aws!.Simulations.Should().BeEquivalentTo(new[]
        {
            new SimulationFact(AppExecution, "secretsmanager:GetSecretValue", account.DbArn, "implicitDeny"),
            new SimulationFact(AppExecution, "secretsmanager:GetSecretValue", account.RedisArn, "allowed"),
        }, "one decision per call ECS makes for the registered task definitions (api:1 reads the database secret, worker the redis token)");
        var simulate = account.Calls.CommandLines.Where(c => c.Contains(" simulate-principal-policy ")).Should().ContainSingle("one call per execution role").Subject;
        simulate.Should().Contain($"iam simulate-principal-policy --policy-source-arn {AppExecution} --action-names secretsmanager:GetSecretValue --resource-arns ")
            .And.Contain(account.DbArn).And.Contain(account.RedisArn).And.Contain($"--endpoint-url {account.Simulator!.Url}");
        account.Simulator.Requests.Should().ContainSingle().Which.Should().Contain("Action=SimulatePrincipalPolicy").And.Contain("ActionNames.member.1=secretsmanager%3AGetSecretValue");
    }

    [LiveToolsFact("aws", "moto_server")]
    public void C6_an_allowed_simulator_answer_overrules_the_evaluator_and_an_explicit_deny_is_named()
    {
        _ = Check;
        var json = JsonNode.Parse(account.SnapshotJson)!;
        foreach (var s in json["aws"]!["simulations"]!.AsArray())
            s!["decision"] = (string?)s["resource"] == account.DbArn ? "allowed" : "explicitDeny";
        var findings = CheckWith(json.ToJsonString()).Where(f => f.RuleId == "live-execution-role-cannot-read-secret").ToList();
        var finding = findings.Should().ContainSingle("AWS allows the database secret, which the role's own policies do not; it denies the redis token they allow").Subject;
        finding.Span.File.Should().Be("worker-taskdef.json");
        finding.Message.Should().Contain("decided `explicitDeny`: an explicit Deny forbids it").And.Contain(account.RedisArn);
    }

    [LiveToolsFact("aws", "moto_server")]
    public void C6_when_the_simulator_call_is_denied_the_evaluator_decides_and_says_the_simulator_was_not_collected()
    {
        _ = Check;
        var (snapshot, calls) = account.SimulatorDenied!.Value;
        var missing = snapshot.NotCollected.Should().ContainSingle(n => n.Part.StartsWith("iam.simulate:")).Subject;
        missing.Part.Should().Be($"iam.simulate:{AppExecution}");
        missing.Kind.Should().Be("AccessDenied");
        missing.Command.Should().Contain("iam simulate-principal-policy --policy-source-arn " + AppExecution);
        snapshot.Aws!.Simulations.Should().BeEmpty();
        calls.CommandLines.Should().Contain(c => c.Contains(" simulate-principal-policy "));

        var finding = CheckWith(snapshot.ToJson()).Where(f => f.RuleId == "live-execution-role-cannot-read-secret").Should().ContainSingle().Subject;
        finding.Span.StartLine.Should().Be(LineOf(Path.Combine(account.Repo, "taskdef.json"), "DB_PASSWORD"));
        finding.Message.Should().Contain("no statement of its policies allows it (Groundcrew's IAM evaluator; AWS's policy simulator was not collected: AccessDenied)");
    }

    [LiveToolsFact("aws", "moto_server")]
    public void C6_a_snapshot_written_before_the_simulator_was_collected_is_judged_by_the_evaluator()
    {
        _ = Check;
        var json = JsonNode.Parse(account.SnapshotJson)!;
        json["aws"]!.AsObject().Remove("simulations").Should().BeTrue();
        var finding = CheckWith(json.ToJsonString()).Where(f => f.RuleId == "live-execution-role-cannot-read-secret").Should().ContainSingle().Subject;
        finding.Message.Should().Contain("Groundcrew's IAM evaluator; AWS's policy simulator is not in this snapshot, written before groundcrew asked it");
    }

    private List<Finding> CheckWith(string snapshotJson) =>
        new CheckRunner(new CheckOptions { Paths = [account.Repo], Config = GroundcrewConfig.Default, Inventory = Snapshot.Parse(snapshotJson, "inventory.json") })
            .Run().Findings.ToList();

    [LiveToolsFact("aws", "moto_server")]
    public void C1_the_registered_revision_lost_the_secrets_environment_and_health_check_of_the_file()
    {
        var finding = Of("live-task-definition-drift").Should().ContainSingle().Subject;
        finding.Span.StartLine.Should().Be(LineOf(Path.Combine(account.Repo, "taskdef.json"), "\"family\""));
        finding.Message.Should().Contain("`api:2`").And.Contain("`DB_PASSWORD`").And.Contain("`LOG_LEVEL`").And.Contain("health check").And.Contain("revision 1");
    }

    [LiveToolsFact("aws", "moto_server")]
    public void A2_the_irsa_role_trusts_the_old_clusters_provider_and_a_missing_role_is_named()
    {
        var sa = Path.Combine(account.Repo, "serviceaccounts.yaml");
        Of("live-irsa-trust-mismatch").Should().Contain(f => f.Span.StartLine == LineOf(sa, "role/shop-api") && f.Message.Contains("0000OLDCLUSTER"));
        Of("live-role-missing").Should().ContainSingle(f => f.Span.StartLine == LineOf(sa, "role/shop-billing"))
            .Which.Message.Should().Contain("no role `shop-billing` exists");
    }

    [LiveToolsFact("aws", "moto_server")]
    public void B1_the_irsa_role_trusts_the_provider_for_another_serviceaccount()
    {
        var sa = Path.Combine(account.Repo, "serviceaccounts.yaml");
        Of("live-irsa-trust-mismatch").Should().ContainSingle(f => f.Span.StartLine == LineOf(sa, "role/shop-worker"))
            .Which.Message.Should().Contain("system:serviceaccount:shop:worker");
    }

    [LiveToolsFact("aws", "moto_server")]
    public void D3_the_service_runs_in_a_private_subnet_with_no_route_out_and_no_endpoints()
    {
        var file = Path.Combine(account.Repo, "worker-taskdef.json");
        var finding = Of("live-private-subnet-no-egress").Should().ContainSingle().Subject;
        finding.Span.File.Should().Be("worker-taskdef.json");
        finding.Span.StartLine.Should().Be(LineOf(file, "\"family\""));
        finding.Message.Should().Contain("Service `worker` (cluster `main`)").And.Contain(account.PrivateSubnet)
            .And.Contain("ecr.api").And.Contain("ecr.dkr").And.Contain("s3").And.Contain("secretsmanager").And.NotContain("logs (");
        finding.Fix.Should().Contain("com.amazonaws.us-east-1.secretsmanager");
    }

    [LiveToolsFact("aws", "moto_server")]
    public void A6_the_image_in_ECR_is_arm64_only_while_the_node_group_and_the_task_are_amd64()
    {
        account.Snapshot!.Aws!.EcrRepositories.Single(r => r.Name == "worker").Images.Single().Platforms.Should().Equal(["linux/arm64"], "the attestation entry is not a platform");
        var findings = Of("live-image-platform-mismatch");
        findings.Select(f => $"{f.Span.File}:{f.Span.StartLine}").Should().BeEquivalentTo(
            $"worker-taskdef.json:{LineOf(Path.Combine(account.Repo, "worker-taskdef.json"), "dkr.ecr")}",
            $"worker-deployment.yaml:{LineOf(Path.Combine(account.Repo, "worker-deployment.yaml"), "dkr.ecr")}");
        findings.Should().OnlyContain(f => f.Message.Contains("`linux/arm64` only") && f.Message.Contains("amd64"));
        findings.Should().Contain(f => f.Message.Contains("node group(s) `general` (AL2_x86_64)"));
    }

    [LiveToolsFact("aws", "moto_server")]
    public void A8_the_deployment_asks_for_a_tag_that_was_never_pushed_to_ECR()
    {
        account.Snapshot!.Aws!.EcrRepositories.Single(r => r.Name == "worker").Images.Single().Tags.Should().Equal("1.0");
        var finding = Of("live-image-tag-not-pushed").Should().ContainSingle("worker:1.0 was pushed; only worker:1.1 was not").Subject;
        finding.Span.File.Should().Be("jobs-deployment.yaml");
        finding.Span.StartLine.Should().Be(LineOf(Path.Combine(account.Repo, "jobs-deployment.yaml"), "worker:1.1"));
        finding.Message.Should().Contain("repository `worker` for tag `1.1`, which was never pushed").And.Contain("nearest pushed tag(s): `1.0`")
            .And.Contain("observed in the inventory of");
        finding.Fix.Should().Contain("123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1.0");
    }

    [LiveToolsFact("aws", "moto_server")]
    public void B3_without_read_secret_values_no_value_is_read_and_nothing_is_flagged()
    {
        _ = Check;
        account.Calls.CommandLines.Should().NotContain(c => c.Contains("get-secret-value"));
        account.Snapshot!.Aws!.Secrets.Should().OnlyContain(s => s.Placeholders == null && s.KeyNames == null);
        account.SnapshotJson.Should().NotContain("your-openai").And.NotContain("placeholders");
        Of("live-secret-value-placeholder").Should().BeEmpty("the default snapshot does not know any value");
    }

    [LiveToolsFact("aws", "moto_server")]
    public void B3_with_read_secret_values_the_placeholder_key_is_named_and_its_value_never_shown()
    {
        _ = Check;
        var (snapshot, calls) = account.SecretReading!.Value;
        calls.CommandLines.Count(c => c.Contains("secretsmanager get-secret-value")).Should().Be(3, "each secret is read once, with the flags");
        var openai = snapshot.Aws!.Secrets.Single(s => s.Arn == account.OpenAiArn);
        openai.Placeholders.Should().Equal(new PlaceholderFact("assistant_id", "angle-your"));
        openai.KeyNames.Should().Equal("assistant_id", "model");
        snapshot.Aws.Secrets.Where(s => s.Arn != account.OpenAiArn).Should().OnlyContain(s => s.Placeholders!.Count == 0);
        var json = snapshot.ToJson();
        json.Should().NotContain("your-openai").And.NotContain("never-printed").And.NotContain("t0k3n");

        var snapshotFile = Path.Combine(account.Repo, "..", $"values-{Guid.NewGuid():N}.json");
        File.WriteAllText(snapshotFile, json);
        try
        {
            var result = new CheckRunner(new CheckOptions { Paths = [Path.Combine(account.Repo, "assistant-taskdef.json")], Config = GroundcrewConfig.Default,
                Inventory = Snapshot.Load(snapshotFile) }).Run();
            var finding = result.Of("live-secret-value-placeholder").Should().ContainSingle("only the key the placeholder is in is flagged, not `model`").Subject;
            finding.Span.StartLine.Should().Be(LineOf(Path.Combine(account.Repo, "assistant-taskdef.json"), "OPENAI_ASSISTANT_ID"));
            finding.Message.Should().Contain("secret `app/openai`: the value of key `assistant_id` looks like a placeholder (pattern `angle-your` of placeholders.yaml)")
                .And.NotContain("<your").And.NotContain("never-printed");
            result.Findings.Should().NotContain(f => (f.Message + f.Fix).Contains("your-openai") || (f.Message + f.Fix).Contains("never-printed"));
        }
        finally { File.Delete(snapshotFile); }
    }

    [LiveToolsFact("aws", "moto_server")]
    public void D5_with_read_secret_keys_a_valueFrom_selecting_a_key_the_secret_lacks_is_found()
    {
        _ = Check;
        var snapshot = account.SecretReading!.Value.Snapshot;
        var db = snapshot.Aws!.Secrets.Single(s => s.Arn == account.DbArn);
        db.KeyNames.Should().Equal("password", "username");
        db.Placeholders.Should().BeEmpty("username and password hold real values");
        snapshot.ToJson().Should().NotContain("never-printed").And.NotContain("\"app\"", "key names are kept, values are not");

        using var repo = new TempDir();
        // The incident's app: host and dbname taken from an RDS-style secret that holds only username and password.
        repo.Write("taskdef.json", $$"""
            {
              "family": "app",
              "containerDefinitions": [
                {
                  "name": "app",
                  "image": "nginx:1.27",
                  "secrets": [
                    { "name": "DB_USER", "valueFrom": "{{account.DbArn}}:username::" },
                    { "name": "DB_HOST", "valueFrom": "{{account.DbArn}}:host::" }
                  ]
                }
              ]
            }
            """);
        var file = Path.Combine(repo.Path, "inventory.json");
        File.WriteAllText(file, snapshot.ToJson());
        var result = new CheckRunner(new CheckOptions { Paths = [Path.Combine(repo.Path, "taskdef.json")], Config = GroundcrewConfig.Default, Inventory = Snapshot.Load(file) }).Run();
        var finding = result.Of("live-secret-key-missing").Should().ContainSingle("username is in the secret").Subject;
        finding.Span.StartLine.Should().Be(9);
        finding.Message.Should().Contain("selects JSON key `host` of Secrets Manager secret `app/db`, which holds only `password`, `username`")
            .And.Contain("did not contain json key host");
    }

    [LiveToolsFact("aws", "moto_server")]
    public void A11_the_rule_sends_to_a_queue_no_role_may_receive_from()
    {
        var finding = Of("live-queue-no-receiver").Should().ContainSingle().Subject;
        finding.Span.File.Should().Be("queues.tf");
        finding.Span.StartLine.Should().Be(2);
        finding.Message.Should().Contain("`order-events`").And.Contain("holds 1 message(s)").And.Contain(account.QueueArn);
    }

    [LiveToolsFact("aws", "moto_server")]
    public void D2_a_role_the_stack_names_claim_is_in_the_account_but_not_in_the_pulumi_state()
    {
        _ = Check;
        using var repo = new TempDir();
        // The shop stack's export holds shop-api only; shop-worker (created by an abandoned `pulumi up`) is in the account as moto holds it.
        WriteShopStackExport(repo);
        var file = Path.Combine(repo.Path, "inventory.json");
        File.WriteAllText(file, account.SnapshotJson);
        var result = new CheckRunner(new CheckOptions { Paths = [repo.Path], Config = GroundcrewConfig.Default, Inventory = Snapshot.Load(file) }).Run();
        var finding = result.Of("live-resource-not-in-state").Should().ContainSingle("shop-api is in the state; app-execution is not named for the stack").Subject;
        finding.Span.File.Should().Be("stack-export.json");
        finding.Span.StartLine.Should().Be(5, "the stack resource's urn");
        finding.Message.Should().Contain("IAM role `shop-worker` exists in the account").And.Contain("claims it for `shop`");
        finding.Fix.Should().Contain("`pulumi import aws:iam/role:Role worker shop-worker`");
        Of("live-resource-not-in-state").Should().BeEmpty("the incident repository holds no state");
    }

    /// <summary>The shop stack's Pulumi export, holding shop-api only (the role as the account holds it).</summary>
    private void WriteShopStackExport(TempDir repo)
    {
        var shopApi = account.Snapshot!.Aws!.Roles.Single(r => r.Name == "shop-api");
        repo.Write("stack-export.json", $$"""
            {
              "version": 3,
              "deployment": {
                "resources": [
                  { "urn": "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev", "type": "pulumi:pulumi:Stack" },
                  { "urn": "urn:pulumi:dev::shop::aws:iam/role:Role::api", "type": "aws:iam/role:Role", "id": "shop-api",
                    "outputs": { "arn": "{{shopApi.Arn}}", "name": "shop-api" } }
                ]
              }
            }
            """);
    }

    /// <summary>The fixture's snapshot with tags set on roles and secrets (the collector keeps what IAM and Secrets Manager return).</summary>
    private string Tagged(params (string Kind, string Name, string Tags)[] tagged)
    {
        var json = JsonNode.Parse(account.SnapshotJson)!;
        foreach (var (kind, name, tags) in tagged)
            json["aws"]![kind]!.AsArray().Single(x => (string?)x!["name"] == name)!["tags"] = JsonNode.Parse(tags);
        return json.ToJsonString();
    }

    private static List<Finding> NotInState(string repo, string snapshotJson) =>
        new CheckRunner(new CheckOptions { Paths = [repo], Config = GroundcrewConfig.Default, Inventory = Snapshot.Parse(snapshotJson, "inventory.json") })
            .Run().Findings.Where(f => f.RuleId == "live-resource-not-in-state").ToList();

    [LiveToolsFact("aws", "moto_server")]
    public void D2_tags_tie_a_resource_to_the_pulumi_stack_its_name_does_not_claim_and_tags_of_another_stack_outweigh_the_name()
    {
        _ = Check;
        using var repo = new TempDir();
        WriteShopStackExport(repo);
        var findings = NotInState(repo.Path, Tagged(
            ("roles", "app-execution", """{"pulumi:project":"shop","pulumi:stack":"dev"}"""),
            ("roles", "shop-worker", """{"pulumi:project":"billing"}"""),
            ("secrets", "app/db", """{"aws:cloudformation:stack-name":"shop","pulumi:project":"shop"}""")));
        var finding = findings.Should().ContainSingle("shop-worker's tags name the billing project, app/db is CloudFormation's").Subject;
        finding.Message.Should().Contain("IAM role `app-execution` exists in the account").And.Contain("its tags (pulumi:project=shop) claim it for `shop`");
        finding.Fix.Should().Contain("`pulumi import aws:iam/role:Role app-execution app-execution`");

        // Untagged, the name alone ties shop-worker, and the finding says no tag confirms it.
        NotInState(repo.Path, account.SnapshotJson).Should().ContainSingle().Which.Message
            .Should().Contain("`shop-worker`").And.Contain("its name claims it for `shop` (it has no tags to confirm it)");
    }

    [LiveToolsFact("aws", "moto_server")]
    public void D2_terraform_default_tags_tie_a_role_to_the_state_and_a_different_project_tag_does_not()
    {
        _ = Check;
        using var repo = new TempDir();
        repo.Write("state.json", """
            {
              "format_version": "1.0",
              "terraform_version": "1.9.5",
              "values": {
                "root_module": {
                  "resources": [
                    { "address": "aws_iam_role.api", "mode": "managed", "type": "aws_iam_role", "name": "api", "provider_name": "registry.terraform.io/hashicorp/aws",
                      "values": { "id": "hokusai-api", "name": "hokusai-api", "arn": "arn:aws:iam::123456789012:role/hokusai-api",
                                  "tags_all": { "ManagedBy": "terraform", "Project": "hokusai" } } },
                    { "address": "aws_sqs_queue.jobs", "mode": "managed", "type": "aws_sqs_queue", "name": "jobs", "provider_name": "registry.terraform.io/hashicorp/aws",
                      "values": { "id": "https://sqs.us-east-1.amazonaws.com/123456789012/hokusai-jobs", "name": "hokusai-jobs",
                                  "tags_all": { "ManagedBy": "terraform", "Project": "hokusai" } } }
                  ]
                }
              }
            }
            """);
        var findings = NotInState(repo.Path, Tagged(
            ("roles", "app-execution", """{"ManagedBy":"terraform","Project":"hokusai","Team":"api"}"""),
            ("roles", "shop-api", """{"ManagedBy":"terraform","Project":"shop"}""")));
        findings.Should().NotContain(f => f.Message.Contains("`shop-api`"), "its Project tag ties it to another stack");
        findings.Should().Contain(f => f.Message.Contains("`hokusai/redis/auth-token`") && f.Message.Contains("its name claims it for `hokusai` (it has no tags to confirm it)"));
        var finding = findings.Should().ContainSingle(f => f.Message.Contains("IAM role"), "only app-execution carries the state's default tags").Subject;
        finding.Message.Should().Contain("IAM role `app-execution`").And.Contain("its tags (ManagedBy=terraform, Project=hokusai) claim it for `hokusai`");
        finding.Fix.Should().Contain("`terraform import aws_iam_role.app_execution app-execution`");
    }

    [LiveToolsFact("aws", "moto_server")]
    public void Without_an_inventory_no_live_rule_speaks()
    {
        _ = Check;
        var plain = new CheckRunner(new CheckOptions { Paths = [account.Repo], Config = GroundcrewConfig.Default }).Run();
        plain.Findings.Should().NotContain(f => f.RuleId.StartsWith("live-"));
    }
}

/// <summary>Passes the calls of the named aws services to the real runner and refuses every other one, as AccessDenied would, without starting a process.</summary>
internal sealed class OnlyServices(ICommandRunner inner, params string[] services) : ICommandRunner
{
    public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct) =>
        args.Count > 0 && services.Contains(args[0])
            ? inner.RunAsync(file, args, timeout, ct)
            : Task.FromResult(new CommandResult(254, "", $"An error occurred (AccessDenied) when calling the {(args.Count > 1 ? args[1] : "?")} operation: not in this test")
                { CommandLine = string.Join(' ', [file, .. args]) });
}
