using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentAssertions;
using Groundcrew.Check;
using Groundcrew.Config;
using Groundcrew.Graph;
using Groundcrew.Live.Inventory;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Report;

/// <summary>
/// The inventory snapshot drawn in the graph (`graph --inventory`, `check --inventory --format html`): live nodes tied to
/// the repository nodes they stand for, and references the account or cluster lacks drawn broken. Saved snapshots:
/// the hokusai seed's (AWS) and Fixtures/LiveGraph (cluster and IRSA).
/// </summary>
public class LiveGraphTests
{
    private static readonly string Hokusai = Path.Combine(Repo.Root, "examples", "c-hokusai");
    private static readonly string Cluster = Path.Combine(Scan.TestRoot, "Fixtures", "LiveGraph");

    private static JsonObject GraphJson(string folder, Snapshot? inventory)
    {
        var result = new CheckRunner(new CheckOptions { Paths = [folder], Config = GroundcrewConfig.Default, Inventory = inventory }).Run();
        var graph = GraphBuilder.Build(result.Model, result.Findings, result.Config);
        using var text = new StringWriter();
        GraphWriters.Json(graph, text, result.Redactor.Scrub);
        return JsonNode.Parse(text.ToString())!.AsObject();
    }

    private static IEnumerable<JsonNode> Items(JsonNode doc, string key) => doc[key]!.AsArray().Select(n => n!);

    private static string? S(JsonNode n, string key) => n[key]?.GetValue<string>();

    private static bool IsLive(JsonNode n) => n["live"]?.GetValue<bool>() == true;

    [Fact]
    public void Hokusai_roles_secrets_and_the_registered_revision_are_drawn_live_and_tied_to_their_files()
    {
        var without = GraphJson(Hokusai, null);
        var with = GraphJson(Hokusai, Snapshot.Load(Path.Combine(Hokusai, "inventory.json")));

        Items(without, "nodes").Should().NotContain(n => IsLive(n), "no snapshot, nothing live");
        var live = Items(with, "nodes").Where(IsLive).ToList();
        live.Should().OnlyContain(n => n["file"] == null, "a live fact has no place in the files");
        Items(with, "nodes").Where(n => !IsLive(n)).Select(n => S(n, "id")).Should().BeEquivalentTo(Items(without, "nodes").Select(n => S(n, "id")),
            "the repository's nodes are the same with or without the snapshot");

        var edges = Items(with, "edges").ToList();
        edges.Should().Contain(e => S(e, "from") == "aws_iam_role.ecs_task_execution" && S(e, "to") == "live:iam-role:arn:aws:iam::932100697590:role/ecsTaskExecutionRole"
                                    && S(e, "label") == "in the account", "the Terraform role is the account's ecsTaskExecutionRole");
        // The task role is only named by ARN in the file: unknown without the snapshot, resolved by it.
        static bool ApiTaskRole(JsonNode e) => S(e, "label") == "task role" && S(e, "from")!.Contains("(task-definitions/hokusai-api-development.json)");
        S(edges.Single(ApiTaskRole), "state").Should().Be("resolved");
        S(Items(without, "edges").Single(ApiTaskRole), "state").Should().Be("unknown");

        // C5: the -RANDOM placeholder ARN is broken, and the secret of the same name is drawn dashed beside it.
        var c5 = edges.Single(e => S(e, "label") == "secret REDIS_AUTH_TOKEN" && S(e, "file") == "task-definitions/hokusai-auth-development.json");
        S(c5, "state").Should().Be("broken");
        S(c5, "detail").Should().Contain("auth-token-0GWWJx");
        edges.Should().Contain(e => S(e, "from") == S(c5, "to") && S(e, "label") == "same name, other suffix" && S(e, "state") == "unknown"
                                    && S(e, "to")!.EndsWith("auth-token-0GWWJx", StringComparison.Ordinal));

        // C1: the registered revision 131 dropped the secrets: its edge sits on the family line and is red
        // (history/rev130 is a file of the same family, tied to the same live revision).
        var registered = edges.Single(e => S(e, "to") == "live:taskdefinition:hokusai-api-development:131" && S(e, "file") == "task-definitions/hokusai-api-development.json");
        S(registered, "state").Should().Be("broken");
        registered["line"]!.GetValue<int>().Should().Be(2, "the family line, where live-task-definition-drift reports");
        S(registered, "detail").Should().Contain("DATABASE_URL");
    }

    [Fact]
    public void Cluster_objects_the_repository_only_names_are_live_and_missing_ones_or_keys_are_broken()
    {
        var doc = GraphJson(Cluster, Snapshot.Load(Path.Combine(Cluster, "inventory.json")));
        var edges = Items(doc, "edges").ToList();
        JsonNode Edge(string label) => edges.Single(e => S(e, "label") == label);

        S(Edge("env DB_PASSWORD (key password)"), "state").Should().Be("resolved", "Secret db-creds with key password is in the cluster");
        S(Edge("env API_TOKEN (key token)"), "state").Should().Be("broken");
        S(Edge("env API_TOKEN (key token)"), "detail").Should().Contain("no Secret shop/api-token exists in the cluster");
        S(Edge("env CACHE_PORT (key port)"), "state").Should().Be("broken");
        S(Edge("env CACHE_PORT (key port)"), "detail").Should().Contain("has no key `port` (it has host)");
        S(Edge("envFrom"), "state").Should().Be("resolved");

        edges.Should().Contain(e => S(e, "from") == "Secret/shop/db-creds" && S(e, "to") == "live:Secret/shop/db-creds" && S(e, "label") == "in the cluster");
        edges.Should().Contain(e => S(e, "from") == "ConfigMap/shop/app-config" && S(e, "to") == "live:ConfigMap/shop/app-config");
        Items(doc, "nodes").Should().NotContain(n => S(n, "id") == "live:Secret/shop/api-token", "nothing is drawn for what the cluster lacks");

        // IRSA: the annotation's role is missing from the account; the closest existing role is drawn dashed.
        var irsa = edges.Where(e => S(e, "label") == "IRSA role").ToDictionary(e => S(e, "from")!);
        S(irsa["ServiceAccount/shop/api"], "state").Should().Be("broken");
        S(irsa["ServiceAccount/shop/api"], "detail").Should().Contain("no role `shop-apl` exists");
        S(irsa["ServiceAccount/shop/worker"], "state").Should().Be("resolved");
        edges.Should().Contain(e => S(e, "from") == "iam-role:shop-apl" && S(e, "to") == "live:iam-role:arn:aws:iam::210987654321:role/shop-api"
                                    && S(e, "state") == "unknown");
        var sa = edges.Single(e => S(e, "to") == "live:ServiceAccount/shop/api");
        S(sa, "detail").Should().Contain("the cluster's ServiceAccount has role arn:aws:iam::210987654321:role/shop-api", "the live annotation differs from the file's");
    }

    [Fact]
    public void The_graph_verb_takes_inventory_and_draws_live_nodes_in_dot_and_mermaid()
    {
        var inventory = Path.Combine(Cluster, "inventory.json");
        using var dir = new TempDir();
        var mermaid = Path.Combine(dir.Path, "graph.mmd");
        var run = GroundcrewCli.Exec("graph", Cluster, "--inventory", inventory, "--format", "dot", "--output", "mermaid=" + mermaid);
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().MatchRegex(@"n\d+ \[label=""Secret db-creds"", tooltip=""Secret shop/db-creds in the cluster[^\]]*peripheries=2");
        File.ReadAllText(mermaid).Should().Contain("classDef live").And.MatchRegex(@"n\d+\(\[""Secret db-creds""\]\)");

        GroundcrewCli.Exec("graph", Cluster, "--inventory", Path.Combine(dir.Path, "none.json")).ExitCode.Should().Be(2, "a missing snapshot file is a usage error");
        var both = GroundcrewCli.Exec("graph", Cluster, "--inventory", inventory, "--live");
        both.ExitCode.Should().Be(2);
        both.Stderr.Should().Contain("either --inventory FILE or --live");
    }

    [Fact]
    public void The_html_report_checked_against_a_snapshot_holds_the_live_nodes_in_its_data()
    {
        var run = GroundcrewCli.Exec("check", Cluster, "--inventory", Path.Combine(Cluster, "inventory.json"), "--format", "html");
        run.ExitCode.Should().Be(1, run.Stderr);
        var data = JsonNode.Parse(Regex.Match(run.Stdout, "<script type=\"application/json\" id=\"data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value)!;
        S(data["meta"]!, "inventory").Should().Be("inventory of 2026-12-06 18:00:00 UTC, account 210987654321");
        var nodes = Items(data["graph"]!, "nodes").ToList();
        var live = nodes.FindIndex(n => S(n, "id") == "live:Secret/shop/db-creds");
        live.Should().BeGreaterThan(-1);
        IsLive(nodes[live]).Should().BeTrue();
        var repo = nodes.FindIndex(n => S(n, "id") == "Secret/shop/db-creds");
        var edges = Items(data["graph"]!, "edges").ToList();
        edges.Should().Contain(e => e["from"]!.GetValue<int>() == repo && e["to"]!.GetValue<int>() == live && S(e, "label") == "in the cluster");
        edges.Should().Contain(e => S(e, "label") == "env API_TOKEN (key token)" && S(e, "state") == "broken");
    }
}
