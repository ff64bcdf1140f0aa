using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Live;
using Groundcrew.Live.Inventory;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>
/// One reading of "which calls does ECS make with the execution role for this valueFrom" (SecretReads): the collector
/// asks `iam simulate-principal-policy` exactly the (action, resource) pairs live-execution-role-cannot-read-secret later
/// looks up. The collector runs against canned aws answers (the simulator denies every pair it is asked), then `check`
/// runs on a task definition with the same references: every pair the rule looks up must carry the simulator's answer,
/// and the collector must have asked nothing else.
/// </summary>
public class SecretReadsTests
{
    private const string Account = "111122223333";
    private const string Region = "us-east-1";
    private const string Role = $"arn:aws:iam::{Account}:role/app-execution";
    private const string Sm = $"arn:aws:secretsmanager:{Region}:{Account}:secret:";
    private const string CustomerKey = $"arn:aws:kms:{Region}:{Account}:key/1234abcd";

    private static readonly AwsFacts Facts = new()
    {
        Secrets =
        [
            new SecretFact("app/db", Sm + "app/db-AbCdEf", CustomerKey, null),
            new SecretFact("app/api", Sm + "app/api-GhIjKl", "alias/aws/secretsmanager", null),
            new SecretFact("app-secret", Sm + "app-secret-MnOpQr", null, null),
            new SecretFact("auth-token", Sm + "auth-token-0GWWJx", null, null),
        ],
        SsmParameters = ["/app/api-keys", "plain"],
        KmsKeys = [new KmsKeyFact("1234abcd", CustomerKey, null)],
    };

    /// <summary>Each valueFrom form, and the (action, resource) pairs ECS needs for it on the facts above.</summary>
    public static TheoryData<string, string[]> References() => new()
    {
        // Secrets Manager: the full ARN with its suffix; a customer managed key needs kms:Decrypt too.
        { Sm + "app/db-AbCdEf", ["secretsmanager:GetSecretValue " + Sm + "app/db-AbCdEf", "kms:Decrypt " + CustomerKey] },
        // A partial ARN (the secret's name, no suffix) means the secret of that name.
        { Sm + "app/db", ["secretsmanager:GetSecretValue " + Sm + "app/db-AbCdEf", "kms:Decrypt " + CustomerKey] },
        // A JSON key (and version stage/id) tail: the call is on the secret itself.
        { Sm + "app/db-AbCdEf:password::", ["secretsmanager:GetSecretValue " + Sm + "app/db-AbCdEf", "kms:Decrypt " + CustomerKey] },
        { Sm + "app/db:password:AWSCURRENT:", ["secretsmanager:GetSecretValue " + Sm + "app/db-AbCdEf", "kms:Decrypt " + CustomerKey] },
        // The AWS managed key (alias/aws/secretsmanager) needs no grant.
        { Sm + "app/api-GhIjKl", ["secretsmanager:GetSecretValue " + Sm + "app/api-GhIjKl"] },
        // A name that itself ends in "-" and six letters, by partial ARN: that secret, not a secret "app" with suffix "secret".
        { Sm + "app-secret", ["secretsmanager:GetSecretValue " + Sm + "app-secret-MnOpQr"] },
        // A placeholder suffix (C5): no such secret, so no permission to ask about (live-secret-missing reports it).
        { Sm + "auth-token-RANDOM", [] },
        { Sm + "nothing-here", [] },
        // Not a secret's ARN.
        { $"arn:aws:secretsmanager:{Region}:{Account}:rotation:x", [] },
        // SSM: by name (with or without its leading slash) and by ARN, only when the parameter exists.
        { "/app/api-keys", [$"ssm:GetParameters arn:aws:ssm:{Region}:{Account}:parameter/app/api-keys"] },
        { "plain", [$"ssm:GetParameters arn:aws:ssm:{Region}:{Account}:parameter/plain"] },
        { $"arn:aws:ssm:{Region}:{Account}:parameter/app/api-keys", [$"ssm:GetParameters arn:aws:ssm:{Region}:{Account}:parameter/app/api-keys"] },
        { "/app/missing", [] },
        { $"arn:aws:ssm:{Region}:{Account}:parameter/app/missing", [] },
        // A bare secret name is an SSM parameter name to ECS: none exists, so nothing is asked.
        { "app/db", [] },
    };

    [Theory]
    [MemberData(nameof(References))]
    public void Each_reference_form_needs_the_calls_ECS_makes(string valueFrom, string[] expected)
    {
        SecretReads.Needs(Facts, valueFrom, Account, Region).Select(n => $"{n.Action} {n.Resource}").Should().BeEquivalentTo(expected);
    }

    [Fact]
    public void A_reference_names_the_secret_without_its_suffix_and_says_whether_it_had_one()
    {
        var wrongSuffix = SecretReads.Resolve(Facts, Sm + "auth-token-RANDOM:key::", Account, Region)!;
        (wrongSuffix.Name, wrongSuffix.HasSuffix, wrongSuffix.Found).Should().Be(("auth-token", true, (SecretFact?)null));
        var partial = SecretReads.Resolve(Facts, Sm + "app-secret", Account, Region)!;
        (partial.Name, partial.HasSuffix, partial.Found?.Arn).Should().Be(("app-secret", false, Sm + "app-secret-MnOpQr"));
        var parameter = SecretReads.Resolve(Facts, $"arn:aws:ssm:{Region}:{Account}:parameter/app/api-keys", null, null)!;
        (parameter.Service, parameter.Name, parameter.Account, parameter.Region).Should().Be(("ssm", "/app/api-keys", Account, Region));
    }

    [Fact]
    public void A_parameter_name_without_account_or_region_asks_nothing()
    {
        SecretReads.Needs(Facts, "/app/api-keys", null, Region).Should().BeEmpty("its ARN is not known");
        SecretReads.Needs(Facts, "/app/api-keys", Account, null).Should().BeEmpty();
    }

    [Fact]
    public void The_collector_asks_the_simulator_exactly_what_the_rule_looks_up()
    {
        var references = ((IEnumerable<object[]>)References()).Select(r => (string)r[0]).ToList();
        var runner = new CannedAws(references);
        var snapshot = InventoryRun.CollectAsync(new InventoryRequest(new AwsTarget(Region: Region), [], null, [], Parallel: 1), runner).GetAwaiter().GetResult();
        var asked = snapshot.Aws!.Simulations!.Select(s => $"{s.Action} {s.Resource}").ToHashSet();
        asked.Should().BeEquivalentTo(((IEnumerable<object[]>)References()).SelectMany(r => (string[])r[1]).ToHashSet(), "the collector's questions");

        using var repo = new TempDir();
        repo.Write("taskdef.json", TaskDefinition(references).ToJsonString());
        var findings = new CheckRunner(new CheckOptions { Paths = [repo.Path], Config = GroundcrewConfig.Default, Inventory = snapshot }).Run()
            .Findings.Where(f => f.RuleId == "live-execution-role-cannot-read-secret").ToList();

        // The simulator denied every pair it was asked, so the rule reports each pair it looks up, each on its answer.
        findings.Should().OnlyContain(f => f.Message.Contains("AWS's policy simulator (iam simulate-principal-policy) decided `implicitDeny`"),
            "every pair the rule looks up was asked for");
        var lookedUp = findings.Select(f => Regex.Match(f.Message, @"may not call (\S+) on `([^`]+)`")).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToHashSet();
        lookedUp.Should().BeEquivalentTo(asked, "the rule looks up exactly what the collector asked");
    }

    private static JsonObject TaskDefinition(IEnumerable<string> references) => new()
    {
        ["family"] = "api",
        ["revision"] = 3,
        ["taskDefinitionArn"] = $"arn:aws:ecs:{Region}:{Account}:task-definition/api:3",
        ["executionRoleArn"] = Role,
        ["containerDefinitions"] = new JsonArray(new JsonObject
        {
            ["name"] = "api",
            ["image"] = "nginx:1.27",
            ["secrets"] = new JsonArray([.. references.Select((r, i) => (JsonNode)new JsonObject { ["name"] = $"S{i}", ["valueFrom"] = r })]),
        }),
    };

    /// <summary>The aws CLI as far as the collector needs it here: the facts above, one registered task definition, and a simulator that denies all.</summary>
    private sealed class CannedAws(List<string> references) : ICommandRunner
    {
        public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct)
        {
            var text = $"{args[0]} {args[1]}" switch
            {
                "sts get-caller-identity" => new JsonObject { ["Account"] = Account }.ToJsonString(),
                "iam get-account-authorization-details" => $$$"""{"RoleDetailList":[{"RoleName":"app-execution","Arn":"{{{Role}}}","RolePolicyList":[{"PolicyName":"none","PolicyDocument":{"Version":"2012-10-17","Statement":[]}}]}]}""",
                "secretsmanager list-secrets" => new JsonObject
                {
                    ["SecretList"] = new JsonArray([.. Facts.Secrets.Select(s => (JsonNode)new JsonObject { ["Name"] = s.Name, ["ARN"] = s.Arn, ["KmsKeyId"] = s.KmsKeyId })]),
                }.ToJsonString(),
                "ssm describe-parameters" => new JsonObject { ["Parameters"] = new JsonArray([.. Facts.SsmParameters.Select(p => (JsonNode)new JsonObject { ["Name"] = p })]) }.ToJsonString(),
                "kms describe-key" => new JsonObject { ["KeyMetadata"] = new JsonObject { ["KeyId"] = "1234abcd", ["Arn"] = CustomerKey } }.ToJsonString(),
                "ecs list-task-definitions" => $$"""{"taskDefinitionArns":["arn:aws:ecs:{{Region}}:{{Account}}:task-definition/api:3"]}""",
                "ecs describe-task-definition" => new JsonObject { ["taskDefinition"] = TaskDefinition(references) }.ToJsonString(),
                "iam simulate-principal-policy" => Simulate(args),
                _ => "{}",
            };
            return Task.FromResult(new CommandResult(0, text, "") { CommandLine = string.Join(' ', [file, .. args]) });
        }

        private static string Simulate(IReadOnlyList<string> args)
        {
            List<string> After(string flag) => args.SkipWhile(a => a != flag).Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
            var results = new JsonArray();
            foreach (var action in After("--action-names"))
                results.Add(new JsonObject
                {
                    ["EvalActionName"] = action,
                    ["EvalResourceName"] = "*",
                    ["EvalDecision"] = "implicitDeny",
                    ["ResourceSpecificResults"] = new JsonArray([.. After("--resource-arns").Select(r => (JsonNode)new JsonObject { ["EvalResourceName"] = r, ["EvalResourceDecision"] = "implicitDeny" })]),
                });
            return new JsonObject { ["EvaluationResults"] = results }.ToJsonString();
        }
    }
}
