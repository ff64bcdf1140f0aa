using FluentAssertions;
using Groundcrew.Live.Inventory;
using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>
/// The snapshot's on-disk format (docs/schemas/inventory.schema.json) read and written by the source-generated
/// System.Text.Json contract: every snapshot file the project holds still loads and writes back unchanged, and a
/// snapshot with every part filled in round-trips and validates.
/// </summary>
public class SnapshotFormatTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(Verify.Harness.RepoRoot, "docs", "schemas", "inventory.schema.json"))).GetAwaiter().GetResult());

    public static TheoryData<string> SnapshotFiles()
    {
        var root = Verify.Harness.RepoRoot;
        var files = new TheoryData<string>();
        foreach (var dir in new[] { "examples", Path.Combine("tests", "Groundcrew.Tests") })
            foreach (var file in Directory.GetFiles(Path.Combine(root, dir), "*.json", SearchOption.AllDirectories))
                if (!file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                    && File.ReadAllText(file).Contains("\"groundcrewInventory\""))
                    files.Add(Path.GetRelativePath(root, file));
        return files;
    }

    [Fact]
    public void The_project_holds_snapshot_files_to_check()
    {
        SnapshotFiles().Count.Should().BeGreaterThanOrEqualTo(11, "the hokusai example and every live rule's fail and pass fixture");
    }

    [Theory]
    [MemberData(nameof(SnapshotFiles))]
    public void An_existing_snapshot_file_loads_and_writes_back_the_same_json(string file)
    {
        var text = File.ReadAllText(Path.Combine(Verify.Harness.RepoRoot, file));
        var written = Snapshot.Parse(text, file).ToJson();

        // Every value the file holds is written back as it was; the writer adds only the empty lists a hand-written
        // fixture leaves out, and writing again changes nothing.
        Missing(Parse(text), Parse(written), "$").Should().BeEmpty($"{file} written back:\n{written}");
        Snapshot.Parse(written, file).ToJson().Should().Be(written);
        Schema.Value.Validate(written).Should().BeEmpty();
        if (file.StartsWith("examples")) written.Should().Be(text, "the example was written by `groundcrew inventory`");
    }

    [Fact]
    public void A_snapshot_with_every_part_round_trips_in_the_published_format()
    {
        var json = Full().ToJson();
        Schema.Value.Validate(json).Should().BeEmpty(json);
        Snapshot.Parse(json, "full.json").ToJson().Should().Be(json);

        var o = JsonNode.Parse(json)!.AsObject();
        o.Select(p => p.Key).Take(4).Should().Equal("groundcrewInventory", "takenAt", "sources", "notCollected");
        o["groundcrewInventory"]!.GetValue<int>().Should().Be(1);
        json.Should().Contain("\"takenAt\": \"2026-12-06T18:00:00+00:00\"").And.Contain("\"mapPublicIpOnLaunch\": false");
        o["kube"]!["workloads"]![0]!["selectorLabels"]!["app.kubernetes.io/name"]!.GetValue<string>().Should().Be("api", "label names are keys, not camelCased");
        o["aws"]!["roles"]![0]!["trustPolicy"]!["Statement"]![0]!["Effect"]!.GetValue<string>().Should().Be("Allow", "policy documents keep AWS's own names");
        o["aws"]!["secrets"]![0]!.AsObject().ContainsKey("kmsKeyId").Should().BeFalse("nulls are left out");
        json.Should().Contain("\n  \"aws\": {\n    \"roles\": [", "two-space indentation as before");
    }

    [Fact]
    public void Policy_dates_stay_strings_when_read()
    {
        var read = Snapshot.Parse(Full().ToJson(), "full.json");
        read.Aws!.Roles[0].TrustPolicy!["Version"]!.GetValueKind().Should().Be(JsonValueKind.String);
        read.Aws.TaskDefinitions[0].Definition["registeredAt"]!.GetValue<string>().Should().Be("2026-12-01T10:00:00.123Z");
    }

    [Theory]
    [InlineData("""{"groundcrewInventory": 2, "takenAt": "2026-12-06T18:00:00Z"}""", "newer than this groundcrew reads")]
    [InlineData("""{"takenAt": "2026-12-06T18:00:00Z"}""", "no \"groundcrewInventory\" version")]
    [InlineData("""[1, 2]""", "no \"groundcrewInventory\" version")]
    [InlineData("""{"groundcrewInventory": "one"}""", "no \"groundcrewInventory\" version")]
    [InlineData("""{"groundcrewInventory": 1, "takenAt": """, "not a readable inventory snapshot")]
    [InlineData("""{"groundcrewInventory": 1, "takenAt": "yesterday"}""", "does not match its schema")]
    [InlineData("""{"groundcrewInventory": 1, "aws": {"roles": [{"name": "r", "arn": "a", "trustPolicy": "x", "policies": []}], "taskDefinitions": [{"family": "f", "definition": [1]}]}}""", "does not match its schema")]
    public void A_bad_snapshot_is_an_input_error_with_a_reason(string text, string reason)
    {
        var act = () => Snapshot.Parse(text, "bad.json");
        act.Should().Throw<SnapshotException>().WithMessage($"bad.json*: *{reason}*");
    }

    [Theory]
    // Cut off after "takenAt": the parser stops at the `}` on line 4, column 1.
    [InlineData("{\n  \"groundcrewInventory\": 1,\n  \"takenAt\": \n}", "bad.json:4:1: not a readable inventory snapshot: '}' is an invalid start of a value*")]
    // The column counts characters, not UTF-8 bytes: "é" is two bytes.
    [InlineData("{\"groundcrewInventory\": 1, \"n\": \"é\" x}", "bad.json:1:37: not a readable inventory snapshot: 'x' is invalid after a value*")]
    [InlineData("{\n  \"groundcrewInventory\": 1,\n  \"takenAt\": \"yesterday\"\n}", "bad.json:3:*: inventory snapshot does not match its schema at $.takenAt: The JSON value could not be converted to System.DateTimeOffset*")]
    public void A_bad_snapshot_names_the_file_and_the_1_based_line_and_column(string text, string message)
    {
        var act = () => Snapshot.Parse(text, "bad.json");
        act.Should().Throw<SnapshotException>().Which.Message.Should().Match(message).And.NotContain("LineNumber").And.NotContain("BytePositionInLine");
    }

    [Fact]
    public void Every_cut_of_a_real_snapshot_is_an_input_error_whose_position_lies_inside_the_file()
    {
        var text = File.ReadAllText(Path.Combine(Verify.Harness.RepoRoot, "examples", "c-hokusai", "inventory.json"));
        var positioned = 0;
        for (var cut = 1; cut < text.Length - 2; cut += 53)
        {
            var part = text[..cut];
            var act = () => Snapshot.Parse(part, "cut.json");
            var message = act.Should().Throw<SnapshotException>($"a snapshot cut at {cut}").Which.Message;
            var m = System.Text.RegularExpressions.Regex.Match(message, @"^cut\.json:(\d+):(\d+): ");
            if (!m.Success) continue;
            positioned++;
            var line = int.Parse(m.Groups[1].Value);
            var column = int.Parse(m.Groups[2].Value);
            var partLines = part.Split('\n');
            line.Should().BeInRange(1, partLines.Length, message);
            column.Should().BeInRange(1, partLines[line - 1].Length + 1, message);
        }
        positioned.Should().BeGreaterThan(10, "the reader's errors carry positions");
    }

    [Fact]
    public void Check_with_a_malformed_inventory_file_says_where_and_exits_2()
    {
        using var dir = new TempDir();
        dir.Write("deployment.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n");
        dir.Write("inventory.json", "{\n  \"groundcrewInventory\": 1,\n  \"takenAt\": \"2026-12-06T18:00:00Z\",\n  \"aws\": {\"roles\": [}\n}\n");
        var file = Path.Combine(dir.Path, "inventory.json");
        var run = GroundcrewCli.Exec("check", Path.Combine(dir.Path, "deployment.yaml"), "--inventory", file);
        run.ExitCode.Should().Be(2, run.Stderr);
        run.Stderr.Trim().Should().Be($"groundcrew: {file}:4:21: not a readable inventory snapshot: '}}' is an invalid start of a value");
        run.Stdout.Should().BeEmpty();
    }

    [Fact]
    public void Null_lists_in_a_snapshot_read_as_empty()
    {
        var read = Snapshot.Parse("""{"groundcrewInventory": 1, "takenAt": "2026-12-06T18:00:00Z", "sources": null, "notCollected": null, "aws": {"roles": null, "secrets": null}, "kube": {"pods": null}}""", "nulls.json");
        read.NotCollected.Should().BeEmpty();
        read.Sources.Should().NotBeNull();
        read.Aws!.Roles.Should().BeEmpty();
        read.Aws.Secrets.Should().BeEmpty();
        read.Kube!.Pods.Should().BeEmpty();
        read.Knows("iam.roles").Should().BeTrue();
    }

    // Where `original` holds something `written` does not: a different value, or a property left out (an empty list
    // written for a property the original omits is a default, not a difference).
    // (A JSON null is a null node here: a property holding null is present with no value.)
    private static IEnumerable<string> Missing(JsonNode? original, JsonNode? written, string at)
    {
        switch (original)
        {
            case JsonObject o when written is JsonObject w:
                foreach (var (name, value) in o)
                    foreach (var m in w[name] is { } other ? Missing(value, other, $"{at}.{name}") : value is null ? [] : [$"{at}.{name} left out"])
                        yield return m;
                foreach (var (name, _) in w.Where(p => !o.ContainsKey(p.Key) && p.Value is not JsonArray { Count: 0 }))
                    yield return $"{at}.{name} added";
                break;
            case JsonArray a when written is JsonArray w && a.Count == w.Count:
                for (var i = 0; i < a.Count; i++)
                    foreach (var m in Missing(a[i], w[i], $"{at}[{i}]")) yield return m;
                break;
            default:
                if (!JsonNode.DeepEquals(original, written)) yield return $"{at}: {Text(original)} became {Text(written)}";
                break;
        }
    }

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    // System.Text.Json never reads a date out of a string: "2012-10-17" and registeredAt stay the text written.
    private static JsonNode? Parse(string json) => JsonNode.Parse(json);

    private static Snapshot Full()
    {
        var trust = JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");
        var aws = new AwsFacts
        {
            Roles = [new IamRoleFact("app-execution", "arn:aws:iam::111122223333:role/app-execution", trust,
                [new NamedPolicy("read", null, JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""")!.AsObject()),
                 new NamedPolicy("AmazonECSTaskExecutionRolePolicy", "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", null)])],
            OidcProviders = ["arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"],
            Secrets = [new SecretFact("app/db", "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-AbCdEf", null, DateTimeOffset.Parse("2026-12-01T09:00:00Z")) { KeyNames = ["username", "password"] }],
            SsmParameters = ["/app/api-keys"],
            KmsKeys = [new KmsKeyFact("1234abcd", "arn:aws:kms:us-east-1:111122223333:key/1234abcd", trust)],
            EcrRepositories = [new EcrRepositoryFact("api", "111122223333.dkr.ecr.us-east-1.amazonaws.com/api", [new EcrImageFact("sha256:00", ["v1"], ["linux/arm64"])])],
            Vpcs = [JsonNode.Parse("""{"VpcId":"vpc-1","CidrBlock":"10.0.0.0/16"}""")!.AsObject()],
            Subnets = [new SubnetFact("subnet-1", "vpc-1", false, "us-east-1a")],
            RouteTables = [new RouteTableFact("rtb-1", "vpc-1", false, ["subnet-1"], [new RouteFact("10.0.0.0/16", "local", "active"), new RouteFact("0.0.0.0/0", "nat-1", "active")])],
            NatGateways = ["nat-1"],
            InternetGateways = ["igw-1"],
            VpcEndpoints = [new VpcEndpointFact("vpce-1", "com.amazonaws.us-east-1.s3", "Gateway", ["rtb-1"], [])],
            SecurityGroups = [JsonNode.Parse("""{"GroupId":"sg-1"}""")!.AsObject()],
            EcsClusters = [new EcsClusterFact("main", "arn:aws:ecs:us-east-1:111122223333:cluster/main",
                [new EcsServiceFact("api", "arn:aws:ecs:us-east-1:111122223333:task-definition/api:7", 2, 1, ["subnet-1"], false, JsonNode.Parse("""[{"status":"PRIMARY"}]""")!.AsArray())])],
            TaskDefinitions = [new TaskDefinitionFact("api", 7, "arn:aws:ecs:us-east-1:111122223333:task-definition/api:7",
                JsonNode.Parse("""{"family":"api","revision":7,"registeredAt":"2026-12-01T10:00:00.123Z","containerDefinitions":[{"name":"api","image":"nginx"}]}""")!.AsObject())],
            EksClusters = [new EksClusterFact("shop", "https://oidc.eks.us-east-1.amazonaws.com/id/ABC", [new NodeGroupFact("ng", ["m6i.large"], "AL2023_x86_64_STANDARD")])],
            Queues = [new QueueFact("https://sqs.us-east-1.amazonaws.com/111122223333/jobs", "jobs", "arn:aws:sqs:us-east-1:111122223333:jobs", 3, trust)],
            EventRules = [new EventRuleFact("nightly", "arn:aws:events:us-east-1:111122223333:rule/nightly", ["arn:aws:sqs:us-east-1:111122223333:jobs"])],
            LoadBalancers = [JsonNode.Parse("""{"LoadBalancerName":"web"}""")!.AsObject()],
            TargetGroups = [JsonNode.Parse("""{"TargetGroupName":"web"}""")!.AsObject()],
        };
        var kube = new KubeFacts
        {
            Namespaces = ["shop"],
            ServiceAccounts = [new ServiceAccountFact("shop", "api", "arn:aws:iam::111122223333:role/shop-api")],
            Secrets = [new KeyedObjectFact("shop", "db", ["password"], "42", DateTimeOffset.Parse("2026-12-05T08:00:00Z"))],
            ConfigMaps = [new KeyedObjectFact("shop", "env", ["LOG_LEVEL"], "43", null)],
            Workloads = [new WorkloadFact("Deployment", "shop", "api", 3, new() { ["app.kubernetes.io/name"] = "api" }, ["db"], ["env"])],
            Pods = [new PodFact("shop", "api-1", "api", DateTimeOffset.Parse("2026-12-04T08:00:00Z"), "Running", 0, [new PodImageFact("api", "nginx:1.27", "docker.io/library/nginx@sha256:00")], ["db"], ["env"])],
            Hpas = [new HpaFact("shop", "api", "Deployment", "api", 2, 5)],
            Pdbs = [new PdbFact("shop", "api", "2", null, new() { ["app.kubernetes.io/name"] = "api" })],
            Nodes = [new NodeFact("ip-10-0-1-1", "amd64", "m6i.large")],
        };
        return new Snapshot
        {
            TakenAt = DateTimeOffset.Parse("2026-12-06T18:00:00+00:00"),
            Sources = new SnapshotSources { Aws = new AwsSource("111122223333", ["us-east-1"], "prod", null), Kube = new KubeSource("prod", null, ["shop"]) },
            NotCollected = [new NotCollected("kms.keys", "AccessDenied", "kms:ListKeys denied", "aws kms list-keys --output json")],
            Aws = aws,
            Kube = kube,
        };
    }
}
